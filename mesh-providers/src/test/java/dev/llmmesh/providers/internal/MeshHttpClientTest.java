package dev.llmmesh.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.langchain4j.http.client.HttpMethod;
import dev.langchain4j.http.client.HttpRequest;
import dev.llmmesh.Secret;
import dev.llmmesh.testkit.SimulatedOpenAiServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MeshHttpClientTest {
    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private static HttpRequest get(String url) {
        return HttpRequest.builder().method(HttpMethod.GET).url(url).build();
    }

    @Test
    void refusesRequestsOutsideTheConfiguredOriginSoTheKeyCannotLeak() {
        try (SimulatedOpenAiServer configured = SimulatedOpenAiServer.start();
             SimulatedOpenAiServer other = SimulatedOpenAiServer.start()) {
            MeshHttpClient client = MeshHttpClient.builder(configured.baseUrl(), Optional.of(Secret.of("sk-lane")),
                    executor).build();

            assertThatThrownBy(() -> client.execute(get(other.baseUrl() + "/models")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageNotContaining("sk-lane");
            assertThat(other.requestCount()).isZero();
            assertThat(client.execute(get(configured.baseUrl() + "/models")).statusCode()).isEqualTo(200);
            assertThat(configured.lastRequest().orElseThrow().bearerTokenEquals("sk-lane")).isTrue();
        }
    }

    @Test
    void scenario33_redirectsAreNeverFollowed() throws Exception {
        AtomicInteger internalHits = new AtomicInteger();
        HttpServer internal = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        internal.createContext("/", x -> {
            internalHits.incrementAndGet();
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        HttpServer redirecting = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        redirecting.createContext("/", x -> {
            x.getResponseHeaders().set("Location", "http://127.0.0.1:" + internal.getAddress().getPort() + "/admin");
            x.sendResponseHeaders(302, -1);
            x.close();
        });
        internal.start();
        redirecting.start();
        try {
            URI base = URI.create("http://127.0.0.1:" + redirecting.getAddress().getPort() + "/v1");
            MeshHttpClient client = MeshHttpClient.builder(base, Optional.of(Secret.of("sk-redirect")), executor).build();

            assertThatThrownBy(() -> client.execute(get(base + "/models")))
                    .isInstanceOfSatisfying(ProviderHttpException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(302);
                        assertThat(e.getMessage()).isEqualTo("HTTP 302");
                    });
            assertThat(internalHits.get()).isZero();
        } finally {
            redirecting.stop(0);
            internal.stop(0);
        }
    }

    @Test
    void errorAnswersKeepTheirHeadersButNotInTheMessage() {
        try (SimulatedOpenAiServer server = SimulatedOpenAiServer.start()) {
            server.enqueue(SimulatedOpenAiServer.Behavior.rateLimited(java.time.Duration.ofSeconds(9)));
            MeshHttpClient client = MeshHttpClient.builder(server.baseUrl(), Optional.empty(), executor).build();
            HttpRequest post = HttpRequest.builder().method(HttpMethod.POST).url(server.baseUrl() + "/chat/completions")
                    .addHeader("Content-Type", "application/json")
                    .body("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}").build();

            assertThatThrownBy(() -> client.execute(post)).isInstanceOfSatisfying(ProviderHttpException.class, e -> {
                assertThat(e.statusCode()).isEqualTo(429);
                assertThat(e.header("Retry-After")).contains("9");
                assertThat(e.header("x-request-id")).isPresent();
                assertThat(e.body()).contains("rate_limit_exceeded");
                assertThat(e.getMessage()).isEqualTo("HTTP 429");
                assertThat(e.toString()).doesNotContain("rate_limit_exceeded");
            });
        }
    }
}
