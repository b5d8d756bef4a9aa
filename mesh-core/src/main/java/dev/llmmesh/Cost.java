package dev.llmmesh;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * The cost of a call in US dollars, computed from token usage and the model's price table.
 * {@link #known()} is {@code false} when the model has no price: such a cost is never silently zero.
 *
 * @param usd   the amount in USD; {@link BigDecimal#ZERO} when unknown
 * @param known whether the amount was computed from a price table
 */
public record Cost(BigDecimal usd, boolean known) {
    /** No cost incurred (nothing was called). */
    public static final Cost ZERO = new Cost(BigDecimal.ZERO, true);
    /** The model has no price: the cost is unknown, not zero. */
    public static final Cost UNKNOWN = new Cost(BigDecimal.ZERO, false);

    public Cost {
        Objects.requireNonNull(usd, "usd");
        if (usd.signum() < 0) {
            throw new IllegalArgumentException("cost must not be negative, got " + usd);
        }
    }

    public static Cost usd(BigDecimal amount) {
        return new Cost(amount, true);
    }

    /** Sum of two costs; unknown if either is. */
    public Cost plus(Cost other) {
        return new Cost(usd.add(other.usd), known && other.known);
    }

    @Override
    public String toString() {
        return known ? "$" + usd.setScale(6, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString() : "unknown";
    }
}
