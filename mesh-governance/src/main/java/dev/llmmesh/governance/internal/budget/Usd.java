package dev.llmmesh.governance.internal.budget;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Dollars as whole nano-dollars (10<sup>-9</sup> USD) in {@code long} counters, which is what the state store holds:
 * exact for every price table in use (prices per million tokens with up to three decimals) and good up to about
 * nine billion dollars.
 */
public final class Usd {
    private static final BigDecimal NANOS_PER_USD = BigDecimal.valueOf(1_000_000_000L);
    private static final BigDecimal MAX_USD = BigDecimal.valueOf(Long.MAX_VALUE / 4).divide(NANOS_PER_USD);

    private Usd() {
    }

    /** Rounds up: what a reservation must hold. */
    public static long nanosCeil(BigDecimal usd) {
        return toNanos(usd, RoundingMode.CEILING);
    }

    /** Rounds half up: what a settlement records. */
    public static long nanos(BigDecimal usd) {
        return toNanos(usd, RoundingMode.HALF_UP);
    }

    /** Rounds down: what a limit allows. */
    public static long nanosFloor(BigDecimal usd) {
        return toNanos(usd, RoundingMode.FLOOR);
    }

    private static long toNanos(BigDecimal usd, RoundingMode mode) {
        BigDecimal capped = usd.compareTo(MAX_USD) > 0 ? MAX_USD : usd;
        return capped.multiply(NANOS_PER_USD).setScale(0, mode).longValueExact();
    }

    /** The dollars of {@code nanos}, exactly. */
    public static BigDecimal fromNanos(long nanos) {
        return BigDecimal.valueOf(nanos, 9).stripTrailingZeros();
    }

    /** {@code $0.95}, {@code $0.0125}: at least two decimals, at most nine, no trailing zeros beyond two. */
    public static String format(BigDecimal usd) {
        BigDecimal s = usd.stripTrailingZeros();
        if (s.scale() < 2) {
            s = s.setScale(2, RoundingMode.UNNECESSARY);
        } else if (s.scale() > 9) {
            s = s.setScale(9, RoundingMode.HALF_UP);
        }
        return (s.signum() < 0 ? "-$" + s.negate().toPlainString() : "$" + s.toPlainString());
    }

    /** As {@link #format(BigDecimal)}, for nano-dollars. */
    public static String formatNanos(long nanos) {
        return format(fromNanos(nanos));
    }
}
