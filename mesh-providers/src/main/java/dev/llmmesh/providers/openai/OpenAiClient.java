package dev.llmmesh.providers.openai;

import dev.llmmesh.providers.ForwardingLlmClient;
import dev.llmmesh.providers.internal.ProviderChatClient;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.ErrorKind;
import dev.llmmesh.MeshException;
import dev.llmmesh.Secret;
import dev.llmmesh.client.Capability;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.providers.ProviderClientBuilder;
import dev.llmmesh.providers.internal.AuthHeader;
import dev.llmmesh.providers.internal.ModelDefaults;
import dev.llmmesh.providers.internal.LangChain4jChatClient;
import dev.llmmesh.providers.internal.OpenAiModels;
import dev.llmmesh.providers.internal.UsageAccounting;
import dev.llmmesh.providers.internal.WireProtocol;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;

/**
 * An {@link LlmClient} for OpenAI's chat-completions API and the servers that speak it (vLLM, LM Studio, Groq,
 * Together, Ollama's {@code /v1}, …: set their base URL), built on langchain4j's {@code OpenAiChatModel} and
 * {@code OpenAiStreamingChatModel}.
 *
 * <pre>{@code
 * OpenAiClient gpt = OpenAiClient.builder("openai-gpt-4o-mini", "gpt-4o-mini")
 *     .apiKey(Secret.env("OPENAI_API_KEY"))
 *     .timeout(Duration.ofSeconds(30))
 *     .build();
 * Mesh mesh = Mesh.builder().addModel(gpt).build();
 * }</pre>
 *
 * <p>Behaviour, as the {@link LlmClient} contract asks:
 * <ul>
 *   <li>exactly one HTTP request per call: langchain4j retries are off ({@code maxRetries(0)}); the mesh retries;</li>
 *   <li>every failure is a {@link MeshException}: 429 is {@link ErrorKind#RATE_LIMITED} with the provider's
 *       {@code Retry-After} (or {@code retry-after-ms}) hint, 429 {@code insufficient_quota} is
 *       {@link ErrorKind#QUOTA_EXHAUSTED}, 400 {@code context_length_exceeded} a
 *       {@link dev.llmmesh.ContextLengthExceededException}, 401/403 {@link ErrorKind#AUTHENTICATION}, 5xx
 *       {@link ErrorKind#SERVER_ERROR} (503 {@link ErrorKind#OVERLOADED}), unparseable bodies
 *       {@link ErrorKind#MALFORMED_RESPONSE}, timeouts {@link ErrorKind#TIMEOUT}; {@code x-should-retry} overrides;
 *       messages name the status, the error type/code and the provider's request id, never the body or the key;</li>
 *   <li>usage is langchain4j's {@code OpenAiTokenUsage}, with cached-input and reasoning tokens;</li>
 *   <li>the request's model name is replaced by this deployment's {@link ModelDescriptor#modelName()}, so callers may
 *       address the deployment by id or alias;</li>
 *   <li>{@link #chat(ChatRequest, Duration)} bounds the whole HTTP exchange by the given time;</li>
 *   <li>streaming forwards partial text and tool calls as they come, then exactly one of complete or error; a stream
 *       that ends without a finish reason (a cut connection, a missing {@code [DONE]}) is an error
 *       ({@link ErrorKind#CONNECTION}), never a clean end; an error object inside the stream is classified like an
 *       HTTP error; cancelling the returned handle aborts the HTTP exchange.</li>
 * </ul>
 *
 * <p>Security: the base URL comes from the builder only (no per-request override) and must be {@code http} or
 * {@code https} with a host and no credentials, query or fragment; link-local/metadata and odd numeric hosts are
 * refused. The key is added as {@code Authorization: Bearer} by the mesh's own HTTP client, only on requests to the
 * base URL's origin; langchain4j never holds it, redirects are never followed, and {@link #toString()} masks it.
 *
 * <p>Thread-safe; one instance serves concurrent calls. Owns a small daemon thread pool for HTTP I/O, released by
 * {@link #close()}; calls after close fail.
 */
public final class OpenAiClient extends ForwardingLlmClient {
    /** Where requests go when no base URL is configured. */
    public static final URI DEFAULT_BASE_URL = URI.create("https://api.openai.com/v1");
    /** The per-request timeout when none is configured. */
    public static final Duration DEFAULT_TIMEOUT = ProviderClientBuilder.DEFAULT_TIMEOUT;

    private final ProviderChatClient delegate;

    private OpenAiClient(ProviderClientBuilder.Settings s) {
        this.delegate = LangChain4jChatClient.create("OpenAiClient", s, WireProtocol.OPENAI, UsageAccounting.AS_REPORTED, executor -> OpenAiModels.create(
                s.descriptor().modelName(), s.baseUrl(), s.apiKey(), AuthHeader.BEARER, Map.of(), executor,
                s.timeout(), s.logRequests(), s.logResponses()).toChatModels(), null);
    }

    /**
     * A builder for a client presenting {@code descriptor}; its {@link ModelDescriptor#modelName()} is the model name
     * sent to the server. Without a price in {@code descriptor}, the built-in table's applies (when it lists the model).
     */
    public static Builder builder(ModelDescriptor descriptor) {
        return new Builder(ModelDefaults.withTablePricing(Objects.requireNonNull(descriptor, "descriptor")));
    }

    /**
     * A builder for deployment {@code id} of OpenAI model {@code modelName}, provider {@code openai}: capabilities,
     * context window, maximum output and price from the built-in {@link dev.llmmesh.providers.PriceTable} when it lists
     * the model, else chat, streaming and tools with the {@link ModelDescriptor.Builder} defaults and no price.
     *
     * @throws IllegalArgumentException if {@code id} or {@code modelName} is blank
     */
    public static Builder builder(String id, String modelName) {
        return new Builder(ModelDefaults.forModel(id, "openai", modelName,
                EnumSet.of(Capability.CHAT, Capability.STREAMING, Capability.TOOLS)));
    }

    /** The validated base URL requests go to. */
    public URI baseUrl() {
        return delegate.configuredBaseUrl();
    }

    /** The per-request timeout. */
    public Duration timeout() {
        return delegate.configuredTimeout();
    }

    @Override
    protected LlmClient delegate() {
        return delegate;
    }

    /**
     * Builds an {@link OpenAiClient}; see {@link ProviderClientBuilder} for the shared settings. Default base URL
     * {@link #DEFAULT_BASE_URL}. Not thread-safe.
     */
    public static final class Builder extends ProviderClientBuilder<Builder> {
        private Builder(ModelDescriptor descriptor) {
            super(descriptor, DEFAULT_BASE_URL);
        }

        @Override
        protected Builder self() {
            return this;
        }

        public OpenAiClient build() {
            dev.llmmesh.providers.internal.Sdk.requireOpenAi("openai");
            return new OpenAiClient(settings());
        }
    }
}
