package dev.llmmesh.routing;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Opt-in hedging for non-streaming calls: if the primary has not answered after {@code delay} (or, when
 * {@code delay} is empty, after the primary's observed p95 latency), the next candidate is started too; the first
 * success wins and the other is cancelled. Both are billed; the hedge counts against the retry budget.
 *
 * @param delay    a fixed delay; empty means the primary's p95 latency (falling back to {@code minDelay} before
 *                 there is data)
 * @param minDelay the smallest delay ever used
 */
public record HedgeConfig(Optional<Duration> delay, Duration minDelay) {
    public HedgeConfig {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(minDelay, "minDelay");
        if (minDelay.isNegative()) {
            throw new IllegalArgumentException("routing.hedging.minDelay must be >= 0");
        }
        delay.ifPresent(d -> {
            if (d.isNegative()) {
                throw new IllegalArgumentException("routing.hedging.delay must be >= 0");
            }
        });
    }

    /** Hedge after a fixed delay. */
    public static HedgeConfig after(Duration delay) {
        return new HedgeConfig(Optional.of(delay), delay);
    }

    /** Hedge after the primary's p95 latency, never sooner than {@code minDelay}. */
    public static HedgeConfig atP95(Duration minDelay) {
        return new HedgeConfig(Optional.empty(), minDelay);
    }
}
