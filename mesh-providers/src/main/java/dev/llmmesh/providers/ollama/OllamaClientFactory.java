package dev.llmmesh.providers.ollama;

import dev.llmmesh.client.LlmClientFactory;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.config.ConfigNode;
import dev.llmmesh.config.MeshConfigException;
import dev.llmmesh.providers.internal.FactorySettings;
import dev.llmmesh.providers.internal.ModelDefaults;

/**
 * Creates {@link OllamaClient}s for {@code mesh.yaml} entries with {@code provider: ollama}. Registered with
 * {@link java.util.ServiceLoader}. Settings: {@code baseUrl} (default {@code http://localhost:11434}), {@code apiKey}
 * (optional, for a proxy), {@code timeout}, {@code think} (true/false), {@code keepAlive} (e.g. {@code 5m});
 * pricing, window and capabilities default to the built-in table. Stateless and thread-safe.
 */
public final class OllamaClientFactory implements LlmClientFactory {
    /** The {@code provider:} value this factory serves. */
    public static final String PROVIDER = "ollama";

    /** For {@link java.util.ServiceLoader}. */
    public OllamaClientFactory() {
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    /**
     * @throws MeshConfigException naming the setting's path when a value is invalid
     */
    @Override
    public OllamaClient create(ModelDescriptor descriptor, ConfigNode settings) {
        OllamaClient.Builder builder = FactorySettings.apply(
                OllamaClient.builder(ModelDefaults.fromConfig(descriptor, settings)), settings);
        settings.optionalBool("think").ifPresent(builder::think);
        settings.optionalString("keepAlive").ifPresent(k -> {
            try {
                builder.keepAlive(k);
            } catch (IllegalArgumentException e) {
                throw settings.error("keepAlive", e.getMessage());
            }
        });
        return builder.build();
    }
}
