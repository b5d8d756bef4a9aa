package dev.llmmesh.providers.azure;

import dev.llmmesh.client.LlmClientFactory;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.config.ConfigNode;
import dev.llmmesh.config.MeshConfigException;
import dev.llmmesh.providers.internal.FactorySettings;
import dev.llmmesh.providers.internal.ModelDefaults;

/**
 * Creates {@link AzureOpenAiClient}s for {@code mesh.yaml} entries with {@code provider: azure}. Registered with
 * {@link java.util.ServiceLoader}. Settings:
 * <pre>{@code
 * models:
 *   - id: azure-gpt-4o-mini
 *     provider: azure
 *     model: gpt-4o-mini                          # the model (prices come from it)
 *     baseUrl: https://my-resource.openai.azure.com   # required: the resource endpoint
 *     deployment: prod-gpt-4o-mini                # optional, default: the model name
 *     apiVersion: 2024-10-21                      # optional; or v1 for the version-less v1 API
 *     apiKey: ${AZURE_OPENAI_API_KEY}             # sent as the api-key header
 *     timeout: 30s                                # optional, default 60s
 * }</pre>
 * Stateless and thread-safe.
 */
public final class AzureOpenAiClientFactory implements LlmClientFactory {
    /** The {@code provider:} value this factory serves. */
    public static final String PROVIDER = "azure";

    /** For {@link java.util.ServiceLoader}. */
    public AzureOpenAiClientFactory() {
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    /**
     * @throws MeshConfigException naming the setting's path when a value is invalid or {@code baseUrl} is missing
     */
    @Override
    public AzureOpenAiClient create(ModelDescriptor descriptor, ConfigNode settings) {
        if (!settings.has("baseUrl")) {
            settings.consume("baseUrl");
            throw settings.error("baseUrl", "required for provider azure: the resource endpoint, e.g. "
                    + "https://my-resource.openai.azure.com");
        }
        AzureOpenAiClient.Builder builder = FactorySettings.apply(
                AzureOpenAiClient.builder(ModelDefaults.fromConfig(descriptor, settings)), settings);
        settings.optionalString("deployment").ifPresent(d -> {
            try {
                builder.deployment(d);
            } catch (IllegalArgumentException e) {
                throw settings.error("deployment", e.getMessage());
            }
        });
        settings.optionalString("apiVersion").ifPresent(v -> {
            try {
                builder.apiVersion(v);
            } catch (IllegalArgumentException e) {
                throw settings.error("apiVersion", e.getMessage());
            }
        });
        return builder.build();
    }
}
