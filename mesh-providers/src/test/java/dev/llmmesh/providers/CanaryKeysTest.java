package dev.llmmesh.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.llmmesh.CallContext;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.Secret;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.client.LlmClientFactory;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.config.ConfigNode;
import dev.llmmesh.event.MeshEvent;
import dev.llmmesh.event.MeshListener;
import dev.llmmesh.providers.anthropic.AnthropicClient;
import dev.llmmesh.providers.anthropic.AnthropicClientFactory;
import dev.llmmesh.providers.azure.AzureOpenAiClient;
import dev.llmmesh.providers.azure.AzureOpenAiClientFactory;
import dev.llmmesh.providers.gemini.GeminiClient;
import dev.llmmesh.providers.gemini.GeminiClientFactory;
import dev.llmmesh.providers.mistral.MistralClient;
import dev.llmmesh.providers.ollama.OllamaClient;
import dev.llmmesh.providers.openai.OpenAiClient;
import dev.llmmesh.providers.openai.OpenAiClientFactory;
import dev.llmmesh.testkit.ManualClock;
import dev.llmmesh.testkit.SimulatedAnthropicServer;
import dev.llmmesh.testkit.SimulatedGeminiServer;
import dev.llmmesh.testkit.SimulatedOllamaServer;
import dev.llmmesh.testkit.SimulatedOpenAiServer;
import dev.llmmesh.testkit.SimulatedOpenAiServer.Behavior;
import dev.llmmesh.testkit.SimulatedProvider;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Scenario 34 (canary secrets) and the key rules of scenario 33, over every sink this module can write to, with DEBUG
 * logging on and langchain4j's request and response logging enabled on every client. Canary keys in every provider's
 * format ({@code sk-}, {@code sk-ant-}, {@code gsk_}, {@code AKIA…}, {@code AIza…}, Azure's 32 hex digits, Mistral's
 * bare token) go through successful calls, streams, tool calls and injected failures (the key echoed in error bodies
 * and response headers, wrong keys, cut and malformed streams), directly and through a {@link Mesh} with a meter
 * registry and an event listener. Then no sink may hold any 8-character run of any key, nor its SHA-256: log lines
 * (slf4j-simple writes to {@code System.err}, captured here), exception messages, causes and stack traces,
 * {@code toString}s of clients, descriptors and responses, metric names and tags, mesh events, configuration errors.
 *
 * <p>Runs in its own surefire execution ({@code canary-keys-debug-logging} in this module's pom) so that slf4j-simple
 * starts with {@code defaultLogLevel=debug}; the test checks that DEBUG lines and langchain4j's request log really were
 * written, so it cannot pass vacuously.
 */
class CanaryKeysTest {
    private static final Map<String, String> CANARIES = Map.of(
            "openai", "sk-proj-CANARYq8wX2vR7tY4uI1oP6aS3dF9gH0jK5lLm",
            "groq", "gsk_CANARYa8sD7fG6hJ5kL4zX3cV2bN1mQ0wE9rT",
            "aws", "AKIACANARY7EXAMPLE12Q",
            "azure", "c4a9e1f70b2d4c6e8a0f1b3d5e7c9a2b",
            "anthropic", "sk-ant-api03-CANARYzX9cV8bN7mQ6wE5rT4yU3iO2pA1sD0",
            "gemini", "AIzaSyCANARY-q8wX2vR7tY4uI1oP6aS3dF9gH0j",
            "mistral", "CNRYmistral0q8wX2vR7tY4uI1oP6aS3d");
    private static final String PROMPT = "canary prompt visible in request logs";

    private static final ByteArrayOutputStream CAPTURED = new ByteArrayOutputStream();
    private static PrintStream originalErr;
    private static final List<String> SINKS = new ArrayList<>();

    @BeforeAll
    static void captureLogs() {
        originalErr = System.err;
        System.setErr(new PrintStream(CAPTURED, true, StandardCharsets.UTF_8));
    }

    @AfterAll
    static void restoreLogs() {
        System.setErr(originalErr);
    }

    private static ChatRequest ask() {
        return ChatRequest.builder().messages(UserMessage.from(PROMPT)).build();
    }

    private static ChatRequest askWithTool() {
        return ChatRequest.builder().messages(UserMessage.from(PROMPT)).toolSpecifications(ToolSpecification.builder()
                .name("lookup").parameters(JsonObjectSchema.builder().addStringProperty("q").build()).build()).build();
    }

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    private static void record(Throwable t) {
        SINKS.add(t.toString());
        SINKS.add(String.valueOf(t.getMessage()));
        SINKS.add(stackTrace(t));
    }

    private static void call(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            record(e);
        }
    }

    private static void stream(LlmClient client, ChatRequest request) {
        CompletableFuture<Object> done = new CompletableFuture<>();
        client.stream(request, new StreamingChatResponseHandler() {
            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.complete(error);
            }
        });
        try {
            Object outcome = done.get(10, TimeUnit.SECONDS);
            if (outcome instanceof Throwable t) {
                record(t);
            } else {
                SINKS.add(outcome.toString());
            }
        } catch (Exception e) {
            throw new AssertionError("stream did not end", e);
        }
    }

    /** Runs every scenario against one provider's client and simulator. */
    private static void exercise(SimulatedProvider server, BiFunction<String, String, LlmClient> clients,
                                 String key) {
        try (LlmClient client = clients.apply("canary", key);
             LlmClient wrong = clients.apply("canary-wrong", key.substring(0, key.length() - 4) + "XXXX")) {
            SINKS.add(client.toString());
            SINKS.add(client.descriptor().toString());
            String echo = "{\"error\":{\"message\":\"Incorrect API key provided: " + key + "\",\"type\":\"" + key
                    + "\",\"code\":\"" + key + "\",\"status\":\"" + key + "\"},\"type\":\"error\",\"request_id\":\""
                    + key + "\"}";
            server.enqueue(Behavior.ok("fine"), Behavior.ok("streamed fine").chunks(3),
                    Behavior.toolCall("lookup", "{\"q\":\"x\"}"),
                    Behavior.status(401).body(echo), Behavior.status(401).body(echo),
                    Behavior.status(429).header("x-request-id", key).header("request-id", key)
                            .header("retry-after", "1"),
                    Behavior.ok().streamErrorAfter(1), Behavior.malformed(), Behavior.malformed(),
                    Behavior.ok().streamCutAfter(1));
            call(() -> SINKS.add(client.chat(ask()).toString()));
            stream(client, ask());
            call(() -> SINKS.add(client.chat(askWithTool()).toString()));
            call(() -> client.chat(ask()));
            stream(client, ask());
            call(() -> client.chat(ask()));
            stream(client, ask());
            call(() -> client.chat(ask()));
            stream(client, ask());
            stream(client, ask());
            call(() -> wrong.chat(ask()));
            stream(wrong, ask());

            // scenario 42: the upstream echoes the key in any letter case, in headers, error bodies and answers
            for (String v : List.of(key.toUpperCase(Locale.ROOT), key.toLowerCase(Locale.ROOT), mixedCase(key))) {
                String echoed = echo.replace(key, v);
                server.enqueue(Behavior.status(401).body(echoed).header("www-authenticate", "Bearer error=\"" + v + "\""),
                        Behavior.status(401).body(echoed).header("x-request-id", v),
                        Behavior.status(429).header("x-request-id", v).header("request-id", v)
                                .header("retry-after", "1"),
                        Behavior.status(503).header("x-request-id", v).header("request-id", v),
                        Behavior.ok().streamErrorAfter(1).header("x-request-id", v).header("request-id", v),
                        Behavior.ok("the key is " + v).header("x-request-id", v),
                        Behavior.ok("the key is " + v + " again").chunks(4).header("x-request-id", v));
                call(() -> client.chat(ask()));
                stream(client, ask());
                call(() -> client.chat(ask()));
                stream(client, ask());
                stream(client, ask());
                call(() -> SINKS.add(client.chat(ask()).toString()));
                stream(client, ask());
            }

            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            List<String> events = new ArrayList<>();
            MeshListener listener = new MeshListener() {
                @Override
                public void callStarted(MeshEvent.CallStarted event) {
                    events.add(event.toString());
                }

                @Override
                public void routeSelected(MeshEvent.RouteSelected event) {
                    events.add(event.toString());
                }

                @Override
                public void attemptFailed(MeshEvent.AttemptFailed event) {
                    events.add(event.toString());
                }

                @Override
                public void fallbackTaken(MeshEvent.FallbackTaken event) {
                    events.add(event.toString());
                }

                @Override
                public void callEnded(MeshEvent.CallEnded event) {
                    events.add(event.toString());
                }
            };
            String upper = key.toUpperCase(Locale.ROOT);
            server.enqueue(Behavior.ok("through the mesh").reasoningTokens(2).cachedTokens(1),
                    Behavior.status(401).body(echo), Behavior.status(500).header("x-request-id", key),
                    Behavior.status(500).header("x-request-id", upper), Behavior.status(500).header("x-request-id", upper),
                    Behavior.status(401).body(echo.replace(key, mixedCase(key))).header("x-request-id", upper));
            try (LlmClient meshed = clients.apply("canary-mesh", key);
                 Mesh mesh = Mesh.builder().clock(new ManualClock()).addModel(meshed).meterRegistry(meters)
                         .addListener(listener).build()) {
                call(() -> {
                    MeshResponse response = mesh.chat(ask(), CallContext.EMPTY);
                    SINKS.add(response.toString());
                });
                call(() -> mesh.chat(ask(), CallContext.EMPTY));
                call(() -> mesh.chat(ask(), CallContext.EMPTY));
                call(() -> mesh.chat(ask(), CallContext.EMPTY));
            }
            for (Meter m : meters.getMeters()) {
                SINKS.add(m.getId().toString());
            }
            SINKS.addAll(events);
        }
    }

    @Test
    void scenario34_canaryKeysOfEveryFormatReachNoSinkWithDebugLoggingOn() throws Exception {
        LoggerFactory.getLogger(CanaryKeysTest.class).debug("canary test: DEBUG logging is on");
        Duration timeout = Duration.ofSeconds(5);

        for (String provider : List.of("openai", "groq", "aws", "mistral")) {
            String key = CANARIES.get(provider);
            SimulatedOpenAiServer.Builder b = SimulatedOpenAiServer.builder().apiKey(key);
            try (SimulatedOpenAiServer server = provider.equals("mistral") ? b.mistralDialect().start() : b.start()) {
                exercise(server, (id, k) -> provider.equals("mistral")
                        ? MistralClient.builder(id, "mistral-large-latest").baseUrl(server.baseUrl())
                        .apiKey(Secret.of(k)).timeout(timeout).logRequests(true).logResponses(true).build()
                        : OpenAiClient.builder(id, "gpt-4o-mini").baseUrl(server.baseUrl()).apiKey(Secret.of(k))
                        .timeout(timeout).logRequests(true).logResponses(true).build(), key);
            }
        }
        try (SimulatedOpenAiServer server = SimulatedOpenAiServer.builder().apiKey(CANARIES.get("azure")).start()) {
            exercise(server, (id, k) -> AzureOpenAiClient.builder(id, "gpt-4o-mini").baseUrl(server.azureEndpoint())
                    .apiKey(Secret.of(k)).timeout(timeout).logRequests(true).logResponses(true).build(),
                    CANARIES.get("azure"));
        }
        try (SimulatedAnthropicServer server = SimulatedAnthropicServer.builder().apiKey(CANARIES.get("anthropic"))
                .start()) {
            exercise(server, (id, k) -> AnthropicClient.builder(id, "claude-sonnet-4-5").baseUrl(server.baseUrl())
                    .apiKey(Secret.of(k)).timeout(timeout).logRequests(true).logResponses(true).build(),
                    CANARIES.get("anthropic"));
        }
        try (SimulatedGeminiServer server = SimulatedGeminiServer.builder().apiKey(CANARIES.get("gemini")).start()) {
            exercise(server, (id, k) -> GeminiClient.builder(id, "gemini-2.5-flash").baseUrl(server.baseUrl())
                    .apiKey(Secret.of(k)).timeout(timeout).logRequests(true).logResponses(true).build(),
                    CANARIES.get("gemini"));
        }
        try (SimulatedOllamaServer server = SimulatedOllamaServer.builder().apiKey(CANARIES.get("groq")).start()) {
            exercise(server, (id, k) -> OllamaClient.builder(id, "llama3.1").baseUrl(server.baseUrl())
                    .apiKey(Secret.of(k)).timeout(timeout).logRequests(true).logResponses(true).build(),
                    CANARIES.get("groq"));
        }
        malformedGeminiStreamEchoingTheKey(CANARIES.get("gemini"));
        configurationErrors();

        System.err.flush();
        String logs = CAPTURED.toString(StandardCharsets.UTF_8);
        assertThat(logs).as("DEBUG lines of the mesh's HTTP client were written")
                .contains("DEBUG dev.llmmesh.providers.internal.MeshHttpClient");
        assertThat(logs).as("langchain4j's request logging was on and logged the prompt").contains(PROMPT);
        assertThat(logs).as("langchain4j's response logging was on and logged bodies and stream events")
                .contains("the key is ***").contains("again");
        SINKS.add(logs);
        assertThat(SINKS).hasSizeGreaterThan(100);
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "canary-keys-logs.txt"), logs,
                StandardCharsets.UTF_8); // for inspection: what DEBUG logging wrote

        List<String> leaks = new ArrayList<>();
        for (Map.Entry<String, String> canary : CANARIES.entrySet()) {
            String key = canary.getValue();
            String hash = HexFormat.of().formatHex(sha256(key));
            for (String sink : SINKS) {
                String lowerSink = sink.toLowerCase(Locale.ROOT);
                for (int i = 0; i + 8 <= key.length(); i++) {
                    String run = key.substring(i, i + 8);
                    if (lowerSink.contains(run.toLowerCase(Locale.ROOT))) { // an echo in any letter case
                        leaks.add(canary.getKey() + " key run \"" + run + "\" in: " + excerpt(sink, run));
                        break;
                    }
                }
                if (sink.toLowerCase().contains(hash)) {
                    leaks.add(canary.getKey() + " key hash in a sink");
                }
            }
        }
        assertThat(leaks).as("canary key leaks").isEmpty();
    }

    /** {@code sK-PrOj-…}: every other letter upper-cased. */
    private static String mixedCase(String key) {
        StringBuilder b = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            b.append(i % 2 == 0 ? Character.toUpperCase(c) : Character.toLowerCase(c));
        }
        return b.toString();
    }

    /**
     * A Gemini stream whose events are not JSON and carry the key (langchain4j logs such an event's parse failure at
     * WARN whatever the logging options; Jackson quotes an unrecognised token).
     */
    private static void malformedGeminiStreamEchoingTheKey(String key) throws Exception {
        HttpServer raw = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        raw.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().add("Content-Type", "text/event-stream");
            ex.getResponseHeaders().add("x-request-id", key.toUpperCase(Locale.ROOT));
            ex.sendResponseHeaders(200, 0);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(("data: " + key.toUpperCase(Locale.ROOT) + "\n\n").getBytes(StandardCharsets.UTF_8));
                o.write(("data: {\"candidates\": [" + mixedCase(key) + "\n\n").getBytes(StandardCharsets.UTF_8));
                o.write(("data: " + key + "\n\n").getBytes(StandardCharsets.UTF_8));
            }
        });
        raw.start();
        try (LlmClient client = GeminiClient.builder("canary-raw", "gemini-2.5-flash")
                .baseUrl("http://127.0.0.1:" + raw.getAddress().getPort() + "/v1beta").apiKey(Secret.of(key))
                .timeout(Duration.ofSeconds(5)).build()) {
            stream(client, ask());
            call(() -> client.chat(ask()));
        } finally {
            raw.stop(0);
        }
    }

    /** Configuration paths: bad values next to canary keys, and a Gemini key in a URL query. */
    private static void configurationErrors() {
        Map<String, LlmClientFactory> factories = Map.of("openai", new OpenAiClientFactory(),
                "azure", new AzureOpenAiClientFactory(), "anthropic", new AnthropicClientFactory(),
                "gemini", new GeminiClientFactory());
        factories.forEach((provider, factory) -> {
            String key = CANARIES.getOrDefault(provider, CANARIES.get("openai"));
            String yaml = "models:\n  - apiKey: ${KEY}\n    timeout: -1s\n    baseUrl: http://169.254.169.254/v1\n";
            ConfigNode settings = ConfigNode.fromYaml(yaml, Map.of("KEY", key)::get).nodeList("models").get(0);
            call(() -> factory.create(ModelDescriptor.builder("cfg", provider, "m").build(), settings));
        });
        for (String key : CANARIES.values()) {
            for (String yaml : List.of(
                    "models:\n  - id: a\n    provider: \"" + key + "\"\n    model: m\n",
                    "models:\n  - id: a\n    provider: openai\n    model: m\n    baseUrl: \"ht!tp://" + key + "/v1\"\n",
                    "models:\n  - id: a\n    provider: openai\n    model: m\n    baseUrl: \"https://x.example/" + key
                            + "?key=" + key + "\"\n",
                    "models:\n  - id: a\n    provider: openai\n    model: m\n    baseUrl: \"" + key + "\"\n")) {
                call(() -> dev.llmmesh.config.MeshConfig.parse(yaml, k -> null).build().close());
            }
        }
        String gemini = CANARIES.get("gemini");
        assertThatThrownBy(() -> GeminiClient.builder("g", "gemini-2.5-flash")
                .baseUrl("https://generativelanguage.googleapis.com/v1beta?key=" + gemini))
                .isInstanceOfSatisfying(IllegalArgumentException.class, e -> record(e));
        call(() -> OpenAiClient.builder("o", "gpt-4o-mini").baseUrl("https://user:" + CANARIES.get("openai")
                + "@api.openai.com/v1"));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String excerpt(String sink, String run) {
        int i = Math.max(0, sink.toLowerCase(Locale.ROOT).indexOf(run.toLowerCase(Locale.ROOT)));
        return sink.substring(Math.max(0, i - 80), Math.min(sink.length(), i + 40)).replace('\n', ' ');
    }
}
