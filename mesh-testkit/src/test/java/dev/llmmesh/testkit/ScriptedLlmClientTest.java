package dev.llmmesh.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.FinishReason;
import dev.llmmesh.CallContext;
import dev.llmmesh.ContextLengthExceededException;
import dev.llmmesh.ErrorKind;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshException;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.NonRetryableException;
import dev.llmmesh.RetryableException;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.client.Pricing;
import dev.llmmesh.testkit.ScriptedLlmClient.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class ScriptedLlmClientTest {

    private static ChatRequest ask(String text) {
        return ChatRequest.builder().messages(UserMessage.from(text)).build();
    }

    @Test
    void queuedStepsRunInOrderThenTheDefaultForEveryLaterCall() {
        ScriptedLlmClient client = ScriptedLlmClient.builder("m")
                .thenAnswer("first")
                .thenAnswer("second")
                .answer("default")
                .build();

        assertThat(client.chat(ask("a")).aiMessage().text()).isEqualTo("first");
        assertThat(client.chat(ask("b")).aiMessage().text()).isEqualTo("second");
        assertThat(client.chat(ask("c")).aiMessage().text()).isEqualTo("default");
        assertThat(client.chat(ask("d")).aiMessage().text()).isEqualTo("default");
        assertThat(client.calls()).isEqualTo(4);
        assertThat(client.pendingSteps()).isZero();
    }

    @Test
    void withoutAScriptEveryCallAnswersWithTheModelId() {
        ScriptedLlmClient client = ScriptedLlmClient.builder("gpt-x").build();

        assertThat(client.chat(ask("hi")).aiMessage().text()).isEqualTo("answer from gpt-x");
        assertThat(client.descriptor().id()).isEqualTo("gpt-x");
        assertThat(client.descriptor().provider()).isEqualTo("scripted");
    }

    @Test
    void answerFunctionSeesTheRequest() {
        ScriptedLlmClient client = ScriptedLlmClient.builder("m")
                .answers(r -> "you said " + ((UserMessage) r.messages().get(0)).singleText())
                .build();

        assertThat(client.chat(ask("ping")).aiMessage().text()).isEqualTo("you said ping");
    }

    @Test
    void tokenUsageCountsWordsUnlessTheStepSaysOtherwise() {
        ScriptedLlmClient client = ScriptedLlmClient.builder("m")
                .then(Step.answer("three word answer"), Step.answer("x").tokens(100, 7))
                .build();
        ChatRequest request = ChatRequest.builder()
                .messages(SystemMessage.from("be brief"), UserMessage.from("how are you today"))
                .build();

        ChatResponse counted = client.chat(request);
        ChatResponse given = client.chat(request);

        assertThat(counted.tokenUsage().inputTokenCount()).isEqualTo(6);
        assertThat(counted.tokenUsage().outputTokenCount()).isEqualTo(3);
        assertThat(counted.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(counted.modelName()).isEqualTo("m");
        assertThat(given.tokenUsage().inputTokenCount()).isEqualTo(100);
        assertThat(given.tokenUsage().outputTokenCount()).isEqualTo(7);
    }

    @Test
    void failByKindThrowsTheMatchingExceptionTypeWithRetryAfter() {
        ScriptedLlmClient client = ScriptedLlmClient.builder("m")
                .thenFail(ErrorKind.RATE_LIMITED, Duration.ofSeconds(30))
                .thenFail(ErrorKind.AUTHENTICATION)
                .thenFail(ErrorKind.CONTEXT_LENGTH)
                .build();

        assertThatThrownBy(() -> client.chat(ask("a")))
                .isInstanceOfSatisfying(RetryableException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
                    assertThat(e.modelId()).contains("m");
                });
        assertThatThrownBy(() -> client.chat(ask("b")))
                .isInstanceOfSatisfying(NonRetryableException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION));
        assertThatThrownBy(() -> client.chat(ask("c"))).isInstanceOf(ContextLengthExceededException.class);
        assertThat(client.chat(ask("d")).aiMessage().text()).isEqualTo("answer from m");
    }

    @Test
    void failWithStatusClassifiesAsCoreDoesForThatStatusAndBody() {
        ScriptedLlmClient client = ScriptedLlmClient.builder("m")
                .then(Step.failWithStatus(429, "{\"error\":{\"code\":\"insufficient_quota\"}}"),
                        Step.failWithStatus(500))
                .build();

        assertThatThrownBy(() -> client.chat(ask("a")))
                .isInstanceOfSatisfying(MeshException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.QUOTA_EXHAUSTED);
                    assertThat(e.isRetryable()).isFalse();
                });
        assertThatThrownBy(() -> client.chat(ask("b")))
                .isInstanceOfSatisfying(MeshException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.SERVER_ERROR));
    }

    @Test
    void givenExceptionIsThrownAsIs() {
        RetryableException error = RetryableException.serverError("m", "boom");
        ScriptedLlmClient client = ScriptedLlmClient.builder("m").thenFail(error).build();

        assertThatThrownBy(() -> client.chat(ask("a"))).isSameAs(error);
    }

    @Test
    void meshLevelKindsAreRejectedWithTheValidChoices() {
        assertThatThrownBy(() -> Step.fail(ErrorKind.BUDGET_EXCEEDED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a provider failure")
                .hasMessageContaining("RATE_LIMITED");
        assertThatThrownBy(() -> Step.fail(ErrorKind.BAD_REQUEST, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not retryable");
    }

    @Test
    void toolCallStepAnswersWithToolExecutionRequests() {
        ToolExecutionRequest call = ToolExecutionRequest.builder()
                .id("call_1").name("get_weather").arguments("{\"city\":\"Paris\"}").build();
        ScriptedLlmClient client = ScriptedLlmClient.builder("m").thenToolCalls(call).build();

        ChatResponse response = client.chat(ask("weather?"));

        assertThat(response.aiMessage().toolExecutionRequests()).containsExactly(call);
        assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
    }

    @Test
    void latencyAdvancesTheInjectedClockWithoutSleeping() {
        ManualClock clock = new ManualClock();
        ScriptedLlmClient client = ScriptedLlmClient.builder("m")
                .clock(clock)
                .latency(Duration.ofMillis(200))
                .then(Step.answer("slow").latency(Duration.ofSeconds(5)))
                .build();

        client.chat(ask("a"));
        assertThat(clock.instant()).isEqualTo(ManualClock.DEFAULT_START.plusSeconds(5));
        client.chat(ask("b"));
        assertThat(clock.instant()).isEqualTo(ManualClock.DEFAULT_START.plusSeconds(5).plusMillis(200));
    }

    @Test
    void latencyWithoutAClockIsAConfigurationError() {
        assertThatThrownBy(() -> ScriptedLlmClient.builder("m").latency(Duration.ofSeconds(1)).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("clock(ManualClock)");
        ScriptedLlmClient client = ScriptedLlmClient.builder("m").build();
        assertThatThrownBy(() -> client.enqueue(Step.answer("x").latency(Duration.ofSeconds(1))))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void streamSplitsTheAnswerIntoTheRequestedChunksThenCompletes() {
        ScriptedLlmClient client = ScriptedLlmClient.builder("m")
                .then(Step.answer("one two three four five").chunks(2))
                .build();
        Recorder recorder = new Recorder();

        client.stream(ask("a"), recorder);

        assertThat(recorder.partials).containsExactly("one two three ", "four five");
        assertThat(recorder.complete).isNotNull();
        assertThat(recorder.complete.aiMessage().text()).isEqualTo("one two three four five");
        assertThat(recorder.error).isNull();
    }

    @Test
    void streamDefaultsToOneChunkPerWord() {
        ScriptedLlmClient client = ScriptedLlmClient.builder("m").answer("a b c").build();
        Recorder recorder = new Recorder();

        client.stream(ask("x"), recorder);

        assertThat(recorder.partials).containsExactly("a ", "b ", "c");
        assertThat(String.join("", recorder.partials)).isEqualTo("a b c");
    }

    @Test
    void streamCutAfterKChunksEndsWithAnErrorAndNoCompleteResponse() {
        ScriptedLlmClient client = ScriptedLlmClient.builder("m")
                .then(Step.answer("w1 w2 w3 w4 w5 w6").cutAfter(4))
                .build();
        Recorder recorder = new Recorder();

        client.stream(ask("a"), recorder);

        assertThat(recorder.partials).hasSize(4);
        assertThat(recorder.complete).isNull();
        assertThat(recorder.error).isInstanceOfSatisfying(RetryableException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONNECTION));
    }

    @Test
    void cuttingStepFailsANonStreamingCallWithTheSameError() {
        RetryableException cut = RetryableException.serverError("m", "cut");
        ScriptedLlmClient client = ScriptedLlmClient.builder("m")
                .then(Step.answer("a b c").cutAfter(1, cut))
                .build();

        assertThatThrownBy(() -> client.chat(ask("a"))).isSameAs(cut);
    }

    @Test
    void failingStepStreamsNothingAndReportsTheError() {
        ScriptedLlmClient client = ScriptedLlmClient.builder("m").thenFail(ErrorKind.OVERLOADED).build();
        Recorder recorder = new Recorder();

        client.stream(ask("a"), recorder);

        assertThat(recorder.partials).isEmpty();
        assertThat(recorder.complete).isNull();
        assertThat(recorder.error).isInstanceOf(RetryableException.class);
    }

    @Test
    void cancellingFromAPartialCallbackStopsFurtherCallbacks() {
        ScriptedLlmClient client = ScriptedLlmClient.builder("m").answer("a b c d").build();
        List<String> partials = new ArrayList<>();
        StreamingChatResponseHandler cancelling = new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
                partials.add(partial.text());
                context.streamingHandle().cancel();
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                throw new AssertionError("no completion after cancel");
            }

            @Override
            public void onError(Throwable error) {
                throw new AssertionError("no error after cancel", error);
            }
        };

        var handle = client.stream(ask("a"), cancelling);

        assertThat(partials).containsExactly("a ");
        assertThat(handle.isCancelled()).isTrue();
    }

    @Test
    void streamedToolCallsArriveAsCompleteToolCallsBeforeTheResponse() {
        ToolExecutionRequest call = ToolExecutionRequest.builder().id("c1").name("f").arguments("{}").build();
        ScriptedLlmClient client = ScriptedLlmClient.builder("m").thenToolCalls(call).build();
        Recorder recorder = new Recorder();

        client.stream(ask("a"), recorder);

        assertThat(recorder.toolCalls).extracting(CompleteToolCall::toolExecutionRequest).containsExactly(call);
        assertThat(recorder.complete.aiMessage().toolExecutionRequests()).containsExactly(call);
    }

    @Test
    void recordsEveryRequestForAssertions() {
        ScriptedLlmClient client = ScriptedLlmClient.builder("m").build();
        ChatRequest first = ask("one");
        ChatRequest second = ask("two");

        client.chat(first);
        client.stream(second, new Recorder());

        assertThat(client.requests()).containsExactly(first, second);
        assertThat(client.lastRequest()).contains(second);
    }

    @Test
    void concurrentCallsEachTakeADistinctQueuedStep() throws Exception {
        int n = 200;
        ScriptedLlmClient.Builder builder = ScriptedLlmClient.builder("m");
        for (int i = 0; i < n; i++) {
            builder.thenAnswer("step-" + i);
        }
        ScriptedLlmClient client = builder.answer("default").build();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> client.chat(ask("x")).aiMessage().text()));
            }
            var seen = ConcurrentHashMap.<String>newKeySet();
            for (Future<String> f : futures) {
                seen.add(f.get(10, TimeUnit.SECONDS));
            }
            assertThat(seen).hasSize(n).allMatch(s -> s.startsWith("step-"));
            assertThat(client.calls()).isEqualTo(n);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void meshFallsBackFromARateLimitedScriptedModelAndRecordsBothAttempts() {
        ModelDescriptor cheap = ModelDescriptor.builder("a-cheap", "scripted", "cheap")
                .pricing(Pricing.perMillion(0.1, 0.2)).build();
        ModelDescriptor dear = ModelDescriptor.builder("b-dear", "scripted", "dear")
                .pricing(Pricing.perMillion(10, 20)).build();
        ScriptedLlmClient primary = ScriptedLlmClient.builder(cheap)
                .thenFail(ErrorKind.RATE_LIMITED, Duration.ofSeconds(30)).build();
        ScriptedLlmClient fallback = ScriptedLlmClient.builder(dear).answer("from fallback").build();

        try (Mesh mesh = Mesh.builder().clock(new ManualClock()).addModel(primary).addModel(fallback).build()) {
            MeshResponse response = mesh.chat(ask("hello"), CallContext.EMPTY);

            assertThat(response.text()).isEqualTo("from fallback");
            assertThat(response.attempts()).extracting(a -> a.modelId()).containsExactly("a-cheap", "b-dear");
            assertThat(response.attempts().get(0).error()).contains(ErrorKind.RATE_LIMITED);
        }
        assertThat(primary.calls()).isEqualTo(1);
        assertThat(fallback.calls()).isEqualTo(1);
    }

    /** Collects streaming callbacks. */
    static final class Recorder implements StreamingChatResponseHandler {
        final List<String> partials = new ArrayList<>();
        final List<CompleteToolCall> toolCalls = new ArrayList<>();
        @Nullable ChatResponse complete;
        @Nullable Throwable error;

        @Override
        public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
            partials.add(partial.text());
        }

        @Override
        public void onCompleteToolCall(CompleteToolCall call) {
            toolCalls.add(call);
        }

        @Override
        public void onCompleteResponse(ChatResponse response) {
            complete = response;
        }

        @Override
        public void onError(Throwable error) {
            this.error = error;
        }
    }
}
