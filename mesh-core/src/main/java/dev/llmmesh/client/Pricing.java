package dev.llmmesh.client;

import dev.llmmesh.Cost;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A model's price in US dollars per million tokens.
 *
 * @param inputPerMillion       price of uncached input tokens
 * @param outputPerMillion      price of output tokens
 * @param cachedInputPerMillion price of input tokens read from the provider's prompt cache; empty means the input
 *                              price applies
 * @param reasoningPerMillion   price of reasoning tokens when it differs from the output price; empty means the
 *                              output price applies
 * @param cacheWritePerMillion  price of input tokens written to the prompt cache (Anthropic charges 1.25× input);
 *                              empty means the input price applies
 */
public record Pricing(BigDecimal inputPerMillion, BigDecimal outputPerMillion,
                      Optional<BigDecimal> cachedInputPerMillion, Optional<BigDecimal> reasoningPerMillion,
                      Optional<BigDecimal> cacheWritePerMillion) {
    public Pricing {
        requireNonNegative(inputPerMillion, "inputPerMillion");
        requireNonNegative(outputPerMillion, "outputPerMillion");
        Objects.requireNonNull(cachedInputPerMillion, "cachedInputPerMillion").ifPresent(p -> requireNonNegative(p, "cachedInputPerMillion"));
        Objects.requireNonNull(reasoningPerMillion, "reasoningPerMillion").ifPresent(p -> requireNonNegative(p, "reasoningPerMillion"));
        Objects.requireNonNull(cacheWritePerMillion, "cacheWritePerMillion").ifPresent(p -> requireNonNegative(p, "cacheWritePerMillion"));
    }

    /** Prices without a separate cache-write price. */
    public Pricing(BigDecimal inputPerMillion, BigDecimal outputPerMillion, Optional<BigDecimal> cachedInputPerMillion,
                   Optional<BigDecimal> reasoningPerMillion) {
        this(inputPerMillion, outputPerMillion, cachedInputPerMillion, reasoningPerMillion, Optional.empty());
    }

    /** Input and output price per million tokens. */
    public static Pricing perMillion(double input, double output) {
        return new Pricing(BigDecimal.valueOf(input), BigDecimal.valueOf(output), Optional.empty(), Optional.empty());
    }

    /** Input, output and cached-input price per million tokens. */
    public static Pricing perMillion(double input, double output, double cachedInput) {
        return new Pricing(BigDecimal.valueOf(input), BigDecimal.valueOf(output),
                Optional.of(BigDecimal.valueOf(cachedInput)), Optional.empty());
    }

    /** A copy with a reasoning-token price. */
    public Pricing withReasoning(double perMillion) {
        return new Pricing(inputPerMillion, outputPerMillion, cachedInputPerMillion,
                Optional.of(BigDecimal.valueOf(perMillion)), cacheWritePerMillion);
    }

    /** A copy with a cache-write price. */
    public Pricing withCacheWrite(double perMillion) {
        return new Pricing(inputPerMillion, outputPerMillion, cachedInputPerMillion, reasoningPerMillion,
                Optional.of(BigDecimal.valueOf(perMillion)));
    }

    /**
     * The cost of a call. {@code cachedInputTokens} are part of {@code inputTokens} (as OpenAI reports them) and
     * are charged at the cached price; {@code reasoningTokens} are part of {@code outputTokens} and charged at the
     * reasoning price.
     */
    public Cost cost(long inputTokens, long outputTokens, long cachedInputTokens, long reasoningTokens) {
        return cost(inputTokens, outputTokens, cachedInputTokens, reasoningTokens, 0);
    }

    /**
     * As {@link #cost(long, long, long, long)}, with {@code cacheWriteTokens} (part of {@code inputTokens}) charged at
     * the cache-write price.
     */
    public Cost cost(long inputTokens, long outputTokens, long cachedInputTokens, long reasoningTokens,
                     long cacheWriteTokens) {
        long in = Math.max(0, inputTokens);
        long cached = Math.min(Math.max(0, cachedInputTokens), in);
        long written = Math.min(Math.max(0, cacheWriteTokens), in - cached);
        long reasoning = Math.min(Math.max(0, reasoningTokens), Math.max(0, outputTokens));
        BigDecimal micro = inputPerMillion.multiply(BigDecimal.valueOf(in - cached - written))
                .add(cachedInputPerMillion.orElse(inputPerMillion).multiply(BigDecimal.valueOf(cached)))
                .add(cacheWritePerMillion.orElse(inputPerMillion).multiply(BigDecimal.valueOf(written)))
                .add(outputPerMillion.multiply(BigDecimal.valueOf(Math.max(0, outputTokens) - reasoning)))
                .add(reasoningPerMillion.orElse(outputPerMillion).multiply(BigDecimal.valueOf(reasoning)));
        return Cost.usd(micro.movePointLeft(6));
    }

    /**
     * Picodollars (1e-12 USD) per input and output token, when both prices are exact at that scale (prices per
     * million tokens with at most 6 decimals, which covers every published price); empty otherwise. The router uses
     * these to estimate costs in integer arithmetic.
     */
    public java.util.Optional<long[]> picoRates() {
        try {
            return java.util.Optional.of(new long[] {inputPerMillion.movePointRight(6).longValueExact(),
                worstOutputPerMillion().movePointRight(6).longValueExact(), outputPerMillion.movePointRight(6).longValueExact()});
        } catch (ArithmeticException e) {
            return java.util.Optional.empty();
        }
    }

    /** The cost of a call from langchain4j usage, reading cached and reasoning counts where the provider gave them. */
    public Cost cost(dev.langchain4j.model.output.@Nullable TokenUsage usage) {
        if (usage == null) {
            return Cost.ZERO;
        }
        TokenCounts t = TokenCounts.of(usage);
        return cost(t.input(), t.output(), t.cachedInput(), t.reasoning(), t.cacheWrite());
    }

    /** The larger of the output and reasoning prices: what a worst-case reservation must assume per output token. */
    public BigDecimal worstOutputPerMillion() {
        return reasoningPerMillion.filter(r -> r.compareTo(outputPerMillion) > 0).orElse(outputPerMillion);
    }

    private static void requireNonNegative(@Nullable BigDecimal v, String name) {
        Objects.requireNonNull(v, name);
        if (v.signum() < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + v);
        }
    }
}
