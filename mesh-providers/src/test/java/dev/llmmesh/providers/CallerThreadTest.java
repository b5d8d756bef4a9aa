package dev.llmmesh.providers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.CallContext;
import dev.llmmesh.Mesh;
import dev.llmmesh.Secret;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.providers.openai.OpenAiClient;
import dev.llmmesh.testkit.SimulatedOpenAiServer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** A blocking call over HTTP runs on the caller's thread: no thread is started per call. */
class CallerThreadTest {
    private static final int CALLS = 100;

    @Test
    void blockingCallsStartNoThreadPerCall() throws Exception {
        try (SimulatedOpenAiServer server = SimulatedOpenAiServer.builder().apiKey("sk-threads").start()) {
            OpenAiClient client = OpenAiClient.builder(ModelDescriptor.builder("m", "openai", "gpt-4o-mini").build())
                    .baseUrl(server.baseUrl()).apiKey(Secret.of("sk-threads")).timeout(Duration.ofSeconds(10)).build();
            try (Mesh mesh = Mesh.builder().addModel(client).build()) {
                ChatRequest ask = ChatRequest.builder().messages(UserMessage.from("hello")).build();
                CallContext deadline = CallContext.builder().timeout(Duration.ofSeconds(20)).build();
                for (int i = 0; i < 10; i++) {
                    mesh.chat(ask, deadline); // warm up: connection, selector, pooled I/O threads
                }
                ThreadMXBean threads = ManagementFactory.getThreadMXBean();
                long before = threads.getTotalStartedThreadCount();
                for (int i = 0; i < CALLS; i++) {
                    assertThat(mesh.chat(ask, deadline).text()).isNotEmpty();
                }
                long started = threads.getTotalStartedThreadCount() - before;

                // the simulator's own server threads are counted too: it serves each request on its own pool
                assertThat(started).as("threads started during %d blocking calls (%s per call)", CALLS,
                        String.format(Locale.ROOT, "%.2f", started / (double) CALLS)).isLessThanOrEqualTo(5);
            }
        }
    }

    @Test
    void plainHttpRequestsAskForNoProtocolUpgrade() throws Exception {
        try (SimulatedOpenAiServer server = SimulatedOpenAiServer.builder().apiKey("sk-h1").start()) {
            OpenAiClient client = OpenAiClient.builder(ModelDescriptor.builder("m", "openai", "gpt-4o-mini").build())
                    .baseUrl(server.baseUrl()).apiKey(Secret.of("sk-h1")).build();
            try (Mesh mesh = Mesh.builder().addModel(client).build()) {
                mesh.chat(ChatRequest.builder().messages(UserMessage.from("hello")).build());
                var headers = server.lastRequest().orElseThrow().headers();
                List<String> names = headers.keySet().stream().map(k -> k.toLowerCase(Locale.ROOT)).toList();
                assertThat(names).doesNotContain("upgrade", "http2-settings");
            }
        }
    }
}
