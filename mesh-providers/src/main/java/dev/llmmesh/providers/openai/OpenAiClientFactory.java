package dev.llmmesh.providers.openai;

import dev.llmmesh.client.LlmClientFactory;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.config.ConfigNode;
import dev.llmmesh.config.MeshConfigException;
import dev.llmmesh.providers.internal.FactorySettings;
import dev.llmmesh.providers.internal.ModelDefaults;

/**
 * Creates {@link OpenAiClient}s for {@code mesh.yaml} entries with {@code provider: openai}, which also serve every
 * OpenAI-compatible server (vLLM, LM Studio, Groq, Together, Ollama's {@code /v1}) through {@code baseUrl}. Registered
 * with {@link java.util.ServiceLoader}. Settings:
 * <pre>{@code
 * models:
 *   - id: openai-gpt-4o-mini
 *     provider: openai
 *     model: gpt-4o-mini
 *     baseUrl: https://api.openai.com/v1   # optional, this is the default; any OpenAI-compatible server
 *     apiKey: ${OPENAI_API_KEY}            # optional for local servers
 *     timeout: 30s                         # optional, default 60s
 *     logRequests: false                   # optional: langchain4j's request/response logging
 *     logResponses: false
 * }</pre>
 * {@code pricing}, {@code contextWindow}, {@code maxOutputTokens} and {@code capabilities} default to the built-in
 * {@link dev.llmmesh.providers.PriceTable} when it lists the model. Stateless and thread-safe.
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
     * Reads the settings above (each optional) and builds the client.
     *
     * @throws MeshConfigException naming the setting's path when a value is invalid
     */
    @Override
    public OpenAiClient create(ModelDescriptor descriptor, ConfigNode settings) {
        return FactorySettings.apply(OpenAiClient.builder(ModelDefaults.fromConfig(descriptor, settings)), settings)
                .build();
    }
}
