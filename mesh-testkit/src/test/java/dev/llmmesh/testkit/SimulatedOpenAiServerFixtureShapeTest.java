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
 * Compares the simulator's JSON with real OpenAI recordings from {@code $MESH_FIXTURES/openai}: every field path the
 * real API sent must also be in the simulator's answer. Skipped (and says so) when {@code MESH_FIXTURES} is unset.
 */
class SimulatedOpenAiServerFixtureShapeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Per-chunk padding OpenAI added in 2025; clients must ignore it, the simulator does not send it. */
    private static final Set<String> IGNORED = Set.of("obfuscation");

    private static Path fixtures() {
        String dir = System.getenv("MESH_FIXTURES");
        if (dir == null || dir.isBlank()) {
            System.out.println("skipped: MESH_FIXTURES not set");
            Assumptions.abort("MESH_FIXTURES not set");
        }
        return Path.of(dir, "openai");
    }

    private static void paths(JsonNode node, String prefix, Set<String> out) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if (IGNORED.contains(f.getKey())) {
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

    private static Set<String> ssePaths(String sse) throws IOException {
        Set<String> out = new TreeSet<>();
        for (String block : sse.split("\n\n")) {
            String data = block.strip();
            if (data.startsWith("data: ") && !data.equals("data: [DONE]")) {
                paths(JSON.readTree(data.substring(6)), "", out);
            }
        }
        return out;
    }

    private static String post(SimulatedOpenAiServer server, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                        + "/chat/completions")).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}]}";
    private static final String STREAM = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"stream_options\":"
            + "{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}]}";
    private static final String STREAM_NO_USAGE = "{\"model\":\"gpt-4o-mini\",\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}]}";

    @Test
    void textAnswerHasEveryFieldOfTheRecordedChatCompletion() throws Exception {
        Path dir = fixtures();
        Set<String> real = paths(JSON.readTree(Files.readString(dir.resolve("chat-nonstream-text.body.json"))));
        try (SimulatedOpenAiServer server = SimulatedOpenAiServer.start()) {
            Set<String> simulated = paths(JSON.readTree(post(server, CHAT)));

            assertThat(simulated).containsAll(real);
        }
    }

    @Test
    void toolCallAnswerHasEveryFieldOfTheRecordedToolCall() throws Exception {
        Path dir = fixtures();
        Set<String> real = paths(JSON.readTree(Files.readString(dir.resolve("chat-nonstream-tool-call.body.json"))));
        try (SimulatedOpenAiServer server = SimulatedOpenAiServer.start()) {
            server.enqueue(Behavior.toolCall("get_current_weather", "{\"location\":\"Boston, MA\"}"));
            Set<String> simulated = paths(JSON.readTree(post(server, CHAT)));

            assertThat(simulated).containsAll(real);
        }
    }

    @Test
    void textStreamHasEveryFieldOfTheRecordedStream() throws Exception {
        Path dir = fixtures();
        Set<String> real = ssePaths(Files.readString(dir.resolve("chat-stream-text.body.sse")));
        try (SimulatedOpenAiServer server = SimulatedOpenAiServer.start()) {
            Set<String> simulated = ssePaths(post(server, STREAM_NO_USAGE));

            assertThat(simulated).containsAll(real);
        }
    }

    @Test
    void toolCallStreamWithUsageHasEveryFieldOfTheRecordedStream() throws Exception {
        Path dir = fixtures();
        Set<String> real = ssePaths(Files.readString(dir.resolve("chat-stream-tool-call-include-usage.body.sse")));
        try (SimulatedOpenAiServer server = SimulatedOpenAiServer.start()) {
            server.enqueue(Behavior.toolCall("get_capital", "{\"country\":\"UK\"}"));
            Set<String> simulated = ssePaths(post(server, STREAM));

            assertThat(simulated).containsAll(real);
        }
    }

    @Test
    void errorEnvelopeHasEveryFieldOfTheRecordedError() throws Exception {
        Path dir = fixtures();
        Set<String> real = paths(JSON.readTree(Files.readString(dir.resolve("error-404-model-not-found.body.json"))));
        try (SimulatedOpenAiServer server = SimulatedOpenAiServer.start()) {
            server.enqueue(Behavior.status(404));
            JsonNode simulated = JSON.readTree(post(server, CHAT));

            assertThat(paths(simulated)).containsAll(real);
            assertThat(simulated.at("/error/code").asText()).isEqualTo("model_not_found");
        }
    }
}
