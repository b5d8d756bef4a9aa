package dev.llmmesh.providers.openai;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.llmmesh.Secret;
import dev.llmmesh.providers.internal.BaseUrls;
import dev.llmmesh.providers.internal.EmbeddingRuntime;
import dev.llmmesh.providers.internal.MeshHttpClient;
import dev.llmmesh.providers.internal.WireProtocol;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A langchain4j {@link EmbeddingModel} for OpenAI's {@code POST /v1/embeddings} (and OpenAI-compatible servers), built on
 * langchain4j's {@code OpenAiEmbeddingModel} over the mesh's HTTP client: one HTTP request per batch (no retries), the
 * key only in {@code Authorization}, failures classified into the mesh's exceptions exactly as chat calls are
 * (e.g. 404 {@code model_not_found} is {@link dev.llmmesh.ErrorKind#NOT_FOUND}), usage as reported
 * ({@code prompt_tokens}). {@code dimensions} shortens the vectors (text-embedding-3 models).
 *
 * <pre>{@code
 * OpenAiEmbeddingClient embeddings = OpenAiEmbeddingClient.builder("text-embedding-3-small")
 *     .apiKey(Secret.env("OPENAI_API_KEY")).build();
 * }</pre>
 *
 * <p>Thread-safe; owns a daemon thread pool for HTTP I/O, released by {@link #close()}.
 */
public final class OpenAiEmbeddingClient implements EmbeddingModel, AutoCloseable {
    private static final Map<String, Integer> KNOWN_DIMENSIONS = Map.of("text-embedding-3-small", 1536,
            "text-embedding-3-large", 3072, "text-embedding-ada-002", 1536);

    private final String modelName;
    private final @Nullable Integer dimensions;
    private final EmbeddingRuntime runtime;
    private final OpenAiEmbeddingModel model;

    private OpenAiEmbeddingClient(Builder b) {
        this.modelName = b.modelName;
        this.dimensions = b.dimensions;
        this.runtime = new EmbeddingRuntime("openai", modelName, b.baseUrl, Optional.ofNullable(b.apiKey), b.timeout,
                b.clock, WireProtocol.OPENAI);
        this.model = OpenAiEmbeddingModel.builder()
                .httpClientBuilder(MeshHttpClient.builder(b.baseUrl, runtime.apiKey(), runtime.executor()))
                .baseUrl(b.baseUrl.toString())
                .modelName(modelName)
                .dimensions(dimensions)
                .timeout(b.timeout)
                .maxRetries(0)
                .build();
    }

    /**
     * A builder for embeddings from {@code modelName}, e.g. {@code text-embedding-3-small}.
     *
     * @throws IllegalArgumentException if {@code modelName} is blank
     */
    public static Builder builder(String modelName) {
        return new Builder(EmbeddingRuntime.requireModelName(modelName));
    }

    /**
     * Embeds the segments in one request.
     *
     * @throws dev.llmmesh.MeshException classified as for chat calls
     */
    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
        Objects.requireNonNull(segments, "segments");
        return runtime.run(() -> model.embedAll(segments));
    }

    /** The configured dimensions, else the model's known size, else one call to find out. */
    @Override
    public int dimension() {
        if (dimensions != null) {
            return dimensions;
        }
        Integer known = KNOWN_DIMENSIONS.get(modelName);
        return known != null ? known : EmbeddingModel.super.dimension();
    }

    @Override
    public String modelName() {
        return modelName;
    }

    @Override
    public void close() {
        runtime.close();
    }

    @Override
    public String toString() {
        return runtime.describe("OpenAiEmbeddingClient");
    }

    /**
     * Builds an {@link OpenAiEmbeddingClient}. Defaults: base URL {@link OpenAiClient#DEFAULT_BASE_URL}, no key, the
     * model's own dimensions, timeout 60 s, the system UTC clock. Not thread-safe.
     */
    public static final class Builder {
        private final String modelName;
        private URI baseUrl = OpenAiClient.DEFAULT_BASE_URL;
        private @Nullable Secret apiKey;
        private @Nullable Integer dimensions;
        private Duration timeout = OpenAiClient.DEFAULT_TIMEOUT;
        private Clock clock = Clock.systemUTC();

        private Builder(String modelName) {
            this.modelName = modelName;
        }

        /**
         * @throws IllegalArgumentException as {@link OpenAiClient.Builder#baseUrl(URI)}
         */
        public Builder baseUrl(URI baseUrl) {
            this.baseUrl = BaseUrls.validate("baseUrl", baseUrl);
            return this;
        }

        public Builder apiKey(Secret apiKey) {
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
            return this;
        }

        /**
         * Shortens the vectors to {@code dimensions} (text-embedding-3 models).
         *
         * @throws IllegalArgumentException if {@code dimensions < 1}
         */
        public Builder dimensions(int dimensions) {
            if (dimensions < 1) {
                throw new IllegalArgumentException("dimensions must be >= 1, got " + dimensions);
            }
            this.dimensions = dimensions;
            return this;
        }

        /**
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

        public OpenAiEmbeddingClient build() {
            dev.llmmesh.providers.internal.Sdk.requireOpenAi("openai");
            return new OpenAiEmbeddingClient(this);
        }
    }
}
