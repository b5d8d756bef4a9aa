package dev.llmmesh.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One model's health at one moment.
 *
 * @param modelId       the model
 * @param samples       outcomes in the window (by count and age; 0 before the first call)
 * @param successRate   share of successes in the window; 1.0 with no samples
 * @param latencyEwma   exponentially weighted moving average of successful latencies; empty with no samples
 * @param latencyP95    95th percentile of successful latencies in the window; empty with no samples
 * @param timeToFirstChunk EWMA of the time to the first streamed chunk; empty before the first stream
 * @param inFlight      calls currently running on the model
 * @param cooldownUntil the model is not routed to before this instant (set from Retry-After); empty when not cooling
 * @param lastFailureAt when the model last failed
 * @param breaker       its circuit breaker's state
 */
public record HealthSnapshot(String modelId, int samples, double successRate, Optional<Duration> latencyEwma,
                             Optional<Duration> latencyP95, Optional<Duration> timeToFirstChunk, int inFlight,
                             Optional<Instant> cooldownUntil, Optional<Instant> lastFailureAt, BreakerState breaker) {

    /** A circuit breaker's state as the router sees it. */
    public enum BreakerState { CLOSED, OPEN, HALF_OPEN, DISABLED }

    public HealthSnapshot {
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(latencyEwma, "latencyEwma");
        Objects.requireNonNull(latencyP95, "latencyP95");
        Objects.requireNonNull(timeToFirstChunk, "timeToFirstChunk");
        Objects.requireNonNull(cooldownUntil, "cooldownUntil");
        Objects.requireNonNull(lastFailureAt, "lastFailureAt");
        Objects.requireNonNull(breaker, "breaker");
    }

    /** Whether the model is cooling down at {@code now}. */
    public boolean coolingDownAt(Instant now) {
        return cooldownUntil.map(now::isBefore).orElse(false);
    }

    /** A copy with another breaker state. */
    public HealthSnapshot withBreaker(BreakerState state) {
        return new HealthSnapshot(modelId, samples, successRate, latencyEwma, latencyP95, timeToFirstChunk, inFlight,
                cooldownUntil, lastFailureAt, state);
    }
}
