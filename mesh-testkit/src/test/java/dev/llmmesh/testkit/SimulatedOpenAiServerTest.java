package dev.llmmesh.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmmesh.testkit.SimulatedOpenAiServer.Behavior;
import dev.llmmesh.testkit.SimulatedOpenAiServer.RecordedRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Drives the simulator with a plain JDK HTTP client and checks the bytes on the wire. */
class SimulatedOpenAiServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "sk-test-canary-0123456789abcdef";
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private final HttpClient http = HttpClient.newHttpClient();
    private SimulatedOpenAiServer server;

    @BeforeEach
    void start() {
        server = SimulatedOpenAiServer.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> post(String body) throws IOException, InterruptedException {
        return post(body, null);
    }

    private HttpResponse<String> post(String body, Duration timeout) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (timeout != null) {
            b.timeout(timeout);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String chat(String user) {
        return "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},"
                + "{\"role\":\"user\",\"content\":\"" + user + "\"}]}";
    }

    private static String streamingChat(String user, boolean includeUsage) {
        return "{\"model\":\"gpt-4o-mini\",\"stream\":true," + (includeUsage
                ? "\"stream_options\":{\"include_usage\":true}," : "")
                + "\"messages\":[{\"role\":\"user\",\"content\":\"" + user + "\"}]}";
    }

    /** The JSON payloads of the {@code data:} events, {@code [DONE]} as a text node. */
    private static List<JsonNode> events(String sse) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String block : sse.split("\n\n")) {
            if (block.isBlank()) {
                continue;
            }
            assertThat(block).startsWith("data: ");
            String data = block.substring("data: ".length());
            out.add(data.equals("[DONE]") ? JSON.getNodeFactory().textNode("[DONE]") : JSON.readTree(data));
        }
        return out;
    }

    @Test
    void baseUrlIsLoopbackWithTheV1Prefix() {
        assertThat(server.baseUrl().getHost()).isEqualTo("127.0.0.1");
        assertThat(server.baseUrl().getPath()).isEqualTo("/v1");
        assertThat(server.port()).isPositive();
    }

    @Test
    void nonStreamingAnswerHasTheChatCompletionShapeAndEchoesTheLastUserMessage() throws Exception {
        HttpResponse<String> response = post(chat("hello there"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).contains("application/json");
        assertThat(response.headers().firstValue("x-request-id")).hasValueSatisfying(v -> assertThat(v).startsWith("req_"));
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("id").asText()).startsWith("chatcmpl-");
        assertThat(body.path("object").asText()).isEqualTo("chat.completion");
        assertThat(body.path("created").asLong()).isEqualTo(NOW.getEpochSecond());
        assertThat(body.path("model").asText()).isEqualTo("gpt-4o-mini");
        JsonNode choice = body.path("choices").get(0);
        assertThat(choice.path("index").asInt()).isZero();
        assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
        assertThat(choice.path("message").path("content").asText()).isEqualTo("echo: hello there");
        assertThat(choice.path("message").path("refusal").isNull()).isTrue();
        assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
        JsonNode usage = body.path("usage");
        assertThat(usage.path("prompt_tokens").asInt()).isEqualTo(4); // "be brief" + "hello there"
        assertThat(usage.path("completion_tokens").asInt()).isEqualTo(3); // "echo: hello there"
        assertThat(usage.path("total_tokens").asInt()).isEqualTo(7);
        assertThat(usage.path("prompt_tokens_details").path("cached_tokens").asInt()).isZero();
        assertThat(usage.path("completion_tokens_details").path("reasoning_tokens").asInt()).isZero();
        assertThat(body.has("system_fingerprint")).isTrue();
    }

    @Test
    void cachedAndReasoningTokensAreReportedInsideTheTotals() throws Exception {
        server.enqueue(Behavior.ok("fine thanks").cachedTokens(2).reasoningTokens(10));

        JsonNode usage = JSON.readTree(post(chat("how are you")).body()).path("usage");

        assertThat(usage.path("prompt_tokens").asInt()).isEqualTo(5);
        assertThat(usage.path("prompt_tokens_details").path("cached_tokens").asInt()).isEqualTo(2);
        assertThat(usage.path("completion_tokens").asInt()).isEqualTo(12);
        assertThat(usage.path("completion_tokens_details").path("reasoning_tokens").asInt()).isEqualTo(10);
        assertThat(usage.path("total_tokens").asInt()).isEqualTo(17);
    }

    @Test
    void configuredDefaultAnswerReplacesTheEcho() throws Exception {
        try (SimulatedOpenAiServer fixed = SimulatedOpenAiServer.builder().defaultAnswer("always this").start()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(fixed.baseUrl()
                            + "/chat/completions")).POST(HttpRequest.BodyPublishers.ofString(chat("x"))).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(JSON.readTree(response.body()).at("/choices/0/message/content").asText())
                    .isEqualTo("always this");
        }
    }

    @Test
    void aPacedStreamSendsTheSameEventsAsAnUnpacedOne() throws Exception {
        server.enqueue(Behavior.ok("one two three four").chunks(4));
        List<JsonNode> plain = events(post(streamingChat("hi", true)).body());
        server.enqueue(Behavior.ok("one two three four").chunks(4).chunkInterval(Duration.ofMillis(2)));
        List<JsonNode> paced = events(post(streamingChat("hi", true)).body());

        assertThat(paced).hasSameSizeAs(plain).hasSize(8); // role, 4 deltas, finish, usage, [DONE]
        for (int i = 1; i <= 4; i++) {
            assertThat(paced.get(i).at("/choices/0/delta/content").asText())
                    .isEqualTo(plain.get(i).at("/choices/0/delta/content").asText());
        }
        assertThatThrownBy(() -> Behavior.ok().chunkInterval(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chunkInterval");
    }

    @Test
    void aServerThatDoesNotRecordAnswersAndKeepsNothing() throws Exception {
        try (SimulatedOpenAiServer quiet = SimulatedOpenAiServer.builder().recordRequests(false)
                .defaultAnswer("ok").start()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(quiet.baseUrl() + "/chat/completions"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(chat("hi")))
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(r.body()).at("/choices/0/message/content").asText()).isEqualTo("ok");
            assertThat(quiet.requests()).isEmpty();
            assertThat(quiet.lastRequest()).isEmpty();
        }
    }

    @Test
    void streamingSendsRoleChunkDeltasFinishChunkUsageChunkThenDone() throws Exception {
        server.enqueue(Behavior.ok("one two three four").chunks(2));

        HttpResponse<String> response = post(streamingChat("hi", true));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).contains("text/event-stream; charset=utf-8");
        List<JsonNode> events = events(response.body());
        assertThat(events).hasSize(6); // role, 2 deltas, finish, usage, [DONE]
        JsonNode first = events.get(0);
        assertThat(first.path("object").asText()).isEqualTo("chat.completion.chunk");
        assertThat(first.at("/choices/0/delta/role").asText()).isEqualTo("assistant");
        assertThat(first.at("/choices/0/delta/content").asText()).isEmpty();
        assertThat(events.get(1).at("/choices/0/delta/content").asText()).isEqualTo("one two ");
        assertThat(events.get(2).at("/choices/0/delta/content").asText()).isEqualTo("three four");
        JsonNode finish = events.get(3);
        assertThat(finish.at("/choices/0/delta").isEmpty()).isTrue();
        assertThat(finish.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        for (int i = 0; i < 4; i++) {
            assertThat(events.get(i).has("usage")).isTrue();
            assertThat(events.get(i).path("usage").isNull()).isTrue();
            assertThat(events.get(i).path("id").asText()).isEqualTo(first.path("id").asText());
        }
        JsonNode usageChunk = events.get(4);
        assertThat(usageChunk.path("choices").isArray()).isTrue();
        assertThat(usageChunk.path("choices")).isEmpty();
        assertThat(usageChunk.at("/usage/prompt_tokens").asInt()).isEqualTo(1);
        assertThat(usageChunk.at("/usage/completion_tokens").asInt()).isEqualTo(4);
        assertThat(events.get(5).asText()).isEqualTo("[DONE]");
    }

    @Test
    void streamingWithoutIncludeUsageSendsNoUsageField() throws Exception {
        List<JsonNode> events = events(post(streamingChat("hi", false)).body());

        assertThat(events.get(events.size() - 1).asText()).isEqualTo("[DONE]");
        assertThat(events.subList(0, events.size() - 1)).allSatisfy(e -> assertThat(e.has("usage")).isFalse());
        assertThat(events.get(events.size() - 2).at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    }

    @Test
    void toolCallAnswerHasNullContentAndStringArguments() throws Exception {
        server.enqueue(Behavior.toolCall("get_weather", "{\"city\":\"Paris\"}"));

        JsonNode message = JSON.readTree(post(chat("weather?")).body()).at("/choices/0");

        assertThat(message.path("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(message.at("/message/content").isNull()).isTrue();
        JsonNode call = message.at("/message/tool_calls/0");
        assertThat(call.path("id").asText()).startsWith("call_");
        assertThat(call.path("type").asText()).isEqualTo("function");
        assertThat(call.at("/function/name").asText()).isEqualTo("get_weather");
        assertThat(call.at("/function/arguments").isTextual()).isTrue();
        assertThat(call.at("/function/arguments").asText()).isEqualTo("{\"city\":\"Paris\"}");
    }

    @Test
    void streamedToolCallArgumentsArriveInFragmentsThatConcatenateToTheJson() throws Exception {
        server.enqueue(Behavior.toolCall("get_capital", "{\"country\":\"UK\"}"));

        List<JsonNode> events = events(post(streamingChat("capital?", true)).body());

        JsonNode head = events.get(1).at("/choices/0/delta/tool_calls/0");
        assertThat(head.path("id").asText()).startsWith("call_");
        assertThat(head.at("/function/name").asText()).isEqualTo("get_capital");
        assertThat(head.at("/function/arguments").asText()).isEmpty();
        StringBuilder args = new StringBuilder();
        String finishReason = null;
        for (JsonNode e : events) {
            args.append(e.at("/choices/0/delta/tool_calls/0/function/arguments").asText(""));
            if (e.at("/choices/0/finish_reason").isTextual()) {
                finishReason = e.at("/choices/0/finish_reason").asText();
            }
        }
        assertThat(args.toString()).isEqualTo("{\"country\":\"UK\"}");
        assertThat(finishReason).isEqualTo("tool_calls");
    }

    @Test
    void rateLimitedAnswers429WithRetryAfterAndTheOpenAiErrorEnvelope() throws Exception {
        server.enqueue(Behavior.rateLimited(Duration.ofSeconds(30)));

        HttpResponse<String> response = post(chat("x"));

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("retry-after")).contains("30");
        assertThat(response.headers().firstValue("x-request-id")).isPresent();
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(error.path("type").asText()).isEqualTo("requests");
        assertThat(error.has("param")).isTrue();
        assertThat(error.path("param").isNull()).isTrue();
        assertThat(error.path("message").asText()).isNotBlank();
    }

    @Test
    void quotaAndContextLengthErrorsCarryTheirRealCodes() throws Exception {
        server.enqueue(Behavior.insufficientQuota(), Behavior.contextLengthExceeded());

        HttpResponse<String> quota = post(chat("x"));
        HttpResponse<String> context = post(chat("y"));

        assertThat(quota.statusCode()).isEqualTo(429);
        assertThat(JSON.readTree(quota.body()).at("/error/code").asText()).isEqualTo("insufficient_quota");
        assertThat(context.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(context.body()).at("/error/code").asText()).isEqualTo("context_length_exceeded");
        assertThat(JSON.readTree(context.body()).at("/error/param").asText()).isEqualTo("messages");
    }

    @Test
    void statusBehaviourTakesACustomBodyAndHeaders() throws Exception {
        server.enqueue(Behavior.status(503).header("x-should-retry", "true").body("upstream unavailable"));

        HttpResponse<String> response = post(chat("x"));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("x-should-retry")).contains("true");
        assertThat(response.body()).isEqualTo("upstream unavailable");
    }

    @Test
    void errorStatusOutsideTheErrorRangeIsRejected() {
        assertThatThrownBy(() -> Behavior.status(200)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[400, 599]");
        assertThatThrownBy(() -> Behavior.ok().body("x")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void requestsWithoutModelOrMessagesGetTheRealValidationErrors() throws Exception {
        HttpResponse<String> empty = post("{\"model\":\"gpt-4o-mini\",\"messages\":[]}");
        HttpResponse<String> noModel = post("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        HttpResponse<String> notJson = post("{oops");

        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(empty.body()).at("/error/code").asText()).isEqualTo("empty_array");
        assertThat(noModel.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(noModel.body()).at("/error/message").asText()).contains("model");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(notJson.body()).at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(server.pendingBehaviors()).isZero();
    }

    @Test
    void streamCutAfterStopsWithoutFinishReasonOrDone() throws Exception {
        server.enqueue(Behavior.ok().streamCutAfter(2));

        HttpResponse<String> response = post(streamingChat("a b c d e f", true));

        List<JsonNode> events = events(response.body());
        assertThat(events).hasSize(3); // role chunk + 2 content chunks
        assertThat(events).noneMatch(e -> e.isTextual());
        assertThat(events).allSatisfy(e -> assertThat(e.at("/choices/0/finish_reason").isNull()).isTrue());
    }

    @Test
    void streamErrorAfterSendsAnErrorObjectInsideTheStream() throws Exception {
        server.enqueue(Behavior.ok().streamErrorAfter(1));

        List<JsonNode> events = events(post(streamingChat("a b c", false)).body());

        assertThat(events).hasSize(3);
        assertThat(events.get(2).at("/error/type").asText()).isEqualTo("server_error");
    }

    @Test
    void cutNonStreamingAnswerDropsTheConnectionMidBody() {
        server.enqueue(Behavior.ok().streamCutAfter(0));

        assertThatThrownBy(() -> post(chat("x"))).isInstanceOf(IOException.class);
    }

    @Test
    void malformedAnswersStatus200WithABodyThatIsNotJson() throws Exception {
        server.enqueue(Behavior.malformed());

        HttpResponse<String> response = post(chat("x"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> JSON.readTree(response.body())).isInstanceOf(IOException.class);
    }

    @Test
    void hangNeverAnswers() {
        server.enqueue(Behavior.hang());

        assertThatThrownBy(() -> post(chat("x"), Duration.ofMillis(300))).isInstanceOf(HttpTimeoutException.class);
        assertThat(server.chatRequests()).hasSize(1);
    }

    @Test
    void latencyDelaysTheAnswerOnTheServerSide() {
        server.enqueue(Behavior.latency(Duration.ofSeconds(30)));

        assertThatThrownBy(() -> post(chat("x"), Duration.ofMillis(200))).isInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void queuedBehavioursRunInOrderThenTheDefault() throws Exception {
        server.setDefault(Behavior.ok("default"));
        server.enqueue(Behavior.status(500), Behavior.ok("second"));

        assertThat(post(chat("a")).statusCode()).isEqualTo(500);
        assertThat(JSON.readTree(post(chat("b")).body()).at("/choices/0/message/content").asText()).isEqualTo("second");
        assertThat(JSON.readTree(post(chat("c")).body()).at("/choices/0/message/content").asText()).isEqualTo("default");
        assertThat(server.chatRequests()).hasSize(3);
    }

    @Test
    void recordsRequestsButMasksCredentialHeaders() throws Exception {
        post(chat("hello"));

        RecordedRequest request = server.lastRequest().orElseThrow();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/chat/completions");
        assertThat(request.json().path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(request.isStreaming()).isFalse();
        assertThat(request.header("Authorization")).contains("***");
        assertThat(request.headers().toString()).doesNotContain(KEY);
        assertThat(request.toString()).doesNotContain(KEY).doesNotContain("hello");
        assertThat(request.bearerTokenEquals(KEY)).isTrue();
        assertThat(request.bearerTokenEquals("sk-other")).isFalse();
    }

    @Test
    void configuredKeyIsRequiredAndWrongKeysGet401InvalidApiKey() throws Exception {
        try (SimulatedOpenAiServer locked = SimulatedOpenAiServer.builder().apiKey(KEY).start()) {
            HttpRequest.Builder base = HttpRequest.newBuilder(URI.create(locked.baseUrl() + "/chat/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString(chat("x")));
            HttpResponse<String> none = http.send(base.build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> wrong = http.send(base.copy().header("Authorization", "Bearer sk-wrong").build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> right = http.send(base.copy().header("Authorization", "Bearer " + KEY).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(JSON.readTree(wrong.body()).at("/error/code").asText()).isEqualTo("invalid_api_key");
            assertThat(wrong.body()).doesNotContain("sk-wrong");
            assertThat(right.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void modelsEndpointListsTheConfiguredModels() throws Exception {
        try (SimulatedOpenAiServer s = SimulatedOpenAiServer.builder().models("gpt-4o-mini", "gpt-4o").start()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(s.baseUrl() + "/models"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());

            JsonNode body = JSON.readTree(response.body());
            assertThat(body.path("object").asText()).isEqualTo("list");
            assertThat(body.path("data").findValuesAsText("id")).containsExactly("gpt-4o-mini", "gpt-4o");
            assertThat(body.at("/data/0/object").asText()).isEqualTo("model");
        }
    }

    @Test
    void unknownPathsGet404WithTheErrorEnvelope() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/nope"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(response.body()).at("/error/type").asText()).isEqualTo("invalid_request_error");
    }
}
