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
     * Picodollars (1e-12 USD) per input token and per output token, rounded to the nearest picodollar (exact for every published price, which has at most 6 decimals per million tokens); empty
     * when a price is too large for a long. The router uses these for cost <em>estimates</em> in integer arithmetic;
     * bills use {@link #cost}.
     */
    public java.util.Optional<long[]> picoRates() {
        try {
            return java.util.Optional.of(new long[] {pico(inputPerMillion), pico(outputPerMillion)});
        } catch (ArithmeticException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * Picodollars per token for input, cached input, cache write, output and reasoning, when every price is exact at
     * that scale (at most 6 decimals per million tokens); empty otherwise. {@link #cost(long[], TokenCounts)} bills
     * with them exactly, in integer arithmetic.
     */
    public java.util.Optional<long[]> exactPicoRates() {
        try {
            return java.util.Optional.of(new long[] {exact(inputPerMillion),
                exact(cachedInputPerMillion.orElse(inputPerMillion)), exact(cacheWritePerMillion.orElse(inputPerMillion)),
                exact(outputPerMillion), exact(reasoningPerMillion.orElse(outputPerMillion))});
        } catch (ArithmeticException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * The bill for {@code t} at {@code rates} from {@link #exactPicoRates()}: equal to
     * {@link #cost(long, long, long, long, long)}, without BigDecimal arithmetic.
     *
     * @throws ArithmeticException if the amount overflows a long of picodollars (about 9.2 million USD)
     */
    public static Cost cost(long[] rates, TokenCounts t) {
        long in = Math.max(0, t.input());
        long cached = Math.min(Math.max(0, t.cachedInput()), in);
        long written = Math.min(Math.max(0, t.cacheWrite()), in - cached);
        long out = Math.max(0, t.output());
        long reasoning = Math.min(Math.max(0, t.reasoning()), out);
        long pico = Math.addExact(Math.addExact(Math.multiplyExact(in - cached - written, rates[0]),
                        Math.multiplyExact(cached, rates[1])),
                Math.addExact(Math.multiplyExact(written, rates[2]),
                        Math.addExact(Math.multiplyExact(out - reasoning, rates[3]), Math.multiplyExact(reasoning, rates[4]))));
        return Cost.usd(BigDecimal.valueOf(pico, 12));
    }

    private static long exact(BigDecimal perMillion) {
        return perMillion.movePointRight(6).longValueExact();
    }

    private static long pico(BigDecimal perMillion) {
        return perMillion.movePointRight(6).setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact();
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
