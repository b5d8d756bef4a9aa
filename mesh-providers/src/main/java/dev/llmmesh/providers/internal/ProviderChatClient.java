package dev.llmmesh.providers.internal;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.providers.ProviderClientBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * The plumbing every provider client shares: a {@link ClientRuntime} (descriptor, HTTP thread pool, usage, error
 * classification) that runs {@link #chat(ChatRequest)}, {@link #chat(ChatRequest, Duration)} and
 * {@link #stream(ChatRequest, StreamingChatResponseHandler)} through the subclass's {@link #send(ChatRequest)} and
 * {@link #sendStreaming(ChatRequest, StreamingChatResponseHandler)}, plus {@link #close()} and a {@link #toString()}
 * that masks the key. Not API: the public clients extend it only to share code.
 *
 * <p>Thread-safe when the subclass's send methods are; owns the runtime's daemon thread pool, released by
 * {@link #close()} (idempotent); calls after close fail.
 */
public abstract class ProviderChatClient implements LlmClient {
    private final ClientRuntime runtime;
    private final URI baseUrl;
    private final boolean hasKey;
    private final Duration timeout;

    /**
     * @param s        the built settings
     * @param protocol the provider's error dialect
     * @param usage    how the provider's usage is normalised
     */
    protected ProviderChatClient(ProviderClientBuilder.Settings s, WireProtocol protocol, UsageAccounting usage) {
        this.baseUrl = s.baseUrl();
        this.hasKey = s.apiKey().isPresent();
        this.timeout = s.timeout();
        this.runtime = new ClientRuntime(s.descriptor(), protocol, s.apiKey(), s.clock(), usage,
                new HttpLimits(s.descriptor().id(), s.hostRules(), s.maxResponseBytes()));
    }

    /** The runtime the calls run through (its executor is the HTTP I/O pool). */
    protected final ClientRuntime runtime() {
        return runtime;
    }

    /** The validated base URL from the settings. */
    protected final URI configuredBaseUrl() {
        return baseUrl;
    }

    /** The per-request timeout from the settings. */
    protected final Duration configuredTimeout() {
        return timeout;
    }

    /** One blocking exchange with the provider, for a request already prepared by the runtime. */
    protected abstract ChatResponse send(ChatRequest request);

    /** One streaming exchange with the provider; must call the HTTP client on the calling thread. */
    protected abstract void sendStreaming(ChatRequest request, StreamingChatResponseHandler handler);

    /** Where requests go, as shown by {@link #toString()}; by default {@code baseUrl=…}. */
    protected String location() {
        return "baseUrl=" + baseUrl;
    }

    @Override
    public final ModelDescriptor descriptor() {
        return runtime.descriptor();
    }

    @Override
    public final ChatResponse chat(ChatRequest request) {
        return runtime.chat(request, null, this::send);
    }

    @Override
    public final ChatResponse chat(ChatRequest request, Duration timeout) {
        return runtime.chat(request, Objects.requireNonNull(timeout, "timeout"), this::send);
    }

    @Override
    public final StreamingHandle stream(ChatRequest request, StreamingChatResponseHandler handler) {
        return runtime.stream(request, handler, this::sendStreaming);
    }

    /** Stops the HTTP thread pool; calls in flight fail or are abandoned. Idempotent. */
    @Override
    public final void close() {
        runtime.close();
    }

    @Override
    public final String toString() {
        return getClass().getSimpleName() + "[id=" + descriptor().id() + ", model=" + descriptor().modelName() + ", "
                + location() + ", apiKey=" + (hasKey ? "***" : "none") + ", timeout=" + timeout + "]";
    }
}
