package dev.llmmesh.providers.internal;

import dev.llmmesh.config.ConfigNode;
import dev.llmmesh.providers.ProviderClientBuilder;

/**
 * Reads the settings every provider's {@code mesh.yaml} entry shares into a client builder: {@code baseUrl},
 * {@code apiKey}, {@code timeout}, {@code logRequests}, {@code logResponses}, {@code maxResponseBytes}. A value the builder rejects becomes a
 * {@link dev.llmmesh.config.MeshConfigException} naming the setting's path. Stateless and thread-safe.
 */
public final class FactorySettings {
    private FactorySettings() {
    }

    /** Applies the shared settings present in {@code settings} to {@code builder}. */
    public static <B extends ProviderClientBuilder<B>> B apply(B builder, ConfigNode settings) {
        settings.optionalUrl("baseUrl").ifPresent(url -> {
            try {
                builder.baseUrl(url);
            } catch (IllegalArgumentException e) {
                throw settings.error("baseUrl", e.getMessage());
            }
        });
        settings.optionalSecret("apiKey").ifPresent(builder::apiKey);
        settings.optionalDuration("timeout").ifPresent(timeout -> {
            try {
                builder.timeout(timeout);
            } catch (IllegalArgumentException e) {
                throw settings.error("timeout", e.getMessage());
            }
        });
        settings.optionalBool("logRequests").ifPresent(builder::logRequests);
        settings.optionalBool("logResponses").ifPresent(builder::logResponses);
        settings.optionalLong("maxResponseBytes", 1024).ifPresent(builder::maxResponseBytes);
        return builder;
    }
}
