package dev.llmmesh.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.FinishReason;
import dev.llmmesh.ContextLengthExceededException;
import dev.llmmesh.ErrorKind;
import dev.llmmesh.MeshException;
import dev.llmmesh.NonRetryableException;
import dev.llmmesh.RetryableException;
import dev.llmmesh.Secret;
import dev.llmmesh.client.TokenCounts;
import dev.llmmesh.testkit.ManualClock;
import dev.llmmesh.testkit.SimulatedOpenAiServer;
import dev.llmmesh.testkit.SimulatedOpenAiServer.Behavior;
import dev.llmmesh.testkit.SimulatedOpenAiServer.RecordedRequest;
import dev.llmmesh.testkit.StreamCollector;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OpenAI-specific behaviour of {@link OpenAiClient}. What every client must do (streaming, cancellation, error
 * classes, one HTTP request per failed call) is in {@code OpenAiClientContractTest}, on the same simulator.
 */
class OpenAiClientTest {
    private static final String KEY = "sk-canary-Zq8wX2vR7tY4uI1oP6aS3dF9gH0jK5lL";

    private SimulatedOpenAiServer server;
    private OpenAiClient client;

    @BeforeEach
    void start() {
        server = SimulatedOpenAiServer.builder().apiKey(KEY).start();
        client = client(server, "gpt-4o-mini").build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private static OpenAiClient.Builder client(SimulatedOpenAiServer s, String id) {
        return OpenAiClient.builder(id, "gpt-4o-mini").baseUrl(s.baseUrl()).apiKey(Secret.of(KEY))
                .timeout(Duration.ofSeconds(10));
    }

    private static ChatRequest ask(String text) {
        return ChatRequest.builder().messages(UserMessage.from(text)).build();
    }

    private MeshException failure(Behavior behavior) {
        server.enqueue(behavior);
        try {
            client.chat(ask("hello"));
        } catch (MeshException e) {
            return e;
        }
        throw new AssertionError("expected a MeshException for " + behavior);
    }

    // ------------------------------------------------------------------ answers

    @Test
    void answersWithTextFinishReasonAndUsageIncludingCachedAndReasoningTokens() {
        server.enqueue(Behavior.ok("four words of answer").usage(120, 40).cachedTokens(100).reasoningTokens(30));

        ChatResponse response = client.chat(ask("hello there"));

        assertThat(response.aiMessage().text()).isEqualTo("four words of answer");
        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(TokenCounts.of(response.tokenUsage())).isEqualTo(new TokenCounts(120, 40, 100, 30));
    }

    @Test
    void wordCountedUsageWithoutDetailsReadsAsZeroCachedAndReasoning() {
        ChatResponse response = client.chat(ask("one two three"));

        assertThat(response.aiMessage().text()).isEqualTo("echo: one two three");
        assertThat(TokenCounts.of(response.tokenUsage())).isEqualTo(new TokenCounts(3, 4, 0, 0));
    }

    @Test
    void sendsTheDeploymentsModelNameWhateverNameTheCallerUsed() {
        client.chat(ChatRequest.builder().messages(UserMessage.from("x")).modelName("my-alias").build());
        client.chat(ask("y"));

        assertThat(server.chatRequests()).allSatisfy(r ->
                assertThat(r.json().path("model").asText()).isEqualTo("gpt-4o-mini"));
    }

    @Test
    void answersWithToolCalls() {
        server.enqueue(Behavior.toolCall("get_weather", "{\"city\":\"Oslo\"}"));

        ChatResponse response = client.chat(ChatRequest.builder().messages(UserMessage.from("weather?"))
                .toolSpecifications(weatherTool()).build());

        assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
        assertThat(response.aiMessage().toolExecutionRequests()).singleElement()
                .satisfies(c -> assertThat(c.arguments()).isEqualTo("{\"city\":\"Oslo\"}"));
    }

    private static ToolSpecification weatherTool() {
        return ToolSpecification.builder().name("get_weather")
                .parameters(JsonObjectSchema.builder().addStringProperty("city").required("city").build()).build();
    }

    // ------------------------------------------------------------------ errors

    @Test
    void rateLimitIsRetryableWithTheRetryAfterHint() {
        MeshException e = failure(Behavior.rateLimited(Duration.ofSeconds(30)));

        assertThat(e).isInstanceOf(RetryableException.class);
        assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
        assertThat(e.modelId()).contains("gpt-4o-mini");
        assertThat(e.getMessage()).contains("HTTP 429").contains("code=rate_limit_exceeded").contains("request-id=req_");
    }

    @Test
    void retryAfterMsTakesPrecedenceOverRetryAfter() {
        MeshException e = failure(Behavior.status(429).header("retry-after", "30").header("retry-after-ms", "1500"));

        assertThat(e.retryAfter()).contains(Duration.ofMillis(1500));
    }

    @Test
    void retryAfterAsAnHttpDateIsMeasuredAgainstTheInjectedClock() {
        ManualClock clock = new ManualClock();
        String in45s = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.ofInstant(clock.instant().plusSeconds(45), ZoneOffset.UTC));
        try (OpenAiClient dated = client(server, "dated").clock(clock).build()) {
            server.enqueue(Behavior.status(503).header("retry-after", in45s));

            assertThatThrownBy(() -> dated.chat(ask("x"))).isInstanceOfSatisfying(RetryableException.class, e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.OVERLOADED);
                assertThat(e.retryAfter()).contains(Duration.ofSeconds(45));
            });
        }
    }

    @Test
    void unparseableRetryAfterIsIgnoredNotFatal() {
        MeshException e = failure(Behavior.status(429).header("retry-after", "soon"));

        assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
        assertThat(e.retryAfter()).isEmpty();
    }

    @Test
    void serverErrorIsRetryable() {
        MeshException e = failure(Behavior.status(500));

        assertThat(e).isInstanceOf(RetryableException.class);
        assertThat(e.kind()).isEqualTo(ErrorKind.SERVER_ERROR);
        assertThat(e.getMessage()).contains("type=server_error");
    }


    @Test
    void wrongKeyIsAnAuthenticationFailureThatBreaksTheDeployment() {
        try (OpenAiClient wrong = OpenAiClient.builder("wrong", "gpt-4o-mini").baseUrl(server.baseUrl())
                .apiKey(Secret.of("sk-wrong-key")).build()) {
            assertThatThrownBy(() -> wrong.chat(ask("x"))).isInstanceOfSatisfying(NonRetryableException.class, e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
                assertThat(e.deploymentBroken()).isTrue();
                assertThat(e.getMessage()).contains("code=invalid_api_key");
            });
        }
    }

    @Test
    void contextLengthExceededIsItsOwnException() {
        MeshException e = failure(Behavior.contextLengthExceeded());

        assertThat(e).isInstanceOf(ContextLengthExceededException.class);
        assertThat(e.kind()).isEqualTo(ErrorKind.CONTEXT_LENGTH);
        assertThat(e.getMessage()).contains("param=messages");
    }

    @Test
    void insufficientQuotaIsNotRetryable() {
        MeshException e = failure(Behavior.insufficientQuota());

        assertThat(e).isInstanceOf(NonRetryableException.class);
        assertThat(e.kind()).isEqualTo(ErrorKind.QUOTA_EXHAUSTED);
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.retryAfter()).isEmpty();
    }

    @Test
    void plainBadRequestIsNotRetryable() {
        MeshException e = failure(Behavior.status(400).error("invalid_request_error", "unsupported_parameter",
                "Unsupported parameter: 'max_tokens'"));

        assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
        assertThat(e.getMessage()).contains("code=unsupported_parameter").doesNotContain("Unsupported parameter");
    }

    @Test
    void unknownModelIsNotFound() {
        assertThat(failure(Behavior.status(404)).kind()).isEqualTo(ErrorKind.NOT_FOUND);
    }



    @Test
    void noAnswerWithinTheTimeoutIsATimeout() {
        try (OpenAiClient impatient = client(server, "impatient").timeout(Duration.ofMillis(300)).build()) {
            server.enqueue(Behavior.hang());

            assertThatThrownBy(() -> impatient.chat(ask("x"))).isInstanceOfSatisfying(RetryableException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT));
        }
    }

    @Test
    void unreachableServerIsAConnectionFailure() {
        SimulatedOpenAiServer gone = SimulatedOpenAiServer.start();
        OpenAiClient.Builder builder = client(gone, "gone");
        gone.close();
        try (OpenAiClient c = builder.build()) {
            assertThatThrownBy(() -> c.chat(ask("x"))).isInstanceOfSatisfying(RetryableException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONNECTION));
        }
    }


    // ------------------------------------------------------------------ keys

    @Test
    void keyTravelsOnlyInTheAuthorizationHeader() {
        client.chat(ask("hello"));
        stream(ask("hello"));

        assertThat(server.chatRequests()).hasSize(2).allSatisfy(r -> {
            assertThat(r.bearerTokenEquals(KEY)).isTrue();
            assertThat(r.body()).doesNotContain(KEY);
            assertThat(r.path()).doesNotContain(KEY);
            assertThat(r.query()).isEmpty();
            assertThat(r.headers().toString()).doesNotContain(KEY);
        });
    }

    @Test
    void withoutAKeyNoAuthorizationHeaderIsSent() {
        try (SimulatedOpenAiServer open = SimulatedOpenAiServer.start();
             OpenAiClient keyless = OpenAiClient.builder("local", "llama3").baseUrl(open.baseUrl()).build()) {
            keyless.chat(ask("x"));

            RecordedRequest r = open.lastRequest().orElseThrow();
            assertThat(r.hasAuthorization()).isFalse();
            assertThat(keyless.toString()).contains("apiKey=none");
        }
    }

    @Test
    void scenario34_keyNeverAppearsInExceptionsEvenWhenTheProviderEchoesIt() {
        String echo = "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\",\"type\":"
                + "\"invalid_request_error\",\"param\":null,\"code\":\"" + KEY + "\"}}";
        MeshException e = failure(Behavior.status(401).body(echo).header("x-request-id", KEY));

        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(KEY).doesNotContain("Incorrect API key");
            assertThat(t.toString()).doesNotContain(KEY);
        }
        assertThat(client.toString()).doesNotContain(KEY).contains("apiKey=***");
    }

    // ------------------------------------------------------------------ streaming

    private StreamCollector stream(ChatRequest request) {
        StreamCollector c = new StreamCollector();
        client.stream(request, c);
        c.await();
        return c;
    }

    @Test
    void streamingForwardsPartialTextThenTheCompleteResponseWithUsage() {
        server.enqueue(Behavior.ok("alpha beta gamma delta").chunks(2).cachedTokens(1).reasoningTokens(2));

        StreamCollector c = stream(ask("go on"));

        assertThat(c.partials()).containsExactly("alpha beta ", "gamma delta");
        assertThat(c.error()).isNull();
        assertThat(c.complete().aiMessage().text()).isEqualTo("alpha beta gamma delta");
        assertThat(c.complete().finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(TokenCounts.of(c.complete().tokenUsage())).isEqualTo(new TokenCounts(2, 6, 1, 2));
        assertThat(server.lastRequest().orElseThrow().isStreaming()).isTrue();
    }

    @Test
    void streamingForwardsToolCalls() {
        server.enqueue(Behavior.toolCall("get_weather", "{\"city\":\"Lima\"}"));

        StreamCollector c = stream(ChatRequest.builder().messages(UserMessage.from("weather?"))
                .toolSpecifications(weatherTool()).build());

        assertThat(c.error()).isNull();
        assertThat(c.toolCalls()).singleElement().satisfies(t ->
                assertThat(t.toolExecutionRequest().arguments()).isEqualTo("{\"city\":\"Lima\"}"));
        assertThat(c.complete().aiMessage().toolExecutionRequests()).hasSize(1);
    }

    @Test
    void scenario16_streamCutWithoutFinishReasonEndsWithAnErrorNeverACleanEnd() {
        server.enqueue(Behavior.ok().streamCutAfter(3));

        StreamCollector c = stream(ask("a b c d e f g h"));

        assertThat(c.partials()).hasSize(3);
        assertThat(c.complete()).isNull();
        assertThat(c.error()).isInstanceOfSatisfying(RetryableException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.CONNECTION);
            assertThat(e.getMessage()).contains("after 3 chunk(s) without a finish reason");
        });
    }

    @Test
    void errorObjectInsideTheStreamIsClassifiedLikeAnHttpError() {
        server.enqueue(Behavior.ok().streamErrorAfter(1));

        StreamCollector c = stream(ask("x y z"));

        assertThat(c.partials()).hasSize(1);
        assertThat(c.complete()).isNull();
        assertThat(c.error()).isInstanceOfSatisfying(RetryableException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.SERVER_ERROR));
    }


    @Test
    void malformedStreamIsReportedOnceAsMalformed() {
        server.enqueue(Behavior.malformed());

        StreamCollector c = stream(ask("x"));

        assertThat(c.error()).isInstanceOfSatisfying(RetryableException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.MALFORMED_RESPONSE));
        assertThat(c.terminalCallbacks()).isEqualTo(1);
    }



    // ------------------------------------------------------------------ lifecycle and config

    @Test
    void toStringShowsWhereButNeverTheKey() {
        assertThat(client.toString()).contains("gpt-4o-mini").contains(server.baseUrl().toString())
                .contains("apiKey=***").doesNotContain(KEY);
    }

    @Test
    void closedClientRefusesCalls() {
        OpenAiClient closed = client(server, "closed").build();
        closed.close();

        assertThatThrownBy(() -> closed.chat(ask("x"))).isInstanceOf(MeshException.class).hasMessageContaining("closed");
        StreamCollector c = new StreamCollector();
        closed.stream(ask("x"), c);
        assertThat(c.error()).isInstanceOf(MeshException.class);
        assertThat(server.chatRequests()).isEmpty();
    }

    @Test
    void defaultsPointAtOpenAi() {
        try (OpenAiClient d = OpenAiClient.builder("d", "gpt-4o").build()) {
            assertThat(d.baseUrl()).hasToString("https://api.openai.com/v1");
            assertThat(d.timeout()).isEqualTo(Duration.ofSeconds(60));
            assertThat(d.descriptor().provider()).isEqualTo("openai");
        }
    }

    @Test
    void invalidTimeoutIsRejectedAtConfiguration() {
        assertThatThrownBy(() -> OpenAiClient.builder("x", "y").timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
    }
}
