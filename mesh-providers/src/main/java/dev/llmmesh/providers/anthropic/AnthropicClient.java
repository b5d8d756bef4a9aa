package dev.llmmesh.providers.anthropic;

import dev.llmmesh.providers.ForwardingLlmClient;
import dev.llmmesh.providers.internal.ProviderChatClient;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.llmmesh.client.Capability;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.providers.ProviderClientBuilder;
import dev.llmmesh.providers.internal.AuthHeader;
import dev.llmmesh.providers.internal.ChatModels;
import dev.llmmesh.providers.internal.MeshHttpClient;
import dev.llmmesh.providers.internal.ModelDefaults;
import dev.llmmesh.providers.internal.LangChain4jChatClient;
import dev.llmmesh.providers.internal.UsageAccounting;
import dev.llmmesh.providers.internal.WireProtocol;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * An {@link LlmClient} for Anthropic's Messages API ({@code POST /v1/messages}), built on langchain4j's
 * {@code AnthropicChatModel} and {@code AnthropicStreamingChatModel}.
 *
 * <pre>{@code
 * AnthropicClient claude = AnthropicClient.builder("claude-sonnet", "claude-sonnet-4-5")
 *     .apiKey(Secret.env("ANTHROPIC_API_KEY"))
 *     .build();
 * }</pre>
 *
 * <p>Protocol facts, all handled: the key goes in {@code x-api-key} with {@code anthropic-version: 2023-06-01};
 * {@code max_tokens} is required (default {@link #DEFAULT_MAX_TOKENS}, capped at the model's maximum output, unless the
 * request sets one); streams are {@code event:}/{@code data:} pairs without {@code [DONE]}, with {@code ping} events
 * and whitespace-padded JSON; tool inputs are JSON objects, streamed as {@code input_json_delta} fragments; a tool with
 * no arguments yields {@code {}}; thinking blocks (and their signatures) are kept in {@code AiMessage.thinking()}.
 * Usage is normalised into {@link dev.llmmesh.providers.ProviderTokenUsage}: input = {@code input_tokens} +
 * {@code cache_creation_input_tokens} + {@code cache_read_input_tokens}, with cache reads as cached input.
 *
 * <p>Errors: the body {@code {"type":"error","error":{"type","message"}}} is read for its type; 529
 * {@code overloaded_error} is {@link dev.llmmesh.ErrorKind#OVERLOADED}; {@code billing_error} and "credit balance"
 * answers are {@link dev.llmmesh.ErrorKind#QUOTA_EXHAUSTED}; {@code event: error} inside a 200 stream (e.g.
 * {@code overloaded_error} after {@code message_start}) fails the stream, classified by its type, never a clean end;
 * {@code retry-after} counts only on retryable answers (Anthropic also sends it on successes).
 *
 * <p>Thread-safe; owns a daemon thread pool for HTTP I/O, released by {@link #close()}.
 */
public final class AnthropicClient extends ForwardingLlmClient {
    /** Where requests go when no base URL is configured. */
    public static final URI DEFAULT_BASE_URL = URI.create("https://api.anthropic.com/v1");
    /** The {@code anthropic-version} header. */
    public static final String API_VERSION = "2023-06-01";
    /** {@code max_tokens} when the request sets none (the API requires one). */
    public static final int DEFAULT_MAX_TOKENS = 4096;

    private final int maxTokens;

    private final ProviderChatClient delegate;

    private AnthropicClient(ProviderClientBuilder.Settings s, int maxTokens, @Nullable Integer thinkingBudget) {
        this.delegate = LangChain4jChatClient.create("AnthropicClient", s, WireProtocol.ANTHROPIC, UsageAccounting.ANTHROPIC,
                executor -> models(s, executor, cappedMaxTokens(s, maxTokens), thinkingBudget), null);
        this.maxTokens = cappedMaxTokens(s, maxTokens);
    }

    private static int cappedMaxTokens(ProviderClientBuilder.Settings s, int maxTokens) {
        return Math.min(maxTokens, s.descriptor().maxOutputTokens());
    }

    private static ChatModels models(ProviderClientBuilder.Settings s, ExecutorService executor, int maxTokens,
                                     @Nullable Integer thinkingBudget) {
        URI baseUrl = s.baseUrl();
        Duration timeout = s.timeout();
        String model = s.descriptor().modelName();
        AnthropicChatModel.AnthropicChatModelBuilder chat = AnthropicChatModel.builder()
                .httpClientBuilder(MeshHttpClient.builder(baseUrl, s.apiKey(), AuthHeader.X_API_KEY,
                        executor))
                .baseUrl(baseUrl.toString())
                .apiKey(ChatModels.PLACEHOLDER_KEY)
                .version(API_VERSION)
                .modelName(model)
                .maxTokens(maxTokens)
                .timeout(timeout)
                .maxRetries(0)
                .returnThinking(true)
                .sendThinking(true)
                .logRequests(s.logRequests())
                .logResponses(s.logResponses());
        AnthropicStreamingChatModel.AnthropicStreamingChatModelBuilder streaming = AnthropicStreamingChatModel.builder()
                .httpClientBuilder(MeshHttpClient.builder(baseUrl, s.apiKey(), AuthHeader.X_API_KEY,
                        executor))
                .baseUrl(baseUrl.toString())
                .apiKey(ChatModels.PLACEHOLDER_KEY)
                .version(API_VERSION)
                .modelName(model)
                .maxTokens(maxTokens)
                .timeout(timeout)
                .returnThinking(true)
                .sendThinking(true)
                .logRequests(s.logRequests())
                .logResponses(s.logResponses());
        if (thinkingBudget != null) {
            chat.thinkingType("enabled").thinkingBudgetTokens(thinkingBudget);
            streaming.thinkingType("enabled").thinkingBudgetTokens(thinkingBudget);
        }
        return new ChatModels(chat.build(), streaming.build());
    }

    /** A builder for a client presenting {@code descriptor}; without a price in it, the built-in table's applies. */
    public static Builder builder(ModelDescriptor descriptor) {
        return new Builder(ModelDefaults.withTablePricing(Objects.requireNonNull(descriptor, "descriptor")));
    }

    /**
     * A builder for deployment {@code id} of Claude model {@code modelName} (provider {@code anthropic}), with the
     * built-in table's facts when it lists the model.
     *
     * @throws IllegalArgumentException if {@code id} or {@code modelName} is blank
     */
    public static Builder builder(String id, String modelName) {
        return new Builder(ModelDefaults.forModel(id, "anthropic", modelName,
                EnumSet.of(Capability.CHAT, Capability.STREAMING, Capability.TOOLS, Capability.PARALLEL_TOOLS)));
    }

    public URI baseUrl() {
        return delegate.configuredBaseUrl();
    }

    /** {@code max_tokens} for requests that set none. */
    public int defaultMaxTokens() {
        return maxTokens;
    }

    @Override
    protected LlmClient delegate() {
        return delegate;
    }

    /**
     * Builds an {@link AnthropicClient}; see {@link ProviderClientBuilder} for the shared settings. Default base URL
     * {@link #DEFAULT_BASE_URL}, {@code max_tokens} {@link #DEFAULT_MAX_TOKENS}, extended thinking off. Not
     * thread-safe.
     */
    public static final class Builder extends ProviderClientBuilder<Builder> {
        private int maxTokens = DEFAULT_MAX_TOKENS;
        private @Nullable Integer thinkingBudget;

        private Builder(ModelDescriptor descriptor) {
            super(descriptor, DEFAULT_BASE_URL);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * {@code max_tokens} for requests that set none; capped at the model's maximum output.
         *
         * @throws IllegalArgumentException if {@code tokens < 1}
         */
        public Builder defaultMaxTokens(int tokens) {
            if (tokens < 1) {
                throw new IllegalArgumentException("defaultMaxTokens must be >= 1, got " + tokens);
            }
            this.maxTokens = tokens;
            return this;
        }

        /**
         * Turns extended thinking on with this token budget (which counts toward {@code max_tokens}).
         *
         * @throws IllegalArgumentException if {@code tokens < 1024} (the API's minimum)
         */
        public Builder thinkingBudget(int tokens) {
            if (tokens < 1024) {
                throw new IllegalArgumentException("thinkingBudget must be >= 1024 tokens, got " + tokens);
            }
            this.thinkingBudget = tokens;
            return this;
        }

        public AnthropicClient build() {
            dev.llmmesh.providers.internal.Sdk.require("anthropic", "dev.langchain4j.model.anthropic.AnthropicChatModel", "langchain4j-anthropic");
            return new AnthropicClient(settings(), maxTokens, thinkingBudget);
        }
    }
}
