package dev.llmmesh.providers.internal;

import dev.llmmesh.MeshException;
import dev.llmmesh.Secret;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Runs one embedding call the way {@link ClientRuntime} runs a chat call: bound to a {@link ProviderCall} (with the
 * client's timeout), failures classified by {@link ProviderErrors}. Stateless and thread-safe.
 */
public final class EmbeddingSupport {
    private EmbeddingSupport() {
    }

    /**
     * Runs {@code call}, classifying any failure for {@code modelId}.
     *
     * @throws MeshException classified
     */
    public static <T> T run(Supplier<T> call, String modelId, Duration timeout, Clock clock, Optional<Secret> apiKey,
                            WireProtocol protocol) {
        ProviderCall bound = ProviderCall.bounded(timeout);
        try {
            return bound.bind(call);
        } catch (RuntimeException e) {
            throw ProviderErrors.classify(e, modelId, clock, apiKey, protocol, bound);
        }
    }
}
