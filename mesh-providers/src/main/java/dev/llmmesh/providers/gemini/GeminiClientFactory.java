package dev.llmmesh.providers.gemini;

import dev.llmmesh.client.LlmClientFactory;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.config.ConfigNode;
import dev.llmmesh.config.MeshConfigException;
import dev.llmmesh.providers.internal.FactorySettings;
import dev.llmmesh.providers.internal.ModelDefaults;

/**
 * Creates {@link GeminiClient}s for {@code mesh.yaml} entries with {@code provider: gemini}. Registered with
 * {@link java.util.ServiceLoader}. Settings: {@code baseUrl} (default
 * {@code https://generativelanguage.googleapis.com/v1beta}), {@code apiKey} (sent as {@code x-goog-api-key}),
 * {@code timeout}, {@code logRequests}, {@code logResponses}; pricing, window and capabilities default to the built-in
 * table. Stateless and thread-safe.
 */
public final class GeminiClientFactory implements LlmClientFactory {
    /** The {@code provider:} value this factory serves. */
    public static final String PROVIDER = "gemini";

    /** For {@link java.util.ServiceLoader}. */
    public GeminiClientFactory() {
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    /**
     * @throws MeshConfigException naming the setting's path when a value is invalid
     */
    @Override
    public GeminiClient create(ModelDescriptor descriptor, ConfigNode settings) {
        return FactorySettings.apply(GeminiClient.builder(ModelDefaults.fromConfig(descriptor, settings)), settings)
                .build();
    }
}
