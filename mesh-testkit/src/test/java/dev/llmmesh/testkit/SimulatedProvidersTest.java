package dev.llmmesh.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmmesh.testkit.SimulatedOpenAiServer.Behavior;
import dev.llmmesh.testkit.SimulatedOpenAiServer.RecordedRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Anthropic, Ollama and Gemini simulators speak their protocols and follow the shared fault scripts. */
class SimulatedProvidersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<SimulatedProvider> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(SimulatedProvider::close);
    }

    private <T extends SimulatedProvider> T track(T server) {
        servers.add(server);
        return server;
    }

    private static HttpResponse<String> post(URI uri, Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(10));
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(String s) throws IOException {
        return JSON.readTree(s);
    }

    private static List<String> sseEventNames(String body) {
        List<String> names = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (line.startsWith("event: ")) {
                String name = line.substring(7);
                if (names.isEmpty() || !names.get(names.size() - 1).equals(name)) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    // ------------------------------------------------------------------ Anthropic

    private static final Map<String, String> ANTHROPIC_HEADERS = Map.of("x-api-key", "sk-ant-sim",
            "anthropic-version", "2023-06-01", "Content-Type", "application/json");
    private static final String ANTHROPIC_BODY = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hello world\"}]%s}";

    @Test
    void anthropicAnswersWithContentBlocksAndUsageSplitLikeTheRealApi() throws Exception {
        SimulatedAnthropicServer server = track(SimulatedAnthropicServer.builder().apiKey("sk-ant-sim").start());
        server.enqueue(Behavior.ok("hi there").usage(10, 2).cachedTokens(4));

        HttpResponse<String> r = post(URI.create(server.baseUrl() + "/messages"), ANTHROPIC_HEADERS,
                ANTHROPIC_BODY.formatted(""));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("request-id")).isPresent();
        JsonNode body = json(r.body());
        assertThat(body.path("type").asText()).isEqualTo("message");
        assertThat(body.path("content").get(0).path("text").asText()).isEqualTo("hi there");
        assertThat(body.path("stop_reason").asText()).isEqualTo("end_turn");
        assertThat(body.path("usage").path("input_tokens").asInt()).as("cache reads are not in input_tokens")
                .isEqualTo(6);
        assertThat(body.path("usage").path("cache_read_input_tokens").asInt()).isEqualTo(4);
        assertThat(body.path("usage").path("output_tokens").asInt()).isEqualTo(2);
        RecordedRequest recorded = server.lastRequest().orElseThrow();
        assertThat(recorded.header("x-api-key")).contains("***");
        assertThat(recorded.secretHeaderEquals("x-api-key", "sk-ant-sim")).isTrue();
    }

    @Test
    void anthropicStreamsEventsInTheRealOrderWithPingsPaddingAndNoDone() throws Exception {
        SimulatedAnthropicServer server = track(SimulatedAnthropicServer.start());
        server.enqueue(Behavior.ok("one two three"));

        HttpResponse<String> r = post(URI.create(server.baseUrl() + "/messages"), ANTHROPIC_HEADERS,
                ANTHROPIC_BODY.formatted(",\"stream\":true"));

        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        assertThat(sseEventNames(r.body())).containsExactly("message_start", "content_block_start", "ping",
                "content_block_delta", "content_block_stop", "message_delta", "message_stop");
        assertThat(r.body()).contains("         }").doesNotContain("[DONE]").contains("\"stop_reason\":\"end_turn\"");
    }

    @Test
    void anthropicToolUseCarriesObjectInputAndStreamsJsonFragments() throws Exception {
        SimulatedAnthropicServer server = track(SimulatedAnthropicServer.start());
        server.enqueue(Behavior.toolCall("get_weather", "{\"city\":\"Oslo\"}"),
                Behavior.toolCall("get_weather", "{\"city\":\"Oslo\"}"));

        JsonNode whole = json(post(URI.create(server.baseUrl() + "/messages"), ANTHROPIC_HEADERS,
                ANTHROPIC_BODY.formatted("")).body());
        String streamed = post(URI.create(server.baseUrl() + "/messages"), ANTHROPIC_HEADERS,
                ANTHROPIC_BODY.formatted(",\"stream\":true")).body();

        assertThat(whole.path("stop_reason").asText()).isEqualTo("tool_use");
        assertThat(whole.path("content").get(0).path("input").path("city").asText()).isEqualTo("Oslo");
        assertThat(whole.path("content").get(0).path("id").asText()).startsWith("toolu_");
        assertThat(streamed).contains("\"input_json_delta\"").contains("\"partial_json\":\"\"");
    }

    @Test
    void anthropicErrorsUseItsEnvelopeTypesAnd529() throws Exception {
        SimulatedAnthropicServer server = track(SimulatedAnthropicServer.builder().apiKey("sk-ant-sim").start());
        server.enqueue(Behavior.status(529), Behavior.rateLimited(Duration.ofSeconds(7)));

        HttpResponse<String> overloaded = post(URI.create(server.baseUrl() + "/messages"), ANTHROPIC_HEADERS,
                ANTHROPIC_BODY.formatted(""));
        HttpResponse<String> limited = post(URI.create(server.baseUrl() + "/messages"), ANTHROPIC_HEADERS,
                ANTHROPIC_BODY.formatted(""));
        HttpResponse<String> noKey = post(URI.create(server.baseUrl() + "/messages"),
                Map.of("anthropic-version", "2023-06-01"), ANTHROPIC_BODY.formatted(""));
        HttpResponse<String> noVersion = post(URI.create(server.baseUrl() + "/messages"),
                Map.of("x-api-key", "sk-ant-sim"), ANTHROPIC_BODY.formatted(""));

        assertThat(overloaded.statusCode()).isEqualTo(529);
        assertThat(json(overloaded.body()).path("error").path("type").asText()).isEqualTo("overloaded_error");
        assertThat(json(overloaded.body()).path("type").asText()).isEqualTo("error");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("retry-after")).contains("7");
        assertThat(json(limited.body()).path("error").path("type").asText()).isEqualTo("rate_limit_error");
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(json(noKey.body()).path("error").path("type").asText()).isEqualTo("authentication_error");
        assertThat(noVersion.statusCode()).isEqualTo(400);
    }

    @Test
    void anthropicErrorInsideTheStreamIsAnErrorEventAfterMessageStart() throws Exception {
        SimulatedAnthropicServer server = track(SimulatedAnthropicServer.start());
        server.enqueue(Behavior.ok().streamErrorAfter(1));

        String body = post(URI.create(server.baseUrl() + "/messages"), ANTHROPIC_HEADERS,
                ANTHROPIC_BODY.formatted(",\"stream\":true")).body();

        List<String> events = sseEventNames(body);
        assertThat(events.get(0)).isEqualTo("message_start");
        assertThat(events.get(events.size() - 1)).isEqualTo("error");
        assertThat(body).contains("overloaded_error").doesNotContain("message_stop");
    }

    // ------------------------------------------------------------------ Ollama

    private static final String OLLAMA_BODY = "{\"model\":\"llama3.1\",\"messages\":[{\"role\":\"user\","
            + "\"content\":\"hello world\"}]%s}";

    @Test
    void ollamaStreamsNdjsonByDefaultEndingWithADoneLineAndItsCounts() throws Exception {
        SimulatedOllamaServer server = track(SimulatedOllamaServer.start());
        server.enqueue(Behavior.ok("alpha beta").usage(3, 2));

        HttpResponse<String> r = post(URI.create(server.baseUrl() + "/api/chat"), Map.of(), OLLAMA_BODY.formatted(""));

        assertThat(r.headers().firstValue("Content-Type")).contains("application/x-ndjson");
        String[] lines = r.body().split("\n");
        assertThat(lines).hasSize(3);
        assertThat(json(lines[0]).path("message").path("content").asText()).isEqualTo("alpha ");
        assertThat(json(lines[0]).path("done").asBoolean()).isFalse();
        JsonNode done = json(lines[2]);
        assertThat(done.path("done").asBoolean()).isTrue();
        assertThat(done.path("done_reason").asText()).isEqualTo("stop");
        assertThat(done.path("prompt_eval_count").asInt()).isEqualTo(3);
        assertThat(done.path("eval_count").asInt()).isEqualTo(2);
    }

    @Test
    void ollamaAnswersOneObjectWhenNotStreamingWithToolCallsAsObjectsWithoutIds() throws Exception {
        SimulatedOllamaServer server = track(SimulatedOllamaServer.start());
        server.enqueue(Behavior.toolCall("get_weather", "{\"city\":\"Tokyo\"}"));

        JsonNode r = json(post(URI.create(server.baseUrl() + "/api/chat"), Map.of(),
                OLLAMA_BODY.formatted(",\"stream\":false")).body());

        JsonNode call = r.path("message").path("tool_calls").get(0);
        assertThat(call.path("function").path("arguments").path("city").asText()).isEqualTo("Tokyo");
        assertThat(call.has("id")).isFalse();
        assertThat(r.path("done").asBoolean()).isTrue();
    }

    @Test
    void ollamaErrorsAreErrorObjectsAndAMidStreamErrorIsALineInA200() throws Exception {
        SimulatedOllamaServer server = track(SimulatedOllamaServer.start());
        server.enqueue(Behavior.status(404), Behavior.ok().streamErrorAfter(1));

        HttpResponse<String> missing = post(URI.create(server.baseUrl() + "/api/chat"), Map.of(),
                OLLAMA_BODY.formatted(""));
        HttpResponse<String> midStream = post(URI.create(server.baseUrl() + "/api/chat"), Map.of(),
                OLLAMA_BODY.formatted(""));

        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing.body()).path("error").asText()).contains("not found");
        assertThat(midStream.statusCode()).isEqualTo(200);
        String[] lines = midStream.body().split("\n");
        assertThat(json(lines[lines.length - 1]).has("error")).isTrue();
        assertThat(midStream.body()).doesNotContain("\"done\":true");
    }

    // ------------------------------------------------------------------ Gemini

    private static final String GEMINI_BODY = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hello\"}]}]}";

    @Test
    void geminiAnswersWithCandidatesAndUsageWhoseTotalIncludesThoughts() throws Exception {
        SimulatedGeminiServer server = track(SimulatedGeminiServer.builder().apiKey("AIza-sim").start());
        server.enqueue(Behavior.ok("Paris").usage(5, 10).reasoningTokens(7).cachedTokens(2));

        JsonNode r = json(post(URI.create(server.baseUrl() + "/models/gemini-2.5-flash:generateContent"),
                Map.of("x-goog-api-key", "AIza-sim"), GEMINI_BODY).body());

        JsonNode usage = r.path("usageMetadata");
        assertThat(r.path("candidates").get(0).path("content").path("parts").get(0).path("text").asText())
                .isEqualTo("Paris");
        assertThat(r.path("candidates").get(0).path("finishReason").asText()).isEqualTo("STOP");
        assertThat(usage.path("candidatesTokenCount").asInt()).isEqualTo(3);
        assertThat(usage.path("thoughtsTokenCount").asInt()).isEqualTo(7);
        assertThat(usage.path("totalTokenCount").asInt()).isEqualTo(15);
        assertThat(usage.path("cachedContentTokenCount").asInt()).isEqualTo(2);
    }

    @Test
    void geminiStreamsCrlfSseWithUsageInEveryChunkAndNoDone() throws Exception {
        SimulatedGeminiServer server = track(SimulatedGeminiServer.start());
        server.enqueue(Behavior.ok("one two three"));

        String body = post(URI.create(server.baseUrl() + "/models/gemini-2.5-flash:streamGenerateContent?alt=sse"),
                Map.of(), GEMINI_BODY).body();

        String[] events = body.split("\r\n\r\n");
        assertThat(events).hasSize(3);
        for (String e : events) {
            assertThat(e).startsWith("data: ").contains("usageMetadata");
        }
        assertThat(events[2]).contains("\"finishReason\":\"STOP\"");
        assertThat(events[0]).doesNotContain("finishReason");
        assertThat(body).doesNotContain("[DONE]");
    }

    @Test
    void geminiWrongKeyIsA400ApiKeyInvalidAndAKeyInTheQueryIsNotAccepted() throws Exception {
        SimulatedGeminiServer server = track(SimulatedGeminiServer.builder().apiKey("AIza-sim").start());

        HttpResponse<String> wrong = post(URI.create(server.baseUrl() + "/models/m:generateContent"),
                Map.of("x-goog-api-key", "AIza-wrong"), GEMINI_BODY);
        HttpResponse<String> inQuery = post(URI.create(server.baseUrl() + "/models/m:generateContent?key=AIza-sim"),
                Map.of(), GEMINI_BODY);

        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(json(wrong.body()).path("error").path("details").get(0).path("reason").asText())
                .isEqualTo("API_KEY_INVALID");
        assertThat(inQuery.statusCode()).isEqualTo(400);
        assertThat(server.lastRequest().orElseThrow().query()).contains("key=AIza-sim");
    }

    @Test
    void geminiErrorsCarryTheStatusNameTheHttpStatusImplies() throws Exception {
        SimulatedGeminiServer server = track(SimulatedGeminiServer.start());
        server.enqueue(Behavior.status(429));

        HttpResponse<String> r = post(URI.create(server.baseUrl() + "/models/m:generateContent"), Map.of(), GEMINI_BODY);

        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(json(r.body()).path("error").path("status").asText()).isEqualTo("RESOURCE_EXHAUSTED");
        assertThat(json(r.body()).path("error").path("code").asInt()).isEqualTo(429);
    }

    // ------------------------------------------------------------------ shared

    @Test
    void ollamaListsItsModelsAndCountsOnlyChatRequestsAsChatRequests() throws Exception {
        SimulatedOllamaServer ollama = track(SimulatedOllamaServer.start());
        HttpResponse<String> tags = HTTP.send(HttpRequest.newBuilder(URI.create(ollama.baseUrl() + "/api/tags"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        post(URI.create(ollama.baseUrl() + "/api/chat"), Map.of(), OLLAMA_BODY.formatted(""));

        assertThat(json(tags.body()).path("models").get(0).path("name").asText()).isEqualTo("llama3.1");
        assertThat(ollama.requestCount()).isEqualTo(2);
        assertThat(ollama.chatRequests()).hasSize(1);
        assertThat(ollama.pendingBehaviors()).isZero();
        assertThat(ollama.keyHeaderValue("k")).isEqualTo("Bearer k");
    }

    // ------------------------------------------------------------------ OpenAI dialects

    private static final String OPENAI_BODY = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]%s}";

    @Test
    void openAiServerAlsoAnswersAzureDeploymentUrlsWithTheKeyInApiKey() throws Exception {
        SimulatedOpenAiServer server = track(SimulatedOpenAiServer.builder().apiKey("0a1b2c").start());

        HttpResponse<String> azure = post(URI.create(server.azureEndpoint()
                + "/openai/deployments/prod/chat/completions?api-version=2024-10-21"), Map.of("api-key", "0a1b2c",
                "Content-Type", "application/json"), OPENAI_BODY.formatted(""));
        HttpResponse<String> wrong = post(URI.create(server.azureEndpoint()
                + "/openai/deployments/prod/chat/completions"), Map.of("api-key", "nope"), OPENAI_BODY.formatted(""));

        assertThat(azure.statusCode()).isEqualTo(200);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(server.chatRequests()).hasSize(2);
        assertThat(server.chatRequests().get(0).secretHeaderEquals("api-key", "0a1b2c")).isTrue();
    }

    @Test
    void mistralDialectSendsUsageInTheFinishChunkAndWholeToolCallsWithShortIds() throws Exception {
        SimulatedOpenAiServer server = track(SimulatedOpenAiServer.builder().mistralDialect().start());
        server.enqueue(Behavior.ok("a b").usage(4, 2).cachedTokens(3), Behavior.toolCall("f", "{\"k\":\"v\"}"));

        String text = post(URI.create(server.baseUrl() + "/chat/completions"), Map.of(),
                OPENAI_BODY.formatted(",\"stream\":true")).body();
        String tools = post(URI.create(server.baseUrl() + "/chat/completions"), Map.of(),
                OPENAI_BODY.formatted(",\"stream\":true")).body();

        List<JsonNode> chunks = new ArrayList<>();
        for (String event : text.split("\n\n")) {
            if (event.startsWith("data: {")) {
                chunks.add(json(event.substring(6)));
            }
        }
        JsonNode finish = chunks.get(chunks.size() - 1);
        assertThat(finish.path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
        assertThat(finish.path("usage").path("num_cached_tokens").asInt()).isEqualTo(3);
        JsonNode call = json(tools.split("\n\n")[1].substring(6)).path("choices").get(0).path("delta")
                .path("tool_calls").get(0);
        assertThat(call.path("id").asText()).hasSize(9);
        assertThat(call.has("type")).isFalse();
        assertThat(call.path("function").path("arguments").asText()).isEqualTo("{\"k\":\"v\"}");
    }
}
