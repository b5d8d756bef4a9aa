package dev.llmmesh.providers.anthropic;

import dev.llmmesh.client.LlmClientFactory;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.config.ConfigNode;
import dev.llmmesh.config.MeshConfigException;
import dev.llmmesh.providers.internal.FactorySettings;
import dev.llmmesh.providers.internal.ModelDefaults;

/**
 * Creates {@link AnthropicClient}s for {@code mesh.yaml} entries with {@code provider: anthropic}. Registered with
 * {@link java.util.ServiceLoader}. Settings: {@code baseUrl} (default {@code https://api.anthropic.com/v1}),
 * {@code apiKey} (sent as {@code x-api-key}), {@code timeout}, {@code defaultMaxTokens} (default 4096),
 * {@code thinkingBudget} (turns extended thinking on), {@code logRequests}, {@code logResponses}; pricing, window and
 * capabilities default to the built-in table. Stateless and thread-safe.
 */
public final class AnthropicClientFactory implements LlmClientFactory {
    /** The {@code provider:} value this factory serves. */
    public static final String PROVIDER = "anthropic";

    /** For {@link java.util.ServiceLoader}. */
    public AnthropicClientFactory() {
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    /**
     * @throws MeshConfigException naming the setting's path when a value is invalid
     */
    @Override
    public AnthropicClient create(ModelDescriptor descriptor, ConfigNode settings) {
        AnthropicClient.Builder builder = FactorySettings.apply(
                AnthropicClient.builder(ModelDefaults.fromConfig(descriptor, settings)), settings);
        settings.optionalInteger("defaultMaxTokens", 1).ifPresent(builder::defaultMaxTokens);
        settings.optionalInteger("thinkingBudget", 1024).ifPresent(builder::thinkingBudget);
        return builder.build();
    }
}
