package dev.llmmesh.providers.ollama;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.http.client.HttpMethod;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.output.TokenUsage;
import dev.llmmesh.Secret;
import dev.llmmesh.providers.internal.BaseUrls;
import dev.llmmesh.providers.internal.EmbeddingRuntime;
import dev.llmmesh.providers.internal.MeshHttpClient;
import dev.llmmesh.providers.internal.OllamaWire;
import dev.llmmesh.providers.internal.ProviderHttpException;
import dev.llmmesh.providers.internal.WireProtocol;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A langchain4j {@link EmbeddingModel} for Ollama's {@code POST /api/embed} ({@code {"model","input":[…]}} →
 * {@code {"embeddings":[[…],…],"prompt_eval_count"}}), over the mesh's HTTP client. An answer in the legacy
 * {@code /api/embeddings} shape ({@code {"embedding":[…]}}) is read too. Failures are classified as for chat calls
 * ({@code {"error":"…"}} bodies; 404 model not found). Usage is {@code prompt_eval_count} when the server reports it.
 *
 * <pre>{@code
 * OllamaEmbeddingClient embeddings = OllamaEmbeddingClient.builder("all-minilm").build(); // http://localhost:11434
 * }</pre>
 *
 * <p>Thread-safe; owns a daemon thread pool for HTTP I/O, released by {@link #close()}.
 */
public final class OllamaEmbeddingClient implements EmbeddingModel, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String modelName;
    private final URI baseUrl;
    private final EmbeddingRuntime runtime;
    private final MeshHttpClient http;

    private OllamaEmbeddingClient(Builder b) {
        this.modelName = b.modelName;
        this.baseUrl = b.baseUrl;
        this.runtime = new EmbeddingRuntime("ollama", modelName, baseUrl, Optional.ofNullable(b.apiKey), b.timeout,
                b.clock, WireProtocol.OLLAMA);
        this.http = MeshHttpClient.builder(baseUrl, runtime.apiKey(), runtime.executor()).connectTimeout(b.timeout)
                .readTimeout(b.timeout).build();
    }

    /**
     * A builder for embeddings from Ollama model {@code modelName}, e.g. {@code all-minilm}.
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
        return runtime.run(() -> send(segments));
    }

    private Response<List<Embedding>> send(List<TextSegment> segments) {
        ObjectNode body = JSON.createObjectNode().put("model", modelName);
        ArrayNode input = body.putArray("input");
        segments.forEach(s -> input.add(s.text()));
        String json;
        try {
            json = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        SuccessfulHttpResponse response = http.execute(HttpRequest.builder().method(HttpMethod.POST)
                .url(baseUrl + "/api/embed").addHeader("Content-Type", "application/json").body(json).build());
        JsonNode root = OllamaWire.parse(response.body());
        if (root.has("error")) {
            throw new ProviderHttpException(200, response.headers(), response.body());
        }
        List<Embedding> out = new ArrayList<>();
        if (root.path("embeddings").isArray()) {
            for (JsonNode vector : root.path("embeddings")) {
                out.add(vector(vector));
            }
        } else if (root.path("embedding").isArray()) {
            out.add(vector(root.path("embedding")));
        } else {
            throw new UncheckedIOException(new com.fasterxml.jackson.core.JsonParseException(null,
                    "the Ollama answer has neither embeddings nor embedding"));
        }
        TokenUsage usage = root.has("prompt_eval_count") ? new TokenUsage(root.path("prompt_eval_count").asInt(), 0)
                : null;
        return Response.from(out, usage);
    }

    private static Embedding vector(JsonNode array) {
        float[] v = new float[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) array.get(i).asDouble();
        }
        return Embedding.from(v);
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
        return runtime.describe("OllamaEmbeddingClient");
    }

    /**
     * Builds an {@link OllamaEmbeddingClient}. Defaults: base URL {@link OllamaClient#DEFAULT_BASE_URL}, no key, timeout
     * 60 s, the system UTC clock. Not thread-safe.
     */
    public static final class Builder {
        private final String modelName;
        private URI baseUrl = OllamaClient.DEFAULT_BASE_URL;
        private @Nullable Secret apiKey;
        private Duration timeout = Duration.ofSeconds(60);
        private Clock clock = Clock.systemUTC();

        private Builder(String modelName) {
            this.modelName = modelName;
        }

        /**
         * @throws IllegalArgumentException as {@link OllamaClient.Builder#baseUrl(URI)}
         */
        public Builder baseUrl(URI baseUrl) {
            this.baseUrl = BaseUrls.validate("baseUrl", baseUrl);
            return this;
        }

        /** A key for an authenticating proxy in front of Ollama, sent as {@code Authorization: Bearer}. */
        public Builder apiKey(Secret apiKey) {
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
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

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public OllamaEmbeddingClient build() {
            return new OllamaEmbeddingClient(this);
        }
    }
}
