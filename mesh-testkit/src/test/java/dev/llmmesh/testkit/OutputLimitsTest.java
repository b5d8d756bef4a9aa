package dev.llmmesh.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmmesh.testkit.SimulatedOpenAiServer.Behavior;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every simulator honours the request's output limit, and a cut stream keeps the scripted text. */
class OutputLimitsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String LONG = "one two three four five six seven eight nine ten";
    private final List<SimulatedProvider> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(SimulatedProvider::close);
    }

    private <T extends SimulatedProvider> T track(T server) {
        servers.add(server);
        server.enqueue(Behavior.ok(LONG));
        return server;
    }

    private static JsonNode post(String uri, Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        headers.forEach(b::header);
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void openAiCutsTheAnswerAtMaxTokensReportsLengthAndBillsNoMore() throws Exception {
        SimulatedOpenAiServer s = track(SimulatedOpenAiServer.start());
        JsonNode r = post(s.baseUrl() + "/chat/completions", Map.of(), "{\"model\":\"m\",\"max_tokens\":3,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.at("/choices/0/message/content").asText()).isEqualTo("one two three");
        assertThat(r.at("/choices/0/finish_reason").asText()).isEqualTo("length");
        assertThat(r.at("/usage/completion_tokens").asInt()).isEqualTo(3);

        s.enqueue(Behavior.ok(LONG).usage(10, 500)); // a scripted count above the limit is capped too
        JsonNode capped = post(s.baseUrl() + "/chat/completions", Map.of(), "{\"model\":\"m\","
                + "\"max_completion_tokens\":4,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(capped.at("/usage/completion_tokens").asInt()).isEqualTo(4);

        s.enqueue(Behavior.ok("short"));
        JsonNode within = post(s.baseUrl() + "/chat/completions", Map.of(), "{\"model\":\"m\",\"max_tokens\":3,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(within.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    }

    @Test
    void anthropicStopsAtMaxTokens() throws Exception {
        SimulatedAnthropicServer s = track(SimulatedAnthropicServer.start());
        JsonNode r = post(s.baseUrl() + "/messages", Map.of("x-api-key", "k", "anthropic-version", "2023-06-01"),
                "{\"model\":\"claude\",\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.at("/content/0/text").asText()).isEqualTo("one two");
        assertThat(r.path("stop_reason").asText()).isEqualTo("max_tokens");
        assertThat(r.at("/usage/output_tokens").asInt()).isEqualTo(2);
    }

    @Test
    void geminiStopsAtMaxOutputTokens() throws Exception {
        SimulatedGeminiServer s = track(SimulatedGeminiServer.start());
        JsonNode r = post(s.baseUrl() + "/models/gemini-2.5-flash:generateContent", Map.of("x-goog-api-key", "k"),
                "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}],"
                        + "\"generationConfig\":{\"maxOutputTokens\":5}}");
        assertThat(r.at("/candidates/0/content/parts/0/text").asText()).isEqualTo("one two three four five");
        assertThat(r.at("/candidates/0/finishReason").asText()).isEqualTo("MAX_TOKENS");
        assertThat(r.at("/usageMetadata/candidatesTokenCount").asInt()).isEqualTo(5);
    }

    @Test
    void ollamaStopsAtNumPredict() throws Exception {
        SimulatedOllamaServer s = track(SimulatedOllamaServer.start());
        JsonNode r = post(s.baseUrl() + "/api/chat", Map.of(), "{\"model\":\"llama3.1\",\"stream\":false,"
                + "\"options\":{\"num_predict\":1},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.at("/message/content").asText()).isEqualTo("one");
        assertThat(r.path("done_reason").asText()).isEqualTo("length");
        assertThat(r.path("eval_count").asInt()).isEqualTo(1);
    }

    @Test
    void aCutStreamKeepsTheScriptedText() throws Exception {
        SimulatedOpenAiServer s = SimulatedOpenAiServer.start();
        servers.add(s);
        s.enqueue(Behavior.ok("x y z").streamCutAfter(2));
        HttpRequest req = HttpRequest.newBuilder(URI.create(s.baseUrl() + "/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build();
        String sse = HTTP.send(req, HttpResponse.BodyHandlers.ofString()).body();
        StringBuilder text = new StringBuilder();
        for (String block : sse.split("\n\n")) {
            if (block.startsWith("data: {")) {
                text.append(JSON.readTree(block.substring(6)).at("/choices/0/delta/content").asText(""));
            }
        }
        assertThat(text.toString()).isEqualTo("x y ");
        assertThat(sse).doesNotContain("[DONE]");
        assertThatThrownBy(() -> Behavior.status(500).streamCutAfter(1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("streamCutAfter");
    }
}
