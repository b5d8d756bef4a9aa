package dev.llmmesh.testkit;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A {@link StreamingChatResponseHandler} that records what one stream delivered: partial texts, complete tool calls,
 * and the terminal callback (complete or error), counting terminal callbacks so tests can check there was exactly one.
 * {@link #await()} blocks until the first terminal callback.
 *
 * <pre>{@code
 * StreamCollector c = new StreamCollector();
 * client.stream(request, c);
 * c.await();
 * assertThat(c.error()).isNull();
 * }</pre>
 *
 * <p>Thread-safe: callbacks may come from any thread. One instance records one stream.
 */
public final class StreamCollector implements StreamingChatResponseHandler {
    /** How long {@link #await()} waits. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);

    private final List<String> partials = new CopyOnWriteArrayList<>();
    private final List<CompleteToolCall> toolCalls = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile @Nullable ChatResponse complete;
    private volatile @Nullable Throwable error;
    private volatile int terminalCallbacks;

    @Override
    public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
        partials.add(partial.text());
    }

    @Override
    public void onCompleteToolCall(CompleteToolCall call) {
        toolCalls.add(call);
    }

    @Override
    public synchronized void onCompleteResponse(ChatResponse response) {
        terminalCallbacks++;
        complete = response;
        done.complete(null);
    }

    @Override
    public synchronized void onError(Throwable t) {
        terminalCallbacks++;
        error = t;
        done.complete(null);
    }

    /** The partial texts so far, in order (a snapshot). */
    public List<String> partials() {
        return List.copyOf(partials);
    }

    /** The complete tool calls so far, in order (a snapshot). */
    public List<CompleteToolCall> toolCalls() {
        return List.copyOf(toolCalls);
    }

    /** The last completed response, or {@code null} while none came (a test recorder: assert on it directly). */
    public @Nullable ChatResponse complete() {
        return complete;
    }

    /** The last error, or {@code null} while none came. */
    public @Nullable Throwable error() {
        return error;
    }

    /** How many terminal callbacks (complete or error) came; the streaming contract allows exactly one. */
    public int terminalCallbacks() {
        return terminalCallbacks;
    }

    /** Done at the first terminal callback (complete or error). */
    public Future<Void> done() {
        return done;
    }

    /** {@code complete <finish reason>} or {@code error <error>}, for assertion messages. */
    public String outcome() {
        ChatResponse c = complete;
        return c != null ? "complete " + c.finishReason() : "error " + error;
    }

    /**
     * Waits {@link #DEFAULT_WAIT} for the terminal callback.
     *
     * @throws AssertionError if it does not come in time
     */
    public void await() {
        await(DEFAULT_WAIT);
    }

    /**
     * Waits up to {@code timeout} for the terminal callback.
     *
     * @throws AssertionError if it does not come in time
     */
    public void await(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        try {
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("the stream did not end within " + timeout + " (" + partials.size()
                    + " partials)", e);
        }
    }
}
