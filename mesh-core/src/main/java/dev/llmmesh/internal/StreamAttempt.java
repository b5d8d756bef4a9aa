package dev.llmmesh.internal;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.output.TokenUsage;
import dev.llmmesh.Cost;
import dev.llmmesh.ErrorKind;
import dev.llmmesh.MeshException;
import dev.llmmesh.MeshInternalException;
import dev.llmmesh.RetryableException;
import dev.llmmesh.StreamTruncatedException;
import dev.llmmesh.client.ErrorClassifier;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.client.TextTokens;
import dev.llmmesh.routing.RouterConfig;
import dev.llmmesh.routing.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The provider call of a streaming attempt: streams into the call's sink (through the stream transformers; nothing is
 * held back here), enforces the deadline and the idle timeout, and cancels the upstream when either runs out. A stream
 * cut after content reached the caller fails with {@link StreamTruncatedException}, its partial usage billed. Records
 * the time to the first content chunk and the time between content chunks (the GenAI chunk meters). The last attempt
 * stage of a streaming call.
 */
final class StreamAttempt implements Stage<AttemptState> {
    private final Deployments deployments;
    private final RouterConfig config;
    private final MeshMetrics metrics;
    private final Clock clock;
    private final Ticker ticker;

    StreamAttempt(Deployments deployments, RouterConfig config, MeshMetrics metrics, Clock clock, Ticker ticker) {
        this.deployments = deployments;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
        this.ticker = ticker;
    }

    @Override
    public String name() {
        return "stream attempt";
    }

    @Override
    public ChatResponse proceed(AttemptState a, Next<AttemptState> next) {
        StreamSink sink = a.call.sink;
        if (sink == null) {
            throw new IllegalStateException("stream attempt without a stream sink");
        }
        if (sink.committed()) {
            throw new IllegalStateException("cannot stream a second answer after content was delivered to the caller");
        }
        ModelRuntime rt = a.rt;
        RealChain chain = a.chain();
        ChatRequest request = a.request();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        AtomicInteger seen = new AtomicInteger();
        AtomicLong lastChunkNanos = new AtomicLong(ticker.read());
        TextTokens streamed = new TextTokens(); // guarded by itself
        StreamingHandle handle = rt.client.stream(request, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String text) {
                onPartialResponse(new PartialResponse(text), null);
            }

            @Override
            public void onPartialResponse(PartialResponse partial, @Nullable PartialResponseContext ctx) {
                if (!done.isDone() && partial.text() != null && !partial.text().isEmpty()) {
                    long now = ticker.read();
                    if (seen.incrementAndGet() == 1) {
                        long first = Duration.between(a.started, clock.instant()).toNanos();
                        rt.health.firstChunk(first);
                        metrics.firstChunk(a.model, first);
                    } else {
                        metrics.nextChunk(a.model, now - lastChunkNanos.get());
                    }
                    lastChunkNanos.set(now);
                    synchronized (streamed) {
                        streamed.add(partial.text());
                    }
                    sink.partial(partial.text(), chain.transformers());
                }
            }

            @Override
            public void onPartialToolCall(PartialToolCall call) {
                lastChunkNanos.set(ticker.read());
                sink.toolCall(call);
            }

            @Override
            public void onCompleteToolCall(CompleteToolCall call) {
                sink.toolCall(call);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        sink.upstream(handle);
        long idle = config.streamIdleTimeout().toNanos();
        long pollCap = ticker == Ticker.SYSTEM ? Long.MAX_VALUE : TimeUnit.MILLISECONDS.toNanos(Ticker.POLL_MILLIS);
        try {
            while (true) {
                long left = Duration.between(clock.instant(), chain.deadline()).toNanos();
                if (left <= 0) {
                    handle.cancel();
                    MeshException timeout = RetryableException.timeout(rt.id, rt.id + ": stream exceeded the call deadline");
                    throw sink.committed() ? truncated(a, sink, tokens(streamed), timeout) : timeout;
                }
                if (done.isDone()) {
                    return done.get();
                }
                long quiet = idle - (ticker.read() - lastChunkNanos.get());
                if (quiet <= 0) {
                    handle.cancel();
                    MeshException timeout = RetryableException.timeout(rt.id, rt.id + ": stream idle for "
                            + config.streamIdleTimeout());
                    throw sink.committed() ? truncated(a, sink, tokens(streamed), timeout) : timeout;
                }
                try {
                    return done.get(Math.min(pollCap, Math.min(left, quiet)), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    // the deadline or the idle timeout may have run out: checked at the top
                }
            }
        } catch (ExecutionException e) {
            MeshException cause = ErrorClassifier.classify(e.getCause(), rt.id);
            throw sink.committed() ? truncated(a, sink, tokens(streamed), cause) : cause;
        } catch (InterruptedException e) {
            handle.cancel();
            Thread.currentThread().interrupt();
            billPartial(a, tokens(streamed)); // the provider produced what was streamed: bill it
            throw new MeshInternalException(ErrorKind.CANCELLED, "stream cancelled by the caller", e);
        }
    }

    /**
     * The error for a stream cut after content reached the caller: carries the partial usage (estimated input,
     * output counted from the streamed characters) and bills it to the call.
     */
    private StreamTruncatedException truncated(AttemptState a, StreamSink sink, long streamedTokens, MeshException cause) {
        TokenUsage usage = billPartial(a, streamedTokens);
        return new StreamTruncatedException(a.rt.id, sink.delivered(), usage, a.cost, cause);
    }

    private static long tokens(TextTokens streamed) {
        synchronized (streamed) {
            return streamed.tokens();
        }
    }

    /**
     * Bills the usage of a stream that ended early: estimated input, output estimated from the streamed text by
     * script ({@link TextTokens}), so a cut stream is not billed below what the provider bills for what it sent.
     */
    private TokenUsage billPartial(AttemptState a, long streamedTokens) {
        ModelDescriptor model = deployments.descriptor(a.rt);
        int in = RequestFacts.estimateInputTokens(a.request());
        int out = (int) Math.min(Integer.MAX_VALUE, streamedTokens);
        Cost cost = model.pricing().map(p -> p.cost(in, out, 0, 0)).orElse(Cost.UNKNOWN);
        a.cost = cost;
        a.chain().call().bill(cost);
        return new TokenUsage(in, out);
    }
}
