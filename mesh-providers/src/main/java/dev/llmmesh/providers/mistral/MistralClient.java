package dev.llmmesh.providers.mistral;

import dev.llmmesh.providers.ForwardingLlmClient;
import dev.llmmesh.providers.internal.ProviderChatClient;
import dev.langchain4j.model.mistralai.MistralAiChatModel;
import dev.langchain4j.model.mistralai.MistralAiStreamingChatModel;
import dev.llmmesh.client.Capability;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.providers.ProviderClientBuilder;
import dev.llmmesh.providers.internal.AuthHeader;
import dev.llmmesh.providers.internal.ChatModels;
import dev.llmmesh.providers.internal.LangChain4jChatClient;
import dev.llmmesh.providers.internal.MeshHttpClient;
import dev.llmmesh.providers.internal.ModelDefaults;
import dev.llmmesh.providers.internal.UsageAccounting;
import dev.llmmesh.providers.internal.WireProtocol;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.concurrent.ExecutorService;

/**
 * An {@link LlmClient} for Mistral's chat-completions API ({@code https://api.mistral.ai/v1}), built on langchain4j's
 * {@code MistralAiChatModel} and {@code MistralAiStreamingChatModel} (langchain4j-mistral-ai 1.18.1: 1.19.0 was never
 * published; it runs on langchain4j-core 1.19.0, which the contract and conformance tests exercise).
 *
 * <pre>{@code
 * MistralClient mistral = MistralClient.builder("mistral-large", "mistral-large-latest")
 *     .apiKey(Secret.env("MISTRAL_API_KEY"))
 *     .build();
 * }</pre>
 *
 * <p>Mistral differences, all handled: tool-call ids are 9-character alphanumerics without a {@code type}; a tool call
 * comes with {@code content: ""}; streams carry usage in the final chunk together with the finish reason, and padding
 * fields ({@code p}); usage reports cached prompt tokens as {@code num_cached_tokens}, which becomes the cached-input
 * count of {@link dev.llmmesh.providers.ProviderTokenUsage}; errors may have their fields at the top level
 * ({@code {"object":"error","type":…}}). Key: {@code Authorization: Bearer}. Errors classify as for OpenAI.
 *
 * <p>Thread-safe; owns a daemon thread pool for HTTP I/O, released by {@link #close()}.
 */
public final class MistralClient extends ForwardingLlmClient {
    /** Where requests go when no base URL is configured. */
    public static final URI DEFAULT_BASE_URL = URI.create("https://api.mistral.ai/v1");

    private final ProviderChatClient delegate;

    private MistralClient(ProviderClientBuilder.Settings s) {
        this.delegate = LangChain4jChatClient.create("MistralClient", s, WireProtocol.OPENAI, UsageAccounting.MISTRAL, executor -> models(s, executor), null);
    }

    private static ChatModels models(ProviderClientBuilder.Settings s, ExecutorService executor) {
        URI baseUrl = s.baseUrl();
        Duration timeout = s.timeout();
        String model = s.descriptor().modelName();
        return new ChatModels(
                MistralAiChatModel.builder()
                        .httpClientBuilder(MeshHttpClient.builder(baseUrl, s.apiKey(), AuthHeader.BEARER,
                                executor))
                        .baseUrl(baseUrl.toString())
                        .apiKey(ChatModels.PLACEHOLDER_KEY)
                        .modelName(model)
                        .timeout(timeout)
                        .maxRetries(0)
                        .returnThinking(true)
                        .logRequests(s.logRequests())
                        .logResponses(s.logResponses())
                        .build(),
                MistralAiStreamingChatModel.builder()
                        .httpClientBuilder(MeshHttpClient.builder(baseUrl, s.apiKey(), AuthHeader.BEARER,
                                executor))
                        .baseUrl(baseUrl.toString())
                        .apiKey(ChatModels.PLACEHOLDER_KEY)
                        .modelName(model)
                        .timeout(timeout)
                        .returnThinking(true)
                        .logRequests(s.logRequests())
                        .logResponses(s.logResponses())
                        .build());
    }

    /** A builder for a client presenting {@code descriptor}; without a price in it, the built-in table's applies. */
    public static Builder builder(ModelDescriptor descriptor) {
        return new Builder(ModelDefaults.withTablePricing(Objects.requireNonNull(descriptor, "descriptor")));
    }

    /**
     * A builder for deployment {@code id} of Mistral model {@code modelName} (provider {@code mistral}), with the
     * built-in table's facts when it lists the model.
     *
     * @throws IllegalArgumentException if {@code id} or {@code modelName} is blank
     */
    public static Builder builder(String id, String modelName) {
        return new Builder(ModelDefaults.forModel(id, "mistral", modelName,
                EnumSet.of(Capability.CHAT, Capability.STREAMING, Capability.TOOLS)));
    }

    public URI baseUrl() {
        return delegate.configuredBaseUrl();
    }

    @Override
    protected LlmClient delegate() {
        return delegate;
    }

    /**
     * Builds a {@link MistralClient}; see {@link ProviderClientBuilder} for the settings. Default base URL
     * {@link #DEFAULT_BASE_URL}. Not thread-safe.
     */
    public static final class Builder extends ProviderClientBuilder<Builder> {
        private Builder(ModelDescriptor descriptor) {
            super(descriptor, DEFAULT_BASE_URL);
        }

        @Override
        protected Builder self() {
            return this;
        }

        public MistralClient build() {
            dev.llmmesh.providers.internal.Sdk.require("mistral", "dev.langchain4j.model.mistralai.MistralAiChatModel", "langchain4j-mistral-ai");
            return new MistralClient(settings());
        }
    }
}
