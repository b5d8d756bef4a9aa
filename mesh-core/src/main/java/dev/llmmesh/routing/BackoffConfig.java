package dev.llmmesh.routing;

import java.time.Duration;
import java.util.Objects;

/**
 * Full-jitter exponential backoff between attempts on models that already failed in this call: the n-th retry (from
 * 0) waits a uniformly random time in {@code [0, min(cap, base * multiplier^n))}. A fallback to a model not yet
 * tried in the call does not wait. Backoff never runs past the call's deadline.
 *
 * @param base       the first interval's upper bound
 * @param multiplier growth per retry, at least 1
 * @param cap        the largest upper bound
 */
public record BackoffConfig(Duration base, double multiplier, Duration cap) {
    /** Base 100 ms, times 2, capped at 2 s. */
    public static final BackoffConfig DEFAULT = new BackoffConfig(Duration.ofMillis(100), 2.0, Duration.ofSeconds(2));

    /**
     * @throws IllegalArgumentException if base or cap is negative, cap &lt; base, or multiplier &lt; 1
     */
    public BackoffConfig {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(cap, "cap");
        if (base.isNegative() || cap.isNegative()) {
            throw new IllegalArgumentException("routing.backoff.base and cap must be >= 0");
        }
        if (cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("routing.backoff.cap (" + cap + ") must be >= base (" + base + ")");
        }
        if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("routing.backoff.multiplier must be a finite number >= 1, got " + multiplier);
        }
    }

    /** The exclusive upper bound of the n-th retry's delay, from 0. */
    public Duration bound(int retry) {
        double nanos = base.toNanos() * Math.pow(multiplier, Math.max(0, retry));
        return nanos >= cap.toNanos() ? cap : Duration.ofNanos((long) nanos);
    }

    /** The delay of the n-th retry for a uniform random {@code u} in [0, 1). */
    public Duration delay(int retry, double u) {
        return Duration.ofNanos((long) (bound(retry).toNanos() * u));
    }
}
