package dev.llmmesh.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.output.FinishReason;
import dev.llmmesh.ContextLengthExceededException;
import dev.llmmesh.ErrorKind;
import dev.llmmesh.MeshException;
import dev.llmmesh.NonRetryableException;
import dev.llmmesh.RetryableException;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.client.TokenCounts;
import dev.llmmesh.testkit.SimulatedOpenAiServer.Behavior;
import dev.llmmesh.testkit.SimulatedOpenAiServer.RecordedRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link LlmClient} must keep, run against the provider's simulated server: a provider module
 * extends this class once per client and says how to start its {@link SimulatedProvider} and build its client.
 *
 * <pre>{@code
 * class AnthropicClientContractTest extends LlmClientContractTest {
 *     protected SimulatedProvider startServer(String apiKey) {
 *         return SimulatedAnthropicServer.builder().apiKey(apiKey).start();
 *     }
 *     protected LlmClient createClient(SimulatedProvider server, String id, String apiKey) {
 *         return AnthropicClient.builder(id, "claude-sonnet-4-5").baseUrl(server.baseUrl())
 *             .apiKey(Secret.of(apiKey)).build();
 *     }
 * }
 * }</pre>
 *
 * <p>What it checks, for blocking and streaming calls alike:
 * <ul>
 *   <li><b>answers</b>: text, finish reason, usage with cached-input and reasoning tokens (where the protocol reports
 *       them), the deployment's model name on the wire;</li>
 *   <li><b>streams</b>: partial text as it comes, then exactly one terminal callback;</li>
 *   <li><b>tools</b>: tool specifications and JSON-schema response formats reach the server; parallel tool calls come
 *       back with distinct ids and JSON arguments, in both modes;</li>
 *   <li><b>errors</b>: 429 is retryable with the {@code Retry-After} hint, 5xx retryable, 503 overloaded, a wrong key
 *       is an authentication failure, 404 not found, 400 a bad request, a context-length answer its own exception, a
 *       malformed body a malformed response; a cut stream and an error inside a 200 stream end with an error, never a
 *       clean end; exactly one HTTP request per call (scenario 4);</li>
 *   <li><b>time and cancellation</b>: {@link LlmClient#chat(ChatRequest, Duration)} gives up when the time is up;
 *       cancelling a stream before or during the answer silences every later callback;</li>
 *   <li><b>keys</b>: the key travels only in its header, never in the URL, the body or another header, and never in
 *       {@code toString()} or an exception (scenario 34).</li>
 * </ul>
 * Each test gets a fresh server and client. The class is abstract and public so that other modules' tests can extend
 * it; it is not thread-safe.
 */
public abstract class LlmClientContractTest {
    /** The key the server requires; a canary in OpenAI's format unless {@link #apiKey()} is overridden. */
    protected static final String DEFAULT_KEY = "sk-contract-Zq8wX2vR7tY4uI1oP6aS3dF9gH0jK5";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** The provider's simulator for this test, started before each test. */
    protected SimulatedProvider server;
    /** The client under test, built before each test. */
    protected LlmClient client;

    /** Starts the provider's simulated server, requiring {@code apiKey}. */
    protected abstract SimulatedProvider startServer(String apiKey);

    /**
     * Builds the client under test: deployment {@code id}, talking to {@code server} with {@code apiKey}, with a
     * per-request timeout of a few seconds.
     */
    protected abstract LlmClient createClient(SimulatedProvider server, String id, String apiKey);

    /** The key the server requires; override to use the provider's key format. */
    protected String apiKey() {
        return DEFAULT_KEY;
    }

    /** Whether the protocol reports cached-input tokens (Ollama does not). */
    protected boolean reportsCachedTokens() {
        return true;
    }

    /** Whether the protocol reports reasoning tokens apart (Anthropic and Ollama do not). */
    protected boolean reportsReasoningTokens() {
        return true;
    }

    @BeforeEach
    void startServerAndClient() {
        server = startServer(apiKey());
        client = createClient(server, "contract", apiKey());
    }

    @AfterEach
    void stopServerAndClient() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** A one-message request. */
    protected static ChatRequest ask(String text) {
        return ChatRequest.builder().messages(UserMessage.from(text)).build();
    }

    private static ToolSpecification weatherTool() {
        return ToolSpecification.builder().name("get_weather").description("Weather for a city")
                .parameters(JsonObjectSchema.builder().addStringProperty("city").required("city").build()).build();
    }

    private static ToolSpecification timeTool() {
        return ToolSpecification.builder().name("get_time").description("Time in a zone")
                .parameters(JsonObjectSchema.builder().addStringProperty("zone").required("zone").build()).build();
    }

    private static ChatRequest askWithTools(String text) {
        return ChatRequest.builder().messages(UserMessage.from(text)).toolSpecifications(weatherTool(), timeTool())
                .build();
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

    private StreamCollector stream(ChatRequest request) {
        StreamCollector c = new StreamCollector();
        client.stream(request, c);
        c.await();
        return c;
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    // ------------------------------------------------------------------ answers

    @Test
    void answersWithTextStopAndUsageIncludingCachedAndReasoningTokens() {
        server.enqueue(Behavior.ok("four words of answer").usage(120, 40).cachedTokens(100).reasoningTokens(30));

        ChatResponse response = client.chat(ask("hello there"));

        assertThat(response.aiMessage().text()).isEqualTo("four words of answer");
        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(TokenCounts.of(response.tokenUsage())).isEqualTo(new TokenCounts(120, 40,
                reportsCachedTokens() ? 100 : 0, reportsReasoningTokens() ? 30 : 0));
    }

    @Test
    void answerCutAtTheTokenLimitSaysLength() {
        server.enqueue(Behavior.ok("cut short").finishReason("length"));

        assertThat(client.chat(ask("x")).finishReason()).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void sendsTheDeploymentsModelNameWhateverNameTheCallerUsed() {
        client.chat(ChatRequest.builder().messages(UserMessage.from("x")).modelName("some-alias").build());

        RecordedRequest r = server.chatRequests().get(0);
        assertThat(r.mentionsOutsideCredentials(client.descriptor().modelName())).isTrue();
        assertThat(r.mentionsOutsideCredentials("some-alias")).isFalse();
    }

    @Test
    void streamsPartialTextThenExactlyOneCompleteResponse() {
        server.enqueue(Behavior.ok("alpha beta gamma delta").chunks(2).usage(7, 4).cachedTokens(3));

        StreamCollector c = stream(ask("go on"));

        assertThat(c.error()).isNull();
        assertThat(c.partials()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(String.join("", c.partials())).isEqualTo("alpha beta gamma delta");
        assertThat(c.complete().aiMessage().text()).isEqualTo("alpha beta gamma delta");
        assertThat(c.complete().finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(TokenCounts.of(c.complete().tokenUsage()))
                .isEqualTo(new TokenCounts(7, 4, reportsCachedTokens() ? 3 : 0, 0));
        assertThat(c.terminalCallbacks()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ tools and structured output

    @Test
    void sendsToolSpecificationsToTheServer() {
        client.chat(askWithTools("weather in Oslo?"));

        RecordedRequest r = server.chatRequests().get(0);
        assertThat(r.body()).contains("get_weather").contains("get_time").contains("city");
    }

    @Test
    void answersWithParallelToolCallsWithDistinctIdsAndJsonArguments() {
        server.enqueue(Behavior.toolCall("get_weather", "{\"city\":\"Oslo\"}")
                .withToolCall("get_time", "{\"zone\":\"CET\"}"));

        ChatResponse response = client.chat(askWithTools("weather and time in Oslo?"));

        assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
        List<ToolExecutionRequest> calls = response.aiMessage().toolExecutionRequests();
        assertThat(calls).extracting(ToolExecutionRequest::name).containsExactly("get_weather", "get_time");
        assertThat(json(calls.get(0).arguments())).isEqualTo(json("{\"city\":\"Oslo\"}"));
        assertThat(json(calls.get(1).arguments())).isEqualTo(json("{\"zone\":\"CET\"}"));
        assertThat(calls).extracting(ToolExecutionRequest::id).doesNotContainNull().doesNotHaveDuplicates();
    }

    @Test
    void streamsParallelToolCalls() {
        server.enqueue(Behavior.toolCall("get_weather", "{\"city\":\"Lima\"}")
                .withToolCall("get_time", "{\"zone\":\"PET\"}"));

        StreamCollector c = stream(askWithTools("weather and time in Lima?"));

        assertThat(c.error()).isNull();
        assertThat(c.toolCalls()).extracting(t -> t.toolExecutionRequest().name())
                .containsExactly("get_weather", "get_time");
        assertThat(json(c.toolCalls().get(0).toolExecutionRequest().arguments())).isEqualTo(json("{\"city\":\"Lima\"}"));
        assertThat(c.complete().aiMessage().toolExecutionRequests()).hasSize(2);
        assertThat(c.complete().finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
    }

    @Test
    void sendsAJsonSchemaResponseFormatToTheServer() {
        server.enqueue(Behavior.ok("{\"fullName\":\"Ada Lovelace\"}"));
        ResponseFormat format = ResponseFormat.builder().type(ResponseFormatType.JSON)
                .jsonSchema(JsonSchema.builder().name("person")
                        .rootElement(JsonObjectSchema.builder().addStringProperty("fullName").required("fullName")
                                .build()).build()).build();

        ChatResponse response = client.chat(ChatRequest.builder().messages(UserMessage.from("who?"))
                .responseFormat(format).build());

        assertThat(server.chatRequests().get(0).body()).contains("fullName");
        assertThat(json(response.aiMessage().text()).path("fullName").asText()).isEqualTo("Ada Lovelace");
    }

    // ------------------------------------------------------------------ errors

    @Test
    void rateLimitIsRetryableWithTheRetryAfterHint() {
        MeshException e = failure(Behavior.rateLimited(Duration.ofSeconds(30)));

        assertThat(e).isInstanceOf(RetryableException.class);
        assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
        assertThat(e.modelId()).contains("contract");
    }

    @Test
    void serverErrorIsRetryable() {
        MeshException e = failure(Behavior.status(500));

        assertThat(e).isInstanceOf(RetryableException.class);
        assertThat(e.kind()).isEqualTo(ErrorKind.SERVER_ERROR);
    }

    @Test
    void unavailableIsOverloaded() {
        assertThat(failure(Behavior.status(503)).kind()).isEqualTo(ErrorKind.OVERLOADED);
    }

    @Test
    void wrongKeyIsAnAuthenticationFailureThatBreaksTheDeployment() {
        try (LlmClient wrong = createClient(server, "wrong", apiKey() + "-wrong")) {
            assertThatThrownBy(() -> wrong.chat(ask("x"))).isInstanceOfSatisfying(NonRetryableException.class, e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
                assertThat(e.deploymentBroken()).isTrue();
            });
        }
    }

    @Test
    void unknownModelIsNotFound() {
        MeshException e = failure(Behavior.status(404));

        assertThat(e).isInstanceOf(NonRetryableException.class);
        assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
    }

    @Test
    void badRequestIsNotRetryable() {
        MeshException e = failure(Behavior.status(400));

        assertThat(e).isInstanceOf(NonRetryableException.class);
        assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
    }

    @Test
    void contextLengthExceededIsItsOwnException() {
        MeshException e = failure(Behavior.contextLengthExceeded());

        assertThat(e).isInstanceOf(ContextLengthExceededException.class);
        assertThat(e.kind()).isEqualTo(ErrorKind.CONTEXT_LENGTH);
    }

    @Test
    void malformedBodyIsAMalformedResponse() {
        MeshException e = failure(Behavior.malformed());

        assertThat(e).isInstanceOf(RetryableException.class);
        assertThat(e.kind()).isEqualTo(ErrorKind.MALFORMED_RESPONSE);
    }

    @Test
    void connectionDroppedMidBodyIsAConnectionFailure() {
        assertThat(failure(Behavior.ok().streamCutAfter(0)).kind()).isEqualTo(ErrorKind.CONNECTION);
    }

    @Test
    void scenario4_everyFailedCallMakesExactlyOneHttpRequest() {
        List<Behavior> failures = List.of(Behavior.status(429), Behavior.status(500), Behavior.status(503),
                Behavior.status(408), Behavior.malformed());
        for (Behavior b : failures) {
            failure(b);
        }
        client.chat(ask("ok"));

        assertThat(server.chatRequests()).hasSize(failures.size() + 1);
    }

    @Test
    void scenario16_streamCutWithoutAFinishEndsWithAnErrorNeverACleanEnd() {
        server.enqueue(Behavior.ok().streamCutAfter(3));

        StreamCollector c = stream(ask("a b c d e f g h"));

        assertThat(c.partials()).hasSize(3);
        assertThat(c.complete()).isNull();
        assertThat(c.error()).isInstanceOfSatisfying(RetryableException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONNECTION));
        assertThat(c.terminalCallbacks()).isEqualTo(1);
    }

    @Test
    void errorInsideA200StreamFailsTheStream() {
        server.enqueue(Behavior.ok().streamErrorAfter(1));

        StreamCollector c = stream(ask("x y z"));

        assertThat(c.partials()).hasSize(1);
        assertThat(c.complete()).isNull();
        assertThat(c.error()).isInstanceOfSatisfying(MeshException.class, e -> assertThat(e.isRetryable()).isTrue());
        assertThat(c.terminalCallbacks()).isEqualTo(1);
    }

    @Test
    void streamingRateLimitCarriesTheRetryAfterHint() {
        server.enqueue(Behavior.rateLimited(Duration.ofSeconds(12)));

        StreamCollector c = stream(ask("x"));

        assertThat(c.partials()).isEmpty();
        assertThat(c.error()).isInstanceOfSatisfying(RetryableException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
            assertThat(e.retryAfter()).contains(Duration.ofSeconds(12));
        });
    }

    @Test
    void malformedStreamIsReportedOnceAsAnError() {
        server.enqueue(Behavior.malformed());

        StreamCollector c = stream(ask("x"));

        assertThat(c.complete()).isNull();
        assertThat(c.error()).isInstanceOfSatisfying(MeshException.class, e -> assertThat(e.isRetryable()).isTrue());
        assertThat(c.terminalCallbacks()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ time and cancellation

    @Test
    void blockingCallGivesUpWhenTheGivenTimeIsUp() {
        server.enqueue(Behavior.hang());

        assertThatThrownBy(() -> client.chat(ask("x"), Duration.ofMillis(300)))
                .isInstanceOfSatisfying(RetryableException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT));
    }

    @Test
    void cancellingFromAPartialCallbackStopsTheStreamWithoutATerminalCallback() throws Exception {
        server.enqueue(Behavior.ok("one two three four five six").chunks(6));
        List<String> partials = new CopyOnWriteArrayList<>();
        CompletableFuture<String> terminal = new CompletableFuture<>();
        CompletableFuture<Void> firstPartial = new CompletableFuture<>();

        StreamingHandle handle = client.stream(ask("x"), new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
                partials.add(partial.text());
                context.streamingHandle().cancel();
                firstPartial.complete(null);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                terminal.complete("complete");
            }

            @Override
            public void onError(Throwable error) {
                terminal.complete("error");
            }
        });
        firstPartial.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        // a full round trip on the same client gives a leaking stream time to deliver more
        client.chat(ask("after"));

        assertThat(handle.isCancelled()).isTrue();
        assertThat(partials).hasSize(1);
        assertThat(terminal).isNotDone();
    }

    @Test
    void cancellingBeforeTheAnswerStartsSuppressesEveryCallback() {
        server.enqueue(Behavior.ok("late answer").withLatency(Duration.ofMillis(200)),
                Behavior.latency(Duration.ofMillis(400)));
        StreamCollector c = new StreamCollector();

        StreamingHandle handle = client.stream(ask("x"), c);
        handle.cancel();
        // a slow round trip: had the cancelled stream not been abandoned, its answer would have arrived by now
        client.chat(ask("slow"));

        assertThat(handle.isCancelled()).isTrue();
        assertThat(c.partials()).isEmpty();
        assertThat(c.done()).isNotDone();
    }

    // ------------------------------------------------------------------ keys and lifecycle

    @Test
    void scenario34_keyTravelsOnlyInItsHeader() {
        client.chat(ask("hello"));
        stream(ask("hello"));

        assertThat(server.chatRequests()).hasSize(2).allSatisfy(r -> {
            assertThat(r.secretHeaderEquals(server.keyHeader(), server.keyHeaderValue(apiKey()))).isTrue();
            assertThat(r.mentionsOutsideCredentials(apiKey())).isFalse();
            assertThat(r.mentionsOutsideCredentials(apiKey().substring(0, 12))).isFalse();
            assertThat(r.query().orElse("")).doesNotContain("key=");
        });
    }

    @Test
    void scenario34_keyNeverAppearsInExceptionsOrToString() {
        String window = apiKey().substring(apiKey().length() - 10);
        MeshException echoed = failure(Behavior.status(401).body("{\"error\":{\"message\":\"Incorrect API key "
                + "provided: " + apiKey() + "\",\"type\":\"" + apiKey() + "\",\"code\":\"" + apiKey() + "\"},"
                + "\"type\":\"error\"}"));
        MeshException headed = failure(Behavior.status(500).header("x-request-id", apiKey())
                .header("request-id", apiKey()));

        for (MeshException m : List.of(echoed, headed)) {
            for (Throwable t = m; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(apiKey()).doesNotContain(window);
                assertThat(t.toString()).doesNotContain(window);
            }
        }
        assertThat(client.toString()).doesNotContain(apiKey()).contains("***");
        assertThat(client.descriptor().toString()).doesNotContain(apiKey());
    }

    @Test
    void closedClientRefusesCalls() {
        LlmClient closed = createClient(server, "closed", apiKey());
        closed.close();

        assertThatThrownBy(() -> closed.chat(ask("x"))).isInstanceOf(MeshException.class);
        StreamCollector c = new StreamCollector();
        closed.stream(ask("x"), c);
        c.await();
        assertThat(c.error()).isInstanceOf(MeshException.class);
        assertThat(server.chatRequests()).isEmpty();
    }
}
