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
import java.util.function.Supplier;

/**
 * The plumbing every provider client shares: a {@link ClientRuntime} (descriptor, HTTP thread pool, usage, error
 * classification) that runs {@link #chat(ChatRequest)}, {@link #chat(ChatRequest, Duration)} and
 * {@link #stream(ChatRequest, StreamingChatResponseHandler)} through the provider's {@link Exchanges}, plus
 * {@link #close()} and a {@link #toString()} that masks the key. Not API: the public clients hold one and delegate
 * to it, so no internal type shows in their signatures.
 *
 * <p>Thread-safe when the exchanges are; owns the runtime's daemon thread pool, released by {@link #close()}
 * (idempotent); calls after close fail.
 */
public final class ProviderChatClient implements LlmClient {

    /** How one provider talks: a blocking exchange and a streaming one, for requests prepared by the runtime. */
    public interface Exchanges {
        /** One blocking exchange with the provider. */
        ChatResponse send(ChatRequest request);

        /** One streaming exchange with the provider; must call the HTTP client on the calling thread. */
        void sendStreaming(ChatRequest request, StreamingChatResponseHandler handler);
    }

    private final String name;
    private final ClientRuntime runtime;
    private final Exchanges exchanges;
    private final URI baseUrl;
    private final boolean hasKey;
    private final Duration timeout;
    private final Supplier<String> location;

    /**
     * @param name      the public client's simple name, for {@link #toString()}
     * @param s         the built settings
     * @param protocol  the provider's error dialect
     * @param usage     how the provider's usage is normalised
     * @param exchanges the provider's exchanges
     * @param location  where requests go, as {@link #toString()} shows it; null for {@code baseUrl=…}
     */
    public ProviderChatClient(String name, ProviderClientBuilder.Settings s, WireProtocol protocol,
                              UsageAccounting usage, Exchanges exchanges, Supplier<String> location) {
        this.name = Objects.requireNonNull(name, "name");
        this.baseUrl = s.baseUrl();
        this.hasKey = s.apiKey().isPresent();
        this.timeout = s.timeout();
        this.exchanges = Objects.requireNonNull(exchanges, "exchanges");
        this.location = location != null ? location : () -> "baseUrl=" + baseUrl;
        this.runtime = new ClientRuntime(s.descriptor(), protocol, s.apiKey(), s.clock(), usage,
                new HttpLimits(s.descriptor().id(), s.hostRules(), s.maxResponseBytes()));
    }

    /** The runtime the calls run through (its executor is the HTTP I/O pool). */
    public ClientRuntime runtime() {
        return runtime;
    }

    /** The validated base URL from the settings. */
    public URI configuredBaseUrl() {
        return baseUrl;
    }

    /** The per-request timeout from the settings. */
    public Duration configuredTimeout() {
        return timeout;
    }

    @Override
    public ModelDescriptor descriptor() {
        return runtime.descriptor();
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        return runtime.chat(request, null, exchanges::send);
    }

    @Override
    public ChatResponse chat(ChatRequest request, Duration timeout) {
        return runtime.chat(request, Objects.requireNonNull(timeout, "timeout"), exchanges::send);
    }

    @Override
    public StreamingHandle stream(ChatRequest request, StreamingChatResponseHandler handler) {
        return runtime.stream(request, handler, exchanges::sendStreaming);
    }

    /** Stops the HTTP thread pool; calls in flight fail or are abandoned. Idempotent. */
    @Override
    public void close() {
        runtime.close();
    }

    @Override
    public String toString() {
        return name + "[id=" + descriptor().id() + ", model=" + descriptor().modelName() + ", "
                + location.get() + ", apiKey=" + (hasKey ? "***" : "none") + ", timeout=" + timeout + "]";
    }
}
