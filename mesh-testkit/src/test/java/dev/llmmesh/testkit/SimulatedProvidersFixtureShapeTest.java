package dev.llmmesh.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmmesh.testkit.SimulatedOpenAiServer.Behavior;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Compares the Anthropic, Gemini and Ollama simulators' JSON with real recordings from {@code $MESH_FIXTURES}: every
 * field path the real API sent must also be in the simulator's answer (tool argument names aside, which depend on the
 * tool). Skipped (and says so) when {@code MESH_FIXTURES} is unset.
 */
class SimulatedProvidersFixtureShapeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** Fields of the recordings the simulators leave out on purpose: Gemini 2.5's signature and finish message. */
    private static final Set<String> IGNORED = Set.of("thoughtSignature", "finishMessage");

    private static Path fixtures() {
        String dir = System.getenv("MESH_FIXTURES");
        if (dir == null || dir.isBlank()) {
            System.out.println("skipped: MESH_FIXTURES not set");
            Assumptions.abort("MESH_FIXTURES not set");
        }
        return Path.of(dir);
    }

    private static void paths(JsonNode node, String prefix, Set<String> out) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if (IGNORED.contains(f.getKey()) || prefix.endsWith("/input") || prefix.endsWith("/args")
                        || prefix.endsWith("/arguments")) {
                    continue;
                }
                String p = prefix + "/" + f.getKey();
                out.add(p);
                paths(f.getValue(), p, out);
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                paths(element, prefix + "[]", out);
            }
        }
    }

    private static Set<String> paths(JsonNode node) {
        Set<String> out = new TreeSet<>();
        paths(node, "", out);
        return out;
    }

    private static Set<String> recorded(String file) throws IOException {
        return paths(JSON.readTree(Files.readString(fixtures().resolve(file))));
    }

    private static JsonNode post(URI uri, Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return JSON.readTree(HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void anthropicAnswersHaveEveryFieldOfTheRecordedOnes() throws Exception {
        Set<String> text = recorded("anthropic/messages-nonstream-text.body.json");
        Set<String> tools = recorded("anthropic/messages-nonstream-tool-use.body.json");
        tools.remove("/content[]/text"); // the recording mixes a text block in; the simulator's tool answer has none
        try (SimulatedAnthropicServer server = SimulatedAnthropicServer.start()) {
            server.enqueue(Behavior.ok("hi"), Behavior.toolCall("get_weather", "{\"location\":\"x\"}"));
            Map<String, String> headers = Map.of("anthropic-version", "2023-06-01");
            String body = "{\"model\":\"m\",\"max_tokens\":9,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";

            assertThat(paths(post(URI.create(server.baseUrl() + "/messages"), headers, body))).containsAll(text);
            assertThat(paths(post(URI.create(server.baseUrl() + "/messages"), headers, body))).containsAll(tools);
        }
    }

    @Test
    void geminiAnswersHaveEveryFieldOfTheRecordedOnes() throws Exception {
        Set<String> text = recorded("gemini/generateContent-text.body.json");
        Set<String> call = recorded("gemini/generateContent-function-call.body.json");
        try (SimulatedGeminiServer server = SimulatedGeminiServer.start()) {
            server.enqueue(Behavior.ok("hi").reasoningTokens(3),
                    Behavior.toolCall("calculator", "{\"expression\":\"1\"}").reasoningTokens(3));
            String body = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"x\"}]}]}";
            URI uri = URI.create(server.baseUrl() + "/models/gemini-2.5-flash:generateContent");

            assertThat(paths(post(uri, Map.of(), body))).containsAll(text);
            assertThat(paths(post(uri, Map.of(), body))).containsAll(call);
        }
    }

    @Test
    void ollamaAnswersAndFinalStreamLinesHaveEveryFieldOfTheRecordedOnes() throws Exception {
        Set<String> whole = recorded("ollama/api-chat-nonstream.body.json");
        String[] lines = Files.readString(fixtures().resolve("ollama/api-chat-stream.body.ndjson")).split("\n");
        Set<String> finalLine = paths(JSON.readTree(lines[lines.length - 1]));
        try (SimulatedOllamaServer server = SimulatedOllamaServer.start()) {
            URI uri = URI.create(server.baseUrl() + "/api/chat");
            String body = "{\"model\":\"llama3\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]%s}";

            assertThat(paths(post(uri, Map.of(), body.formatted(",\"stream\":false")))).containsAll(whole);
            String streamed = HTTP.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers
                    .ofString(body.formatted(""))).build(), HttpResponse.BodyHandlers.ofString()).body();
            String[] simLines = streamed.split("\n");
            assertThat(paths(JSON.readTree(simLines[simLines.length - 1]))).containsAll(finalLine);
        }
    }
}
