package dev.llmmesh.providers.openai;

import dev.llmmesh.client.LlmClient;
import dev.llmmesh.client.LlmClientFactory;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.config.ConfigNode;
import dev.llmmesh.config.MeshConfigException;

/**
 * Creates {@link OpenAiClient}s for {@code mesh.yaml} entries with {@code provider: openai}. Registered with
 * {@link java.util.ServiceLoader}. Settings:
 * <pre>{@code
 * models:
 *   - id: openai-gpt-4o-mini
 *     provider: openai
 *     model: gpt-4o-mini
 *     baseUrl: https://api.openai.com/v1   # optional, this is the default; any OpenAI-compatible server
 *     apiKey: ${OPENAI_API_KEY}            # optional for local servers
 *     timeout: 30s                         # optional, default 60s
 * }</pre>
 * Stateless and thread-safe.
 */
public final class OpenAiClientFactory implements LlmClientFactory {
    /** The {@code provider:} value this factory serves. */
    public static final String PROVIDER = "openai";

    /** For {@link java.util.ServiceLoader}. */
    public OpenAiClientFactory() {
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    /**
     * Reads {@code baseUrl}, {@code apiKey} and {@code timeout} (each optional) and builds the client.
     *
     * @throws MeshConfigException naming the setting's path when a value is invalid
     */
    @Override
    public OpenAiClient create(ModelDescriptor descriptor, ConfigNode settings) {
        OpenAiClient.Builder builder = OpenAiClient.builder(descriptor);
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
        return builder.build();
    }
}
