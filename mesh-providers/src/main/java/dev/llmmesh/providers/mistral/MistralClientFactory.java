package dev.llmmesh.providers.mistral;

import dev.llmmesh.client.LlmClientFactory;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.config.ConfigNode;
import dev.llmmesh.config.MeshConfigException;
import dev.llmmesh.providers.internal.FactorySettings;
import dev.llmmesh.providers.internal.ModelDefaults;

/**
 * Creates {@link MistralClient}s for {@code mesh.yaml} entries with {@code provider: mistral}. Registered with
 * {@link java.util.ServiceLoader}. Settings: {@code baseUrl} (default {@code https://api.mistral.ai/v1}),
 * {@code apiKey}, {@code timeout}, {@code logRequests}, {@code logResponses}; pricing, window and capabilities default
 * to the built-in table. Stateless and thread-safe.
 */
public final class MistralClientFactory implements LlmClientFactory {
    /** The {@code provider:} value this factory serves. */
    public static final String PROVIDER = "mistral";

    /** For {@link java.util.ServiceLoader}. */
    public MistralClientFactory() {
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    /**
     * @throws MeshConfigException naming the setting's path when a value is invalid
     */
    @Override
    public MistralClient create(ModelDescriptor descriptor, ConfigNode settings) {
        return FactorySettings.apply(MistralClient.builder(ModelDefaults.fromConfig(descriptor, settings)), settings)
                .build();
    }
}
