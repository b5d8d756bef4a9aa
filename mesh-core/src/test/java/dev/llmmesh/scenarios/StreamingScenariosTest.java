package dev.llmmesh.scenarios;

import dev.llmmesh.TestClock;

import static dev.llmmesh.TestRequests.ask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.llmmesh.CallContext;
import dev.llmmesh.ErrorKind;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.NoRouteException;
import dev.llmmesh.RetryableException;
import dev.llmmesh.StreamTruncatedException;
import dev.llmmesh.client.Capability;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.client.Pricing;
import dev.llmmesh.routing.RouterConfig;
import dev.llmmesh.routing.RoutingStrategies;
import dev.llmmesh.scenarios.SimModel.Behavior;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Scenarios 15–18 of SCENARIOS.md: the streaming contract. */
class StreamingScenariosTest {
    private final TestClock clock = new TestClock();

    static final class Recorder implements StreamingChatResponseHandler {
        final List<String> chunks = new CopyOnWriteArrayList<>();
        final CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        final AtomicBoolean completedCleanly = new AtomicBoolean();

        @Override
        public void onPartialResponse(String text) {
            chunks.add(text);
        }

        @Override
        public void onCompleteResponse(ChatResponse response) {
            completedCleanly.set(true);
            done.complete(response);
        }

        @Override
        public void onError(Throwable error) {
            done.completeExceptionally(error);
        }
    }

    private Mesh mesh(RouterConfig config, LlmClient... models) {
        var b = Mesh.builder().clock(clock).sleeper(clock).routing(config);
        for (LlmClient m : models) {
            b.addModel(m);
        }
        return b.build();
    }

    private static RouterConfig priority(String... ids) {
        return RouterConfig.builder().strategy(RoutingStrategies.priority(List.of(ids))).build();
    }

    @Test
    void scenario15_failureBeforeTheFirstTokenFallsBackTransparently() throws Exception {
        SimModel a = new SimModel("a", clock, 0.1, 0.1).script((n, t) -> Behavior.fail(
                new RetryableException(ErrorKind.OVERLOADED, "503 on first read", "a", null, null), Duration.ZERO));
        SimModel b = new SimModel("b", clock, 1, 1).script((n, t) -> Behavior.ok(Duration.ZERO));
        Recorder rec = new Recorder();

        MeshResponse r = mesh(priority("a", "b"), a, b).stream(ask("hi"), CallContext.EMPTY, rec).get(10, TimeUnit.SECONDS);

        assertThat(r.modelId()).contains("b");
        assertThat(String.join("", rec.chunks)).isEqualTo("t0 t1 t2 t3 ");
        assertThat(rec.completedCleanly).isTrue();
    }

    @Test
    void scenario15_whenTheFallbackAlsoFailsBeforeContentTheCallerGetsAnErrorAndNoContent() {
        SimModel a = new SimModel("a", clock, 0.1, 0.1).script((n, t) -> Behavior.fail(
                new RetryableException(ErrorKind.OVERLOADED, "503", "a", null, null), Duration.ZERO));
        SimModel b = new SimModel("b", clock, 1, 1).script((n, t) -> Behavior.fail(
                new RetryableException(ErrorKind.SERVER_ERROR, "500", "b", null, null), Duration.ZERO));
        Recorder rec = new Recorder();

        CompletableFuture<MeshResponse> f = mesh(priority("a", "b"), a, b).stream(ask("hi"), CallContext.EMPTY, rec);

        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(NoRouteException.class);
        assertThat(rec.chunks).isEmpty();
        assertThat(rec.completedCleanly).isFalse();
        assertThat(rec.done).isCompletedExceptionally();
    }

