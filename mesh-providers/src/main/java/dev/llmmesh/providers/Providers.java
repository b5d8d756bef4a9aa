package dev.llmmesh.providers;

import dev.llmmesh.providers.anthropic.AnthropicClient;
import dev.llmmesh.providers.azure.AzureOpenAiClient;
import dev.llmmesh.providers.gemini.GeminiClient;
import dev.llmmesh.providers.mistral.MistralClient;
import dev.llmmesh.providers.ollama.OllamaClient;
import dev.llmmesh.providers.openai.OpenAiClient;
import java.util.Locale;
import java.util.Objects;

/**
 * One entry point to every provider client's builder, with the deployment id made from the provider and the model
 * ({@code openai-gpt-4o-mini}). Each builder starts from the built-in {@link PriceTable}'s facts for the model (price,
 * context window, capabilities) when it lists it.
 *
 * <pre>{@code
 * Mesh mesh = Mesh.builder()
 *     .addModel(Providers.openAi("gpt-4o-mini").apiKey(Secret.env("OPENAI_API_KEY")).build())
 *     .addModel(Providers.anthropic("claude-sonnet-4-5").apiKey(Secret.env("ANTHROPIC_API_KEY")).build())
 *     .addModel(Providers.ollama("llama3.1:8b").build())
 *     .build();
 * }</pre>
 *
 * <p>For another id, use the client's own {@code builder(id, model)}. Stateless and thread-safe.
 */
public final class Providers {
    private Providers() {
    }

    /**
     * An OpenAI client builder (base URL {@code https://api.openai.com/v1}), id {@code openai-<model>}.
     *
     * @throws IllegalArgumentException if {@code model} is blank
     */
    public static OpenAiClient.Builder openAi(String model) {
        return OpenAiClient.builder(id("openai", model), model);
    }

    /**
     * A client builder for an OpenAI-compatible server: vLLM ({@code http://localhost:8000/v1}), LM Studio
     * ({@code http://localhost:1234/v1}), Groq ({@code https://api.groq.com/openai/v1}), Together
     * ({@code https://api.together.xyz/v1}), Ollama's {@code /v1}, … The provider name stays {@code openai}; the built-in
     * table prices OpenAI's own models only, so set {@link ProviderClientBuilder#pricing} for a paid server.
     *
     * @param id the deployment id, e.g. {@code groq-llama-3.3-70b}
     * @throws IllegalArgumentException if {@code id} or {@code model} is blank, or {@code baseUrl} fails validation
     */
    public static OpenAiClient.Builder openAiCompatible(String id, String model, String baseUrl) {
        return OpenAiClient.builder(id, model).baseUrl(baseUrl);
    }

    /**
     * An Azure OpenAI client builder, id {@code azure-<model>}; set its base URL (the resource endpoint) and, when it
     * differs from the model name, the deployment.
     *
     * @throws IllegalArgumentException if {@code model} is blank
     */
    public static AzureOpenAiClient.Builder azureOpenAi(String model) {
        return AzureOpenAiClient.builder(id("azure", model), model);
    }

    /**
     * An Anthropic client builder (base URL {@code https://api.anthropic.com/v1}), id {@code anthropic-<model>}.
     *
     * @throws IllegalArgumentException if {@code model} is blank
     */
    public static AnthropicClient.Builder anthropic(String model) {
        return AnthropicClient.builder(id("anthropic", model), model);
    }

    /**
     * A Google Gemini client builder (base URL {@code https://generativelanguage.googleapis.com/v1beta}), id
     * {@code gemini-<model>}.
     *
     * @throws IllegalArgumentException if {@code model} is blank
     */
    public static GeminiClient.Builder gemini(String model) {
        return GeminiClient.builder(id("gemini", model), model);
    }

    /**
     * A Mistral client builder (base URL {@code https://api.mistral.ai/v1}), id {@code mistral-<model>}.
     *
     * @throws IllegalArgumentException if {@code model} is blank
     */
    public static MistralClient.Builder mistral(String model) {
        return MistralClient.builder(id("mistral", model), model);
    }

    /**
     * An Ollama client builder (base URL {@code http://localhost:11434}), id {@code ollama-<model>} (a tag's colon
     * becomes a dash).
     *
     * @throws IllegalArgumentException if {@code model} is blank
     */
    public static OllamaClient.Builder ollama(String model) {
        return OllamaClient.builder(id("ollama", model), model);
    }

    /** The built-in price and capability table. */
    public static PriceTable priceTable() {
        return PriceTable.builtIn();
    }

    private static String id(String provider, String model) {
        Objects.requireNonNull(model, "model");
        if (model.isBlank()) {
            throw new IllegalArgumentException("model must not be blank");
        }
        return provider + "-" + model.trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-");
    }
}
