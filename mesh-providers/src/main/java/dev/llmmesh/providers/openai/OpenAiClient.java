package dev.llmmesh.providers.openai;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.llmmesh.ErrorKind;
import dev.llmmesh.MeshException;
import dev.llmmesh.RetryableException;
import dev.llmmesh.Secret;
import dev.llmmesh.client.Capability;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.providers.internal.BaseUrls;
import dev.llmmesh.providers.internal.MeshHttpClient;
import dev.llmmesh.providers.internal.OpenAiErrors;
import dev.llmmesh.providers.internal.StreamCancellation;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * An {@link LlmClient} for OpenAI's chat-completions API and the servers that speak it (Azure's OpenAI-compatible
 * endpoints, vLLM, Ollama's {@code /v1}, LM Studio, …), built on langchain4j's {@code OpenAiChatModel} and
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
 *       {@link ErrorKind#MALFORMED_RESPONSE}, timeouts {@link ErrorKind#TIMEOUT}; messages name the status, the
 *       error type/code and the provider's request id, never the body or the key;</li>
 *   <li>the request's model name is replaced by this deployment's {@link ModelDescriptor#modelName()}, so callers may
 *       address the deployment by id or alias;</li>
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
public final class OpenAiClient implements LlmClient {
    /** Where requests go when no base URL is configured. */
    public static final URI DEFAULT_BASE_URL = URI.create("https://api.openai.com/v1");
    /** The per-request timeout when none is configured. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final ModelDescriptor descriptor;
    private final URI baseUrl;
    private final Optional<Secret> apiKey;
    private final Duration timeout;
    private final Clock clock;
    private final ExecutorService executor;
    private final OpenAiChatModel chatModel;
    private final OpenAiStreamingChatModel streamingModel;

    private OpenAiClient(Builder b) {
        this.descriptor = b.descriptor;
        this.baseUrl = b.baseUrl;
        this.apiKey = Optional.ofNullable(b.apiKey);
        this.timeout = b.timeout;
        this.clock = b.clock;
        AtomicInteger threads = new AtomicInteger();
        String id = descriptor.id();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "mesh-openai-" + id + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        // langchain4j needs some base URL string; the key never goes to langchain4j, MeshHttpClient adds it
        this.chatModel = OpenAiChatModel.builder()
                .httpClientBuilder(MeshHttpClient.builder(baseUrl, apiKey, executor))
                .baseUrl(baseUrl.toString())
                .modelName(descriptor.modelName())
                .timeout(timeout)
                .maxRetries(0)
                .logRequests(false)
                .logResponses(false)
                .build();
        this.streamingModel = OpenAiStreamingChatModel.builder()
                .httpClientBuilder(MeshHttpClient.builder(baseUrl, apiKey, executor))
                .baseUrl(baseUrl.toString())
                .modelName(descriptor.modelName())
                .timeout(timeout)
                .logRequests(false)
                .logResponses(false)
                .build();
    }

    /**
     * A builder for a client presenting {@code descriptor}; its {@link ModelDescriptor#modelName()} is the model name
     * sent to the server.
     */
    public static Builder builder(ModelDescriptor descriptor) {
        return new Builder(Objects.requireNonNull(descriptor, "descriptor"));
    }

    /**
     * A builder for deployment {@code id} of OpenAI model {@code modelName}: provider {@code openai}, capabilities
     * chat, streaming and tools, otherwise the {@link ModelDescriptor.Builder} defaults. Pass a full descriptor to
     * {@link #builder(ModelDescriptor)} to set pricing, context window and the rest.
     *
     * @throws IllegalArgumentException if {@code id} or {@code modelName} is blank
     */
    public static Builder builder(String id, String modelName) {
        return builder(ModelDescriptor.builder(id, "openai", modelName)
                .capabilities(Capability.CHAT, Capability.STREAMING, Capability.TOOLS)
                .build());
    }

    @Override
    public ModelDescriptor descriptor() {
        return descriptor;
    }

    /** The validated base URL requests go to. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** The per-request timeout. */
    public Duration timeout() {
        return timeout;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        Objects.requireNonNull(request, "request");
        requireOpen();
        try {
            return chatModel.chat(forThisModel(request));
        } catch (RuntimeException e) {
            throw OpenAiErrors.classify(e, descriptor.id(), clock, apiKey);
        }
    }

    @Override
    public StreamingHandle stream(ChatRequest request, StreamingChatResponseHandler handler) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(handler, "handler");
        StreamCall call = new StreamCall(handler);
        if (executor.isShutdown()) {
            call.onError(closedError());
            return call.handle;
        }
        try {
            ChatRequest prepared = forThisModel(request);
            call.cancellation.bind(() -> {
                streamingModel.chat(prepared, call);
                return null;
            });
        } catch (RuntimeException e) {
            call.onError(e);
        }
        return call.handle;
    }

    /** Stops the HTTP thread pool; calls in flight fail or are abandoned. Idempotent. */
    @Override
    public void close() {
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "OpenAiClient[id=" + descriptor.id() + ", model=" + descriptor.modelName() + ", baseUrl=" + baseUrl
                + ", apiKey=" + (apiKey.isPresent() ? "***" : "none") + ", timeout=" + timeout + "]";
    }

    private void requireOpen() {
        if (executor.isShutdown()) {
            throw closedError();
        }
    }

    private MeshException closedError() {
        return new dev.llmmesh.MeshInternalException(ErrorKind.INTERNAL, descriptor.id() + ": client is closed", null);
    }

    /** The request with this deployment's model name, whatever name the caller used. */
    private ChatRequest forThisModel(ChatRequest request) {
        ChatRequestParameters parameters = request.parameters();
        if (parameters != null && descriptor.modelName().equals(parameters.modelName())) {
            return request;
        }
        ChatRequestParameters model = ChatRequestParameters.builder().modelName(descriptor.modelName()).build();
        return request.toBuilder()
                .parameters(parameters == null ? model : parameters.overrideWith(model))
                .build();
    }

    /** One streaming call: forwards callbacks, guarantees one terminal callback, maps errors, supports cancel. */
    private final class StreamCall implements StreamingChatResponseHandler {
        private final StreamingChatResponseHandler handler;
        private final StreamCancellation cancellation = new StreamCancellation();
        private final AtomicBoolean terminated = new AtomicBoolean();
        private final AtomicInteger chunks = new AtomicInteger();
        private volatile @Nullable StreamingHandle upstream;
        private final StreamingHandle handle = new StreamingHandle() {
            @Override
            public void cancel() {
                cancellation.cancel();
                StreamingHandle u = upstream;
                if (u != null) {
                    try {
                        u.cancel();
                    } catch (RuntimeException e) {
                        // the exchange is already aborted
                    }
                }
            }

            @Override
            public boolean isCancelled() {
                return cancellation.isCancelled();
            }
        };
        private final PartialResponseContext context = new PartialResponseContext(handle);

        StreamCall(StreamingChatResponseHandler handler) {
            this.handler = handler;
        }

        private boolean silent() {
            return terminated.get() || cancellation.isCancelled();
        }

        @Override
        public void onPartialResponse(String text) {
            onPartialResponse(new PartialResponse(text), null);
        }

        @Override
        public void onPartialResponse(PartialResponse partial, @Nullable PartialResponseContext upstreamContext) {
            if (upstreamContext != null) {
                upstream = upstreamContext.streamingHandle();
            }
            if (silent()) {
                return;
            }
            chunks.incrementAndGet();
            handler.onPartialResponse(partial, context);
        }

        @Override
        public void onPartialThinking(PartialThinking thinking) {
            if (!silent()) {
                handler.onPartialThinking(thinking);
            }
        }

        @Override
        public void onPartialToolCall(PartialToolCall call) {
            if (!silent()) {
                handler.onPartialToolCall(call);
            }
        }

        @Override
        public void onCompleteToolCall(CompleteToolCall call) {
            if (!silent()) {
                handler.onCompleteToolCall(call);
            }
        }

        @Override
        public void onCompleteResponse(ChatResponse response) {
            if (cancellation.isCancelled() || !terminated.compareAndSet(false, true)) {
                return;
            }
            if (response.finishReason() == null) {
                handler.onError(new RetryableException(ErrorKind.CONNECTION, descriptor.id() + ": stream ended after "
                        + chunks.get() + " chunk(s) without a finish reason", descriptor.id(), null, null));
                return;
            }
            handler.onCompleteResponse(response);
        }

        @Override
        public void onError(Throwable error) {
            if (cancellation.isCancelled() || !terminated.compareAndSet(false, true)) {
                return;
            }
            handler.onError(OpenAiErrors.classify(error, descriptor.id(), clock, apiKey));
        }
    }

    /**
     * Builds an {@link OpenAiClient}. Every setter validates at once. Not thread-safe; a builder builds one client.
     *
     * <p>Defaults: base URL {@link #DEFAULT_BASE_URL}, no key (for local servers), timeout {@link #DEFAULT_TIMEOUT},
     * the system UTC clock (for {@code Retry-After} dates).
     */
    public static final class Builder {
        private final ModelDescriptor descriptor;
        private URI baseUrl = DEFAULT_BASE_URL;
        private @Nullable Secret apiKey;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Clock clock = Clock.systemUTC();

        private Builder(ModelDescriptor descriptor) {
            this.descriptor = descriptor;
        }

        /**
         * The server's base URL, e.g. {@code https://api.openai.com/v1} or {@code http://localhost:11434/v1}.
         *
         * @throws IllegalArgumentException if it is not http(s), has no host, carries credentials, a query or a
         *                                  fragment, or points at a link-local/metadata or oddly spelled numeric host
         */
        public Builder baseUrl(URI baseUrl) {
            this.baseUrl = BaseUrls.validate("baseUrl", baseUrl);
            return this;
        }

        /**
         * As {@link #baseUrl(URI)}, parsing {@code baseUrl}.
         *
         * @throws IllegalArgumentException if it is not a valid URL or fails the checks of {@link #baseUrl(URI)}
         */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = BaseUrls.validate("baseUrl", baseUrl);
            return this;
        }

        /** The API key, sent as {@code Authorization: Bearer} to the base URL only. Omit it for keyless servers. */
        public Builder apiKey(Secret apiKey) {
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
            return this;
        }

        /**
         * The connect and response timeout of each request.
         *
         * @throws IllegalArgumentException if {@code timeout} is zero or negative
         */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("timeout must be positive, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** The clock {@code Retry-After} HTTP dates are measured against. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public OpenAiClient build() {
            return new OpenAiClient(this);
        }
    }
}
