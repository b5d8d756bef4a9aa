package dev.llmmesh.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One model's health at one moment.
 *
 * @param modelId       the model
 * @param samples       outcomes in the window (0 before the first call)
 * @param successRate   share of successes in the window; 1.0 with no samples
 * @param latencyEwma   exponentially weighted moving average of successful latencies; empty with no samples
 * @param inFlight      calls currently running on the model
 * @param cooldownUntil the model is not routed to before this instant (set from Retry-After); empty when not cooling
 */
public record HealthSnapshot(String modelId, int samples, double successRate, Optional<Duration> latencyEwma,
                             int inFlight, Optional<Instant> cooldownUntil) {
    public HealthSnapshot {
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(latencyEwma, "latencyEwma");
        Objects.requireNonNull(cooldownUntil, "cooldownUntil");
    }

    /** Whether the model is cooling down at {@code now}. */
    public boolean coolingDownAt(Instant now) {
        return cooldownUntil.map(now::isBefore).orElse(false);
    }
}
