package dev.llmmesh.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.langchain4j.http.client.HttpMethod;
import dev.langchain4j.http.client.HttpRequest;
import dev.llmmesh.Secret;
import dev.llmmesh.testkit.SimulatedAnthropicServer;
import dev.llmmesh.testkit.SimulatedGeminiServer;
import dev.llmmesh.testkit.SimulatedOllamaServer;
import dev.llmmesh.testkit.SimulatedOpenAiServer;
import dev.llmmesh.testkit.SimulatedOpenAiServer.RecordedRequest;
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

    private static HttpRequest chat(URI base, String path) {
        return HttpRequest.builder().method(HttpMethod.POST).url(base + path)
                .addHeader("Content-Type", "application/json")
                .addHeader("x-api-key", "placeholder-from-langchain4j")
                .addHeader("Authorization", "Bearer placeholder-from-langchain4j")
                .body("{\"model\":\"m\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .build();
    }

    @Test
    void replacesTheCredentialHeadersLangchain4jSetWithTheKeyInTheProvidersOwnHeader() {
        try (SimulatedAnthropicServer server = SimulatedAnthropicServer.builder().apiKey("sk-ant-real").start()) {
            MeshHttpClient client = MeshHttpClient.builder(server.baseUrl(), Optional.of(Secret.of("sk-ant-real")),
                    AuthHeader.X_API_KEY, executor).build();
            HttpRequest request = HttpRequest.builder().method(HttpMethod.POST).url(server.baseUrl() + "/messages")
                    .addHeader("Content-Type", "application/json").addHeader("anthropic-version", "2023-06-01")
                    .addHeader("x-api-key", "placeholder-from-langchain4j")
                    .body("{\"model\":\"m\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                    .build();

            assertThat(client.execute(request).statusCode()).isEqualTo(200);
            RecordedRequest r = server.lastRequest().orElseThrow();
            assertThat(r.secretHeaderEquals("x-api-key", "sk-ant-real")).isTrue();
            assertThat(r.credentialHeaders()).containsExactly("x-api-key");
        }
    }

    @Test
    void withoutAKeyEveryCredentialHeaderIsDropped() {
        try (SimulatedOpenAiServer server = SimulatedOpenAiServer.start()) {
            MeshHttpClient client = MeshHttpClient.builder(server.baseUrl(), Optional.empty(), executor).build();

            client.execute(chat(server.baseUrl(), "/chat/completions"));

            assertThat(server.lastRequest().orElseThrow().credentialHeaders()).isEmpty();
        }
    }

    @Test
    void refusesAUrlCarryingAKeyInItsQuery() {
        try (SimulatedGeminiServer server = SimulatedGeminiServer.start()) {
            MeshHttpClient client = MeshHttpClient.builder(server.baseUrl(), Optional.of(Secret.of("AIza-q")),
                    AuthHeader.GOOGLE, executor).build();

            assertThatThrownBy(() -> client.execute(get(server.baseUrl() + "/models/m:generateContent?key=AIza-q")))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("headers")
                    .hasMessageNotContaining("AIza-q");
            assertThat(server.requestCount()).isZero();
        }
    }

    @Test
    void aBoundedCallGivesUpWhenItsTimeIsUpEvenThoughTheClientWouldWaitLonger() {
        try (SimulatedOpenAiServer server = SimulatedOpenAiServer.start()) {
            server.enqueue(SimulatedOpenAiServer.Behavior.hang());
            MeshHttpClient client = MeshHttpClient.builder(server.baseUrl(), Optional.empty(), executor)
                    .readTimeout(java.time.Duration.ofSeconds(30)).build();
            ProviderCall call = ProviderCall.bounded(java.time.Duration.ofMillis(200));

            assertThatThrownBy(() -> call.bind(() -> client.execute(chat(server.baseUrl(), "/chat/completions"))))
                    .isInstanceOf(dev.langchain4j.exception.TimeoutException.class);
            assertThat(call.responded()).isFalse();
        }
    }

    @Test
    void aBodyThatStallsAfterItsHeadersIsCutOffWhenTheCallsTimeIsUp() throws Exception {
        // the JDK's request timeout ends with the headers: the body must be bounded by the call's own deadline
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 100);
            exchange.getResponseBody().write("{\"id\"".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            exchange.getResponseBody().flush();
            try {
                release.await(); // and the other 94 bytes never come
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.setExecutor(executor);
        server.start();
        try {
            URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
            MeshHttpClient client = MeshHttpClient.builder(base, Optional.empty(), executor)
                    .readTimeout(java.time.Duration.ofSeconds(30)).build();
            ProviderCall call = ProviderCall.bounded(java.time.Duration.ofMillis(300));

            assertThatThrownBy(() -> call.bind(() -> client.execute(chat(base, "/chat/completions"))))
                    .isInstanceOf(dev.langchain4j.exception.TimeoutException.class);
        } finally {
            release.countDown();
            server.stop(0);
        }
    }

    @Test
    void successfulBodiesReachTheCallsTapAndMarkItResponded() {
        try (SimulatedOpenAiServer server = SimulatedOpenAiServer.start()) {
            MeshHttpClient client = MeshHttpClient.builder(server.baseUrl(), Optional.empty(), executor).build();
            java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            ProviderCall call = ProviderCall.unbounded().tap(seen::add);

            call.bind(() -> client.execute(chat(server.baseUrl(), "/chat/completions")));

            assertThat(call.responded()).isTrue();
            assertThat(seen).singleElement().asString().contains("chat.completion");
        }
    }

    @Test
    void theEndOfAStreamIsReportedAfterEveryParserCallback() throws Exception {
        try (SimulatedOllamaServer server = SimulatedOllamaServer.start()) {
            server.enqueue(SimulatedOpenAiServer.Behavior.ok("a b c").chunks(3));
            MeshHttpClient client = MeshHttpClient.builder(server.baseUrl(), Optional.empty(), executor).build();
            java.util.List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
            java.util.concurrent.CompletableFuture<Void> ended = new java.util.concurrent.CompletableFuture<>();
            ProviderCall call = ProviderCall.unbounded().onTransportEnd(e -> {
                order.add("end:" + e);
                ended.complete(null);
            });
            HttpRequest request = HttpRequest.builder().method(HttpMethod.POST).url(server.baseUrl() + "/api/chat")
                    .body("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}").build();

            call.bind(() -> {
                client.execute(request, new NdjsonParser(), new dev.langchain4j.http.client.sse.ServerSentEventListener() {
                    @Override
                    public void onEvent(dev.langchain4j.http.client.sse.ServerSentEvent event) {
                        order.add("line");
                    }

                    @Override
                    public void onError(Throwable error) {
                        order.add("error");
                    }

                    @Override
                    public void onClose() {
                        order.add("close");
                    }
                });
                return null;
            });
            ended.get(10, java.util.concurrent.TimeUnit.SECONDS);

            assertThat(order).containsExactly("line", "line", "line", "line", "close", "end:null");
        }
    }

    @Test
    void anErrorLineInsideA200StreamFailsItAndNothingFollows() throws Exception {
        try (SimulatedOllamaServer server = SimulatedOllamaServer.start()) {
            server.enqueue(SimulatedOpenAiServer.Behavior.ok().streamErrorAfter(1));
            MeshHttpClient client = MeshHttpClient.builder(server.baseUrl(), Optional.empty(), executor).build();
            java.util.List<Object> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            java.util.concurrent.CompletableFuture<Void> ended = new java.util.concurrent.CompletableFuture<>();
            ProviderCall call = ProviderCall.unbounded().onTransportEnd(e -> ended.complete(null));
            HttpRequest request = HttpRequest.builder().method(HttpMethod.POST).url(server.baseUrl() + "/api/chat")
                    .body("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x y\"}]}").build();

            call.bind(() -> {
                client.execute(request, new NdjsonParser(), new dev.langchain4j.http.client.sse.ServerSentEventListener() {
                    @Override
                    public void onEvent(dev.langchain4j.http.client.sse.ServerSentEvent event) {
                        seen.add("line");
                    }

                    @Override
                    public void onError(Throwable error) {
                        seen.add(error);
                    }

                    @Override
                    public void onClose() {
                        seen.add("close");
                    }
                });
                return null;
            });
            ended.get(10, java.util.concurrent.TimeUnit.SECONDS);

            assertThat(seen).hasSize(2);
            assertThat(seen.get(0)).isEqualTo("line");
            assertThat(seen.get(1)).isInstanceOfSatisfying(ProviderHttpException.class, e -> {
                assertThat(e.statusCode()).isEqualTo(200);
                assertThat(e.body()).contains("an error was encountered");
            });
        }
    }
}
