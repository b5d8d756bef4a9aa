package dev.llmmesh.providers.gemini;

import dev.llmmesh.providers.ForwardingLlmClient;
import dev.llmmesh.providers.internal.ProviderChatClient;
import dev.langchain4j.model.googleai.GoogleAiGeminiChatModel;
import dev.langchain4j.model.googleai.GoogleAiGeminiStreamingChatModel;
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
 * An {@link LlmClient} for the Google Gemini API ({@code generativelanguage.googleapis.com/v1beta}:
 * {@code models/{model}:generateContent} and {@code :streamGenerateContent?alt=sse}), built on langchain4j's
 * {@code GoogleAiGeminiChatModel} and {@code GoogleAiGeminiStreamingChatModel}.
 *
 * <pre>{@code
 * GeminiClient gemini = GeminiClient.builder("gemini-flash", "gemini-2.5-flash")
 *     .apiKey(Secret.env("GEMINI_API_KEY"))
 *     .build();
 * }</pre>
 *
 * <p>The key travels in the {@code x-goog-api-key} header, never as the {@code ?key=} query parameter Google also
 * accepts (URLs end up in proxy and access logs); the mesh's HTTP client refuses any URL carrying a key parameter.
 *
 * <p>Protocol facts, all handled: SSE lines end with CRLF; every chunk repeats {@code usageMetadata} and the last one
 * counts; function calls carry no id and may arrive whole in one chunk; {@code thoughtSignature}s are kept for the next
 * turn. Usage is normalised into {@link dev.llmmesh.providers.ProviderTokenUsage}: output = {@code candidatesTokenCount}
 * + {@code thoughtsTokenCount}, with the thoughts as reasoning tokens (Gemini's {@code totalTokenCount} includes them).
 *
 * <p>Errors: {@code {"error":{"code","status","details"}}}; an invalid key is a <em>400</em> {@code INVALID_ARGUMENT}
 * with {@code ErrorInfo.reason = API_KEY_INVALID}, classified as {@link dev.llmmesh.ErrorKind#AUTHENTICATION};
 * 429 {@code RESOURCE_EXHAUSTED} is rate limited, with the hint from {@code RetryInfo.retryDelay} (e.g. {@code 34.4s})
 * when there is no {@code Retry-After}.
 *
 * <p>Thread-safe; owns a daemon thread pool for HTTP I/O, released by {@link #close()}.
 */
public final class GeminiClient extends ForwardingLlmClient {
    /** Where requests go when no base URL is configured. */
    public static final URI DEFAULT_BASE_URL = URI.create("https://generativelanguage.googleapis.com/v1beta");

    private final ProviderChatClient delegate;

    private GeminiClient(ProviderClientBuilder.Settings s) {
        this.delegate = LangChain4jChatClient.create("GeminiClient", s, WireProtocol.GEMINI, UsageAccounting.GEMINI, executor -> models(s, executor), null);
    }

    private static ChatModels models(ProviderClientBuilder.Settings s, ExecutorService executor) {
        URI baseUrl = s.baseUrl();
        Duration timeout = s.timeout();
        String model = s.descriptor().modelName();
        if (model.startsWith("models/")) {
            model = model.substring("models/".length());
        }
        return new ChatModels(
                GoogleAiGeminiChatModel.builder()
                        .httpClientBuilder(MeshHttpClient.builder(baseUrl, s.apiKey(), AuthHeader.GOOGLE,
                                executor))
                        .baseUrl(baseUrl.toString())
                        .apiKey(ChatModels.PLACEHOLDER_KEY)
                        .modelName(model)
                        .timeout(timeout)
                        .maxRetries(0)
                        .returnThinking(true)
                        .sendThinking(true)
                        .logRequests(s.logRequests())
                        .logResponses(s.logResponses())
                        .build(),
                GoogleAiGeminiStreamingChatModel.builder()
                        .httpClientBuilder(MeshHttpClient.builder(baseUrl, s.apiKey(), AuthHeader.GOOGLE,
                                executor))
                        .baseUrl(baseUrl.toString())
                        .apiKey(ChatModels.PLACEHOLDER_KEY)
                        .modelName(model)
                        .timeout(timeout)
                        .returnThinking(true)
                        .sendThinking(true)
                        .logRequests(s.logRequests())
                        .logResponses(s.logResponses())
                        .build());
    }

    /** A builder for a client presenting {@code descriptor}; without a price in it, the built-in table's applies. */
    public static Builder builder(ModelDescriptor descriptor) {
        return new Builder(ModelDefaults.withTablePricing(Objects.requireNonNull(descriptor, "descriptor")));
    }

    /**
     * A builder for deployment {@code id} of Gemini model {@code modelName} (provider {@code gemini}), with the
     * built-in table's facts when it lists the model.
     *
     * @throws IllegalArgumentException if {@code id} or {@code modelName} is blank
     */
    public static Builder builder(String id, String modelName) {
        return new Builder(ModelDefaults.forModel(id, "gemini", modelName,
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
     * Builds a {@link GeminiClient}; see {@link ProviderClientBuilder} for the settings. Default base URL
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

        public GeminiClient build() {
            dev.llmmesh.providers.internal.Sdk.require("gemini", "dev.langchain4j.model.googleai.GoogleAiGeminiChatModel", "langchain4j-google-ai-gemini");
            return new GeminiClient(settings());
        }
    }
}
