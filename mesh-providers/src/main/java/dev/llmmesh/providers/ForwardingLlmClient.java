package dev.llmmesh.providers;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.client.ModelDescriptor;
import dev.langchain4j.model.chat.response.StreamingHandle;
import java.time.Duration;

/**
 * The shape every provider client of this module shares: an {@link LlmClient} that forwards each call to the client
 * doing the work, so the public classes ({@code OpenAiClient}, {@code AnthropicClient}, ...) carry only their
 * builder and accessors. Subclasses return that client from {@link #delegate()}.
 */
public abstract class ForwardingLlmClient implements LlmClient {

    /** For subclasses. */
    protected ForwardingLlmClient() {
    }

    /** The client every call is forwarded to. */
    protected abstract LlmClient delegate();

    @Override
    public final ModelDescriptor descriptor() {
        return delegate().descriptor();
    }

    @Override
    public final ChatResponse chat(ChatRequest request) {
        return delegate().chat(request);
    }

    @Override
    public final ChatResponse chat(ChatRequest request, Duration timeout) {
        return delegate().chat(request, timeout);
    }

    @Override
    public final StreamingHandle stream(ChatRequest request, StreamingChatResponseHandler handler) {
        return delegate().stream(request, handler);
    }

    /** Stops the client's HTTP thread pool and releases its connections; calls in flight fail or are abandoned.
     * Idempotent. */
    @Override
    public final void close() {
        delegate().close();
    }

    /** The client's id, model, where it sends requests and its timeout; the key shows as {@code ***}. */
    @Override
    public final String toString() {
        return delegate().toString();
    }
}
