package dev.llmmesh.routing;

import java.time.Duration;
import java.util.Objects;

/**
 * The per-model circuit breaker (a resilience4j {@code CircuitBreaker} on the mesh clock). Every threshold is explicit.
 * Defaults: count window 20, at least 10 calls, open at 50% failures or 50% slow calls (slower than 10 s), stay open
 * 30 s then allow 3 half-open probes; repeated openings wait 30 s × k (k = consecutive openings).
 *
 * @param windowSize           outcomes in the count-based sliding window
 * @param minimumCalls         outcomes needed before the rates are evaluated
 * @param failureRatePercent   failure rate that opens the breaker
 * @param slowCallRatePercent  slow-call rate that opens the breaker
 * @param slowCallThreshold    a call slower than this counts as slow
 * @param waitInOpen           the first open period; the k-th consecutive opening waits k times this
 * @param halfOpenProbes       calls permitted in half-open; all must succeed to close
 * @param maxWaitInHalfOpen    after this long in half-open without verdict the breaker re-opens (abandoned probes
 *                             cannot wedge it); zero waits forever
 */
public record BreakerConfig(int windowSize, int minimumCalls, float failureRatePercent, float slowCallRatePercent,
                            Duration slowCallThreshold, Duration waitInOpen, int halfOpenProbes,
                            Duration maxWaitInHalfOpen) {
    public static final BreakerConfig DEFAULT = new BreakerConfig(20, 10, 50f, 50f, Duration.ofSeconds(10),
            Duration.ofSeconds(30), 3, Duration.ofSeconds(60));

    /**
     * @throws IllegalArgumentException naming the setting when a value is out of range
     */
    public BreakerConfig {
        if (windowSize < 1) {
            throw new IllegalArgumentException("routing.breaker.windowSize must be >= 1, got " + windowSize);
        }
        if (minimumCalls < 1) {
            throw new IllegalArgumentException("routing.breaker.minimumCalls must be >= 1, got " + minimumCalls);
        }
        if (!(failureRatePercent > 0 && failureRatePercent <= 100)) {
            throw new IllegalArgumentException("routing.breaker.failureRatePercent must be in (0, 100], got " + failureRatePercent);
        }
        if (!(slowCallRatePercent > 0 && slowCallRatePercent <= 100)) {
            throw new IllegalArgumentException("routing.breaker.slowCallRatePercent must be in (0, 100], got " + slowCallRatePercent);
        }
        Objects.requireNonNull(slowCallThreshold, "slowCallThreshold");
        Objects.requireNonNull(waitInOpen, "waitInOpen");
        Objects.requireNonNull(maxWaitInHalfOpen, "maxWaitInHalfOpen");
        if (slowCallThreshold.isNegative() || slowCallThreshold.isZero()) {
            throw new IllegalArgumentException("routing.breaker.slowCallThreshold must be positive");
        }
        if (waitInOpen.isNegative() || waitInOpen.isZero()) {
            throw new IllegalArgumentException("routing.breaker.waitInOpen must be positive");
        }
        if (halfOpenProbes < 1) {
            throw new IllegalArgumentException("routing.breaker.halfOpenProbes must be >= 1, got " + halfOpenProbes);
        }
        if (maxWaitInHalfOpen.isNegative()) {
            throw new IllegalArgumentException("routing.breaker.maxWaitInHalfOpen must be >= 0");
        }
    }
}
