package dev.llmmesh.scenarios;

import dev.llmmesh.TestClock;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.llmmesh.ErrorKind;
import dev.llmmesh.MeshException;
import dev.llmmesh.RetryableException;
import dev.llmmesh.client.Capability;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.client.Pricing;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * A simulated model on a {@link TestClock}: each call's behaviour is chosen by a script from (call number, now);
 * latency advances the clock; a hang waits out the timeout the mesh gives and fails with TIMEOUT, as an HTTP client
 * with that timeout would.
 */
final class SimModel implements LlmClient {

    /** What one call does. */
    record Behavior(Duration latency, MeshException error, boolean hang, int streamCutAfter, int chunks) {
        static Behavior ok(Duration latency) {
            return new Behavior(latency, null, false, -1, 4);
        }

        static Behavior fail(MeshException e, Duration latency) {
            return new Behavior(latency, e, false, -1, 4);
        }

        static Behavior hanging() {
            return new Behavior(Duration.ZERO, null, true, -1, 4);
        }

        static Behavior streamCut(int chunks, int cutAfter) {
            return new Behavior(Duration.ZERO, RetryableException.serverError("x", "connection reset"), false, cutAfter, chunks);
        }
    }

    final String id;
    private final TestClock clock;
    private final ModelDescriptor descriptor;
    private volatile BiFunction<Integer, Instant, Behavior> script = (n, t) -> Behavior.ok(Duration.ofMillis(200));
    final AtomicInteger calls = new AtomicInteger();
    final List<Instant> callTimes = new CopyOnWriteArrayList<>();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    volatile Runnable duringCall = () -> { };

    SimModel(String id, TestClock clock, double inputPrice, double outputPrice) {
        this(ModelDescriptor.builder(id, "openai", id).capabilities(Capability.CHAT, Capability.STREAMING)
                .contextWindow(128_000).maxOutputTokens(8_000).pricing(Pricing.perMillion(inputPrice, outputPrice))
                .build(), clock);
    }

    SimModel(ModelDescriptor descriptor, TestClock clock) {
        this.descriptor = descriptor;
        this.id = descriptor.id();
        this.clock = clock;
    }

    private volatile java.util.function.IntFunction<String> chunkText = i -> "t" + i + " ";

    /** The text of streamed chunk {@code i} (default {@code "t<i> "}). */
    SimModel chunkText(java.util.function.IntFunction<String> text) {
        this.chunkText = text;
        return this;
    }

    SimModel script(BiFunction<Integer, Instant, Behavior> script) {
        this.script = script;
        return this;
    }

    @Override
    public ModelDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        return chat(request, Duration.ofDays(1));
    }

    @Override
    public ChatResponse chat(ChatRequest request, Duration timeout) {
        int n = calls.incrementAndGet();
        callTimes.add(clock.instant());
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            duringCall.run();
            Behavior b = script.apply(n, clock.instant());
            if (b.hang()) {
                clock.advance(timeout);
                throw new RetryableException(ErrorKind.TIMEOUT, id + ": no answer within " + timeout, id, null, null);
            }
            clock.advance(b.latency());
            if (b.error() != null) {
                throw b.error();
            }
            return response("ok from " + id);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Override
    public StreamingHandle stream(ChatRequest request, StreamingChatResponseHandler handler) {
        int n = calls.incrementAndGet();
        callTimes.add(clock.instant());
        Behavior b = script.apply(n, clock.instant());
        StreamingHandle handle = new StreamingHandle() {
            volatile boolean cancelled;

            @Override
            public void cancel() {
                cancelled = true;
            }

            @Override
            public boolean isCancelled() {
                return cancelled;
            }
        };
        if (b.error() != null && b.streamCutAfter() < 0) {
            handler.onError(b.error());
            return handle;
        }
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < b.chunks(); i++) {
            if (i == b.streamCutAfter()) {
                handler.onError(b.error());
                return handle;
            }
            String t = chunkText.apply(i);
            all.append(t);
            handler.onPartialResponse(new PartialResponse(t), new PartialResponseContext(handle));
        }
        handler.onCompleteResponse(response(all.toString()));
        return handle;
    }

    ChatResponse response(String text) {
        return ChatResponse.builder().aiMessage(AiMessage.from(text)).modelName(id)
                .tokenUsage(new TokenUsage(100, 50)).finishReason(FinishReason.STOP).build();
    }
}
