package dev.llmmesh.providers;

import dev.langchain4j.model.output.TokenUsage;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Token usage normalised across providers, so that the mesh prices every call the same way: {@link #inputTokenCount()}
 * counts <em>all</em> input tokens (cache reads and cache writes included, as OpenAI counts them), and
 * {@link #outputTokenCount()} counts <em>all</em> output tokens (reasoning included). The details say how many of them
 * were read from the prompt cache, written to it, or spent on reasoning. Core's {@code TokenCounts} reads the details
 * through {@link #inputTokensDetails()} and {@link #outputTokensDetails()}, as it reads OpenAI's usage.
 *
 * <p>How each provider's counts map here:
 * <ul>
 *   <li>Anthropic (which keeps langchain4j's {@code AnthropicTokenUsage} type, because langchain4j's Anthropic
 *       metadata accepts no other, normalised the same way): input = {@code input_tokens +
 *       cache_creation_input_tokens + cache_read_input_tokens}; cached = {@code cache_read_input_tokens}; thinking is
 *       part of {@code output_tokens} and not reported apart;</li>
 *   <li>Gemini: input = {@code promptTokenCount} (cached content included); output = {@code candidatesTokenCount +
 *       thoughtsTokenCount}; reasoning = {@code thoughtsTokenCount}; cached = {@code cachedContentTokenCount};</li>
 *   <li>Mistral: OpenAI's fields, with cached = {@code num_cached_tokens} (or {@code prompt_tokens_details.cached_tokens});</li>
 *   <li>Ollama: input = {@code prompt_eval_count}, output = {@code eval_count} (either may be absent: then 0);</li>
 *   <li>OpenAI and Azure keep langchain4j's {@code OpenAiTokenUsage}, which already counts this way.</li>
 * </ul>
 * Immutable and thread-safe.
 */
public final class ProviderTokenUsage extends TokenUsage {
    private final InputTokensDetails inputDetails;
    private final OutputTokensDetails outputDetails;

    /**
     * @param input      all input tokens
     * @param output     all output tokens
     * @param cached     input tokens read from the prompt cache (part of {@code input})
     * @param cacheWrite input tokens written to the prompt cache (part of {@code input})
     * @param reasoning  output tokens spent on reasoning (part of {@code output})
     * @throws IllegalArgumentException if a count is negative or a part exceeds its whole
     */
    public ProviderTokenUsage(int input, int output, int cached, int cacheWrite, int reasoning) {
        super(input, output, input + output);
        if (input < 0 || output < 0 || cached < 0 || cacheWrite < 0 || reasoning < 0) {
            throw new IllegalArgumentException("token counts must be >= 0, got input=" + input + ", output=" + output
                    + ", cached=" + cached + ", cacheWrite=" + cacheWrite + ", reasoning=" + reasoning);
        }
        if (cached + cacheWrite > input || reasoning > output) {
            throw new IllegalArgumentException("token details exceed their totals: input=" + input + " (cached="
                    + cached + ", cacheWrite=" + cacheWrite + "), output=" + output + " (reasoning=" + reasoning + ")");
        }
        this.inputDetails = new InputTokensDetails(cached, cacheWrite);
        this.outputDetails = new OutputTokensDetails(reasoning);
    }

    /** How the input tokens split: cache reads and cache writes. */
    public InputTokensDetails inputTokensDetails() {
        return inputDetails;
    }

    /** How the output tokens split: reasoning. */
    public OutputTokensDetails outputTokensDetails() {
        return outputDetails;
    }

    /** Input tokens read from the prompt cache; Anthropic's name for it. */
    public Integer cacheReadInputTokens() {
        return inputDetails.cachedTokens();
    }

    /** Input tokens written to the prompt cache; Anthropic's name for it. */
    public Integer cacheCreationInputTokens() {
        return inputDetails.cacheWriteTokens();
    }

    /** The sum of both usages; details add up too. A plain {@link TokenUsage} contributes no details. */
    @Override
    public TokenUsage add(@Nullable TokenUsage that) {
        if (that == null) {
            return this;
        }
        int in = inputTokenCount() + orZero(that.inputTokenCount());
        int out = outputTokenCount() + orZero(that.outputTokenCount());
        if (that instanceof ProviderTokenUsage p) {
            return new ProviderTokenUsage(in, out, inputDetails.cachedTokens() + p.inputDetails.cachedTokens(),
                    inputDetails.cacheWriteTokens() + p.inputDetails.cacheWriteTokens(),
                    outputDetails.reasoningTokens() + p.outputDetails.reasoningTokens());
        }
        return new ProviderTokenUsage(in, out, inputDetails.cachedTokens(), inputDetails.cacheWriteTokens(),
                outputDetails.reasoningTokens());
    }

    private static int orZero(@Nullable Integer n) {
        return n == null ? 0 : n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProviderTokenUsage p && super.equals(o) && inputDetails.equals(p.inputDetails)
                && outputDetails.equals(p.outputDetails);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), inputDetails, outputDetails);
    }

    @Override
    public String toString() {
        return "ProviderTokenUsage[input=" + inputTokenCount() + " (cached=" + inputDetails.cachedTokens()
                + ", cacheWrite=" + inputDetails.cacheWriteTokens() + "), output=" + outputTokenCount()
                + " (reasoning=" + outputDetails.reasoningTokens() + ")]";
    }

    /**
     * The split of the input tokens.
     *
     * @param cachedTokens     read from the prompt cache
     * @param cacheWriteTokens written to the prompt cache
     */
    public record InputTokensDetails(Integer cachedTokens, Integer cacheWriteTokens) {
        public InputTokensDetails {
            Objects.requireNonNull(cachedTokens, "cachedTokens");
            Objects.requireNonNull(cacheWriteTokens, "cacheWriteTokens");
        }
    }

    /**
     * The split of the output tokens.
     *
     * @param reasoningTokens spent on reasoning (hidden or summarised thinking)
     */
    public record OutputTokensDetails(Integer reasoningTokens) {
        public OutputTokensDetails {
            Objects.requireNonNull(reasoningTokens, "reasoningTokens");
        }
    }
}