    @Test
    void aCutStreamOfChineseTextIsBilledByScriptNotAtAQuarterTokenPerCharacter() throws Exception {
        SimModel a = new SimModel("a", clock, 2.0, 8.0).chunkText(i -> "退款需要几个工作日")
                .script((n, t) -> Behavior.streamCut(60, 40));
        Recorder rec = new Recorder();

        CompletableFuture<MeshResponse> f = mesh(priority("a"), a).stream(ask("hi"), CallContext.EMPTY, rec);

        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> f.get(10, TimeUnit.SECONDS));
        StreamTruncatedException cut = (StreamTruncatedException) e.getCause();
        int streamedChars = 40 * "退款需要几个工作日".length();
        // BPE tokenizers bill about one token per Chinese character (cl100k_base); the estimate is 1.5 per character
        assertThat(cut.partialUsage().outputTokenCount()).isGreaterThanOrEqualTo(streamedChars)
                .isEqualTo(streamedChars * 3 / 2);
    }

    @Test
    void scenario16_aCutStreamEndsWithAnExplicitErrorIsNotReplayedAndIsBilled() throws Exception {
        SimModel a = new SimModel("a", clock, 2.0, 8.0).script((n, t) -> Behavior.streamCut(60, 40));
        SimModel b = new SimModel("b", clock, 1, 1).script((n, t) -> Behavior.ok(Duration.ZERO));
        Recorder rec = new Recorder();

        CompletableFuture<MeshResponse> f = mesh(priority("a", "b"), a, b).stream(ask("hi"), CallContext.EMPTY, rec);

        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> f.get(10, TimeUnit.SECONDS));
        StreamTruncatedException cut = (StreamTruncatedException) e.getCause();
        assertThat(cut.chunksDelivered()).isEqualTo(40);
        assertThat(rec.chunks).hasSize(40);
        assertThat(rec.completedCleanly).isFalse();
        assertThat(b.calls.get()).isZero();
        assertThat(cut.partialUsage().outputTokenCount()).isGreaterThan(0);
        assertThat(cut.partialCost().known()).isTrue();
        assertThat(cut.partialCost().usd().signum()).isPositive();
    }

    @Test
    void scenario17_disabledFallbacksLetAMidStreamErrorReachTheCallerWithNoFallbackCall() {
        SimModel a = new SimModel("a", clock, 0.1, 0.1).script((n, t) -> Behavior.fail(
                new RetryableException(ErrorKind.SERVER_ERROR, "500", "a", null, null), Duration.ZERO));
        SimModel b = new SimModel("b", clock, 1, 1);
        Recorder rec = new Recorder();

        CompletableFuture<MeshResponse> f = mesh(priority("a", "b"), a, b)
                .stream(ask("hi"), CallContext.builder().disableFallbacks().build(), rec);

        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(NoRouteException.class)
                .rootCause().hasMessageContaining("500");
        assertThat(b.calls.get()).isZero();
        assertThat(a.calls.get()).isEqualTo(1);
    }

    @Test
    void scenario18_anIdleStreamIsAbortedPermitsReleasedAndUsageReconciled() throws Exception {
        AtomicBoolean upstreamCancelled = new AtomicBoolean();
        LlmClient silent = new LlmClient() {
            private final ModelDescriptor d = ModelDescriptor.builder("silent", "openai", "silent")
                    .capabilities(Capability.CHAT, Capability.STREAMING).contextWindow(8192).maxOutputTokens(1024)
                    .pricing(Pricing.perMillion(1, 4)).build();

            @Override
            public ModelDescriptor descriptor() {
                return d;
            }

            @Override
            public ChatResponse chat(ChatRequest request) {
                throw new UnsupportedOperationException();
            }

            @Override
            public StreamingHandle stream(ChatRequest request, StreamingChatResponseHandler handler) {
                StreamingHandle h = new StreamingHandle() {
                    @Override
                    public void cancel() {
                        upstreamCancelled.set(true);
                    }

                    @Override
                    public boolean isCancelled() {
                        return upstreamCancelled.get();
                    }
                };
                handler.onPartialResponse(new PartialResponse("first words "), new PartialResponseContext(h));
                return h; // and then nothing, ever
            }
        };
        // the idle timeout runs on the mesh's ticker: here the test clock, moved by hand
        Mesh mesh = Mesh.builder().addModel(silent).clock(clock).ticker(clock)
                .routing(RouterConfig.builder().streamIdleTimeout(Duration.ofSeconds(30)).bulkhead("silent", 1).build())
                .build();
        Recorder rec = new Recorder();

        CompletableFuture<MeshResponse> f = mesh.stream(ask("hi"), CallContext.EMPTY, rec);
        awaitFirstChunk(rec);
        clock.advance(Duration.ofSeconds(29));
        Thread.sleep(50); // ten polls of the ticker: 29 s of silence is not yet idle
        assertThat(f).isNotDone();
        clock.advance(Duration.ofSeconds(1));

        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> f.get(10, TimeUnit.SECONDS));
        StreamTruncatedException cut = (StreamTruncatedException) e.getCause();
        assertThat(cut.getCause()).isInstanceOf(RetryableException.class).hasMessageContaining("idle");
        assertThat(upstreamCancelled).isTrue();
        assertThat(cut.partialUsage().outputTokenCount()).isEqualTo(3); // 12 characters streamed
        assertThat(cut.partialCost().usd()).isPositive(); // the partial usage is billed: the reservation settles to it
        assertThat(mesh.health().get(0).inFlight()).isZero();
        // the bulkhead slot came back: a second stream gets in (and idles out the same way)
        Recorder again = new Recorder();
        CompletableFuture<MeshResponse> second = mesh.stream(ask("again"), CallContext.EMPTY, again);
        awaitFirstChunk(again);
        clock.advance(Duration.ofSeconds(30));
        assertThatThrownBy(() -> second.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(StreamTruncatedException.class);
    }

    private static void awaitFirstChunk(Recorder rec) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (rec.chunks.isEmpty() && System.nanoTime() < until) {
            Thread.sleep(1);
        }
        assertThat(rec.chunks).as("first chunk delivered").isNotEmpty();
    }
}
