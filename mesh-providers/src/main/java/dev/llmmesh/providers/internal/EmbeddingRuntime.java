package dev.llmmesh.providers.internal;

import dev.llmmesh.MeshException;
import dev.llmmesh.Secret;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * What every embedding client shares: its daemon HTTP thread pool, the closed check, running one call through
 * {@link EmbeddingSupport} (timeout, classified failures) and a {@code toString} that masks the key. Not API.
 *
 * <p>Thread-safe; owns the thread pool, released by {@link #close()} (idempotent); calls after close fail.
 */
public final class EmbeddingRuntime implements AutoCloseable {
    private final String provider;
    private final String modelName;
    private final URI baseUrl;
    private final Optional<Secret> apiKey;
    private final Duration timeout;
    private final Clock clock;
    private final WireProtocol protocol;
    private final ExecutorService executor;

    /**
     * @param provider  the provider, for thread names ({@code mesh-<provider>-embeddings-<model>})
     * @param modelName the embedding model
     * @param baseUrl   where requests go (validated)
     * @param apiKey    the key, for masking and scrubbing
     * @param timeout   bounds each call
     * @param clock     what {@code Retry-After} dates are measured against
     * @param protocol  the provider's error dialect
     */
    public EmbeddingRuntime(String provider, String modelName, URI baseUrl, Optional<Secret> apiKey, Duration timeout,
                            Clock clock, WireProtocol protocol) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.modelName = Objects.requireNonNull(modelName, "modelName");
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.executor = new IoPool("mesh-" + provider + "-embeddings-" + modelName + "-");
    }

    /**
     * Checks a builder's model name.
     *
     * @throws IllegalArgumentException if {@code modelName} is blank
     */
    public static String requireModelName(String modelName) {
        Objects.requireNonNull(modelName, "modelName");
        if (modelName.isBlank()) {
            throw new IllegalArgumentException("modelName must not be blank");
        }
        return modelName;
    }

    /** The pool the client's HTTP I/O runs on. */
    public ExecutorService executor() {
        return executor;
    }

    public Optional<Secret> apiKey() {
        return apiKey;
    }

    /**
     * Runs one embedding call, bounded by the timeout.
     *
     * @throws IllegalStateException if the client is closed
     * @throws MeshException         classified
     */
    public <T> T run(Supplier<T> call) {
        if (executor.isShutdown()) {
            throw new IllegalStateException("embeddings:" + modelName + ": client is closed");
        }
        return EmbeddingSupport.run(call, "embeddings:" + modelName, timeout, clock, apiKey, protocol);
    }

    /** {@code <clientName>[model=…, baseUrl=…, apiKey=***|none]}. */
    public String describe(String clientName) {
        return clientName + "[model=" + modelName + ", baseUrl=" + baseUrl + ", apiKey="
                + (apiKey.isPresent() ? "***" : "none") + "]";
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return describe("EmbeddingRuntime[" + provider + "]");
    }
}
