package dev.llmmesh.client;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One model deployment: the terminal of the mesh's call chain. Provider adapters implement this; applications
 * normally do not call it directly, but through a {@link dev.llmmesh.Mesh}.
 *
 * <p>Contract for implementations:
 * <ul>
 *   <li>Never retry and never fall back: the mesh's router owns resilience (langchain4j {@code maxRetries(0)}).</li>
 *   <li>Throw only {@link dev.llmmesh.MeshException}s, classified by what the caller should do, with any
 *       {@code Retry-After} hint; messages never contain keys or prompt text.</li>
 *   <li>Be thread-safe: one instance serves concurrent calls.</li>
 * </ul>
 */
public interface LlmClient extends AutoCloseable {

    /** The deployment this client calls. Constant for the client's life. */
    ModelDescriptor descriptor();

    /**
     * Sends one request and waits for the complete answer.
     *
     * @throws dev.llmmesh.MeshException classified by what the caller should do
     */
    ChatResponse chat(ChatRequest request);

    /**
     * Sends one request and waits at most {@code timeout} for the answer; the mesh calls this with the smaller of the
     * per-attempt timeout and the time left before the call's deadline.
     *
     * <p>The default runs {@link #chat(ChatRequest)} on a shared daemon thread and, when the time is up, interrupts it
     * and throws a {@link dev.llmmesh.RetryableException} of kind {@link dev.llmmesh.ErrorKind#TIMEOUT}. A client that
     * ignores the interrupt keeps its thread: at most 16 such abandoned calls per client run at once, and while 16 do,
     * new calls to that client fail at once ({@link dev.llmmesh.ErrorKind#OVERLOADED}, retryable, so the router moves on)
     * instead of starting a thread each. Clients that can bound a call natively (an HTTP request timeout) or that
     * answer at once should override it.
     *
     * @throws dev.llmmesh.MeshException classified by what the caller should do
     */
    default ChatResponse chat(ChatRequest request, java.time.Duration timeout) {
        return BoundedCall.call(() -> chat(request), timeout, descriptor().id(), this);
    }

    /**
     * Sends one request and streams the answer to {@code handler}: partial text as it comes, then exactly one of
     * {@code onCompleteResponse} or {@code onError} (with a {@link dev.llmmesh.MeshException}). Returns a handle
     * that cancels the upstream call.
     *
     * <p>The default calls {@link #chat(ChatRequest)} on the caller's thread and delivers the whole text as one
     * partial response; clients that can stream override it.
     */
    default StreamingHandle stream(ChatRequest request, StreamingChatResponseHandler handler) {
        AtomicBoolean cancelled = new AtomicBoolean();
        StreamingHandle handle = new StreamingHandle() {
            @Override
            public void cancel() {
                cancelled.set(true);
            }

            @Override
            public boolean isCancelled() {
                return cancelled.get();
            }
        };
        ChatResponse response;
        try {
            response = chat(request);
        } catch (RuntimeException e) {
            handler.onError(e);
            return handle;
        }
        String text = response.aiMessage() == null ? null : response.aiMessage().text();
        if (text != null && !text.isEmpty() && !cancelled.get()) {
            handler.onPartialResponse(new PartialResponse(text), new PartialResponseContext(handle));
        }
        if (!cancelled.get()) {
            handler.onCompleteResponse(response);
        }
        return handle;
    }

    /** Releases connections and threads. The default does nothing. */
    @Override
    default void close() {
    }
}
