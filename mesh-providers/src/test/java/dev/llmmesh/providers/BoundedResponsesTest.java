package dev.llmmesh.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.CallContext;
import dev.llmmesh.ErrorKind;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshException;
import dev.llmmesh.NonRetryableException;
import dev.llmmesh.RetryableException;
import dev.llmmesh.providers.openai.OpenAiClient;
import dev.llmmesh.testkit.StreamCollector;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Provider answers are read up to a cap: a 100 MB body (success, error or stream), written by a server that never
 * holds it in memory, ends in a clear, non-retried error after a bounded number of bytes; a redirect is reported as
 * such.
 */
class BoundedResponsesTest {
    private static final long HUNDRED_MB = 100L * 1024 * 1024;
    /** What may pass the cap before the client stops reading: socket buffers on both sides. */
    private static final long SLACK = 16L * 1024 * 1024;

    private HttpServer server;
    private final AtomicLong written = new AtomicLong();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile String mode = "json";

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/v1/chat/completions", ex -> {
            requests.incrementAndGet();
            ex.getRequestBody().readAllBytes();
            String m = mode;
            if (m.equals("ok")) {
                byte[] body = ("{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o-mini\","
                        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"small\"},"
                        + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,"
                        + "\"total_tokens\":2}}").getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(body);
                }
                return;
            }
            if (m.equals("redirect")) {
                ex.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
                ex.sendResponseHeaders(307, -1);
                ex.close();
                return;
            }
            boolean stream = m.equals("stream");
            ex.getResponseHeaders().add("Content-Type", stream ? "text/event-stream" : "application/json");
            ex.sendResponseHeaders(m.equals("error") ? 500 : 200, 0); // chunked: no length announced
            byte[] head;
            byte[] chunk;
            if (stream) {
                head = new byte[0];
                chunk = ("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                        + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + "a".repeat(900) + "\"}}]}\n\n")
                        .getBytes(StandardCharsets.UTF_8);
            } else {
                head = (m.equals("error") ? "{\"error\":{\"type\":\"server_error\",\"message\":\""
                        : "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"message\":{\"content\":\"")
                        .getBytes(StandardCharsets.UTF_8);
                chunk = new byte[64 * 1024];
                Arrays.fill(chunk, (byte) 'a');
            }
            try (OutputStream o = ex.getResponseBody()) {
                o.write(head);
                written.addAndGet(head.length);
                while (written.get() < HUNDRED_MB) {
                    o.write(chunk);
                    written.addAndGet(chunk.length);
                }
            } catch (IOException e) {
                // the client stopped reading and closed the connection
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private OpenAiClient.Builder client() {
        return OpenAiClient.builder("big", "gpt-4o-mini")
                .baseUrl("http://127.0.0.1:" + server.getAddress().getPort() + "/v1")
                .timeout(Duration.ofSeconds(30));
    }

    private static ChatRequest ask() {
        return ChatRequest.builder().messages(UserMessage.from("hello")).build();
    }

    @Test
    void scenario50_aHundredMegabyteSuccessBodyEndsAtTheDefaultCapWithAClearNonRetryableError() {
        try (OpenAiClient client = client().build()) {
            assertThatThrownBy(() -> client.chat(ask()))
                    .isInstanceOfSatisfying(NonRetryableException.class,
                            e -> assertThat(e.kind()).isEqualTo(ErrorKind.RESPONSE_TOO_LARGE))
                    .hasMessage("big: the answer is larger than the cap of 8388608 bytes (maxResponseBytes); reading "
                            + "stopped there and the answer was dropped");
            assertThat(written.get()).isLessThan(ProviderClientBuilder.DEFAULT_MAX_RESPONSE_BYTES + SLACK);
            mode = "ok";
            assertThat(client.chat(ask()).aiMessage().text()).as("the client keeps serving").isEqualTo("small");
        }
    }

    @Test
    void scenario50_aHundredMegabyteErrorBodyIsReadOnlyUpTo64KiB() {
        mode = "error";
        try (OpenAiClient client = client().build()) {
            assertThatThrownBy(() -> client.chat(ask()))
                    .isInstanceOfSatisfying(RetryableException.class,
                            e -> assertThat(e.kind()).isEqualTo(ErrorKind.SERVER_ERROR))
                    .hasMessageStartingWith("big: HTTP 500 (server error)");
            assertThat(written.get()).isLessThan(64 * 1024 + SLACK);
        }
    }

    @Test
    void scenario50_aHundredMegabyteStreamEndsAtTheConfiguredCap() {
        mode = "stream";
        try (OpenAiClient client = client().maxResponseBytes(1024 * 1024).build()) {
            StreamCollector c = new StreamCollector();
            client.stream(ask(), c);
            c.await(Duration.ofSeconds(30));
            assertThat(c.error()).isInstanceOfSatisfying(MeshException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.RESPONSE_TOO_LARGE))
                    .hasMessageContaining("larger than the cap of 1048576 bytes");
            assertThat(c.partials()).isNotEmpty();
            assertThat(written.get()).isLessThan(1024 * 1024 + SLACK);
        }
    }

    @Test
    void scenario50_aTooLargeAnswerIsNotRetriedByTheMesh() {
        try (Mesh mesh = Mesh.builder().addModel(client().maxResponseBytes(64 * 1024).build()).build()) {
            assertThatThrownBy(() -> mesh.chat(ask(), CallContext.EMPTY))
                    .isInstanceOfSatisfying(MeshException.class,
                            e -> assertThat(e.kind()).isIn(ErrorKind.RESPONSE_TOO_LARGE, ErrorKind.NO_ROUTE))
                    .hasMessageContaining("larger than the cap of 65536 bytes");
            assertThat(requests).hasValue(1);
        }
    }

    @Test
    void scenario50_aRedirectOnABlockingCallIsReportedAsNotFollowedAndNotRetried() {
        mode = "redirect";
        try (OpenAiClient client = client().build()) {
            assertThatThrownBy(() -> client.chat(ask()))
                    .isInstanceOfSatisfying(NonRetryableException.class,
                            e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST))
                    .hasMessageStartingWith("big: HTTP 307 redirect not followed")
                    .hasMessageNotContaining("in the stream");
        }
        try (Mesh mesh = Mesh.builder().addModel(client().build()).build()) {
            requests.set(0);
            assertThatThrownBy(() -> mesh.chat(ask(), CallContext.EMPTY)).hasMessageContaining("redirect not followed");
            assertThat(requests).hasValue(1);
        }
    }
}
