package dev.llmmesh.internal;

import dev.llmmesh.MeshException;
import dev.llmmesh.routing.HealthSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** One model's sliding window of outcomes, latency EWMA, in-flight count and cooldown. Thread-safe. */
final class ModelHealth {
    private final String modelId;
    private final boolean[] window;
    private final double alpha;
    private final AtomicInteger inFlight = new AtomicInteger();
    private int next;
    private int count;
    private int failures;
    private double ewmaNanos = Double.NaN;
    private @Nullable Instant cooldownUntil;

    ModelHealth(String modelId, int windowSize, double alpha) {
        this.modelId = modelId;
        this.window = new boolean[windowSize];
        this.alpha = alpha;
    }

    void started() {
        inFlight.incrementAndGet();
    }

    void finished() {
        inFlight.decrementAndGet();
    }

    synchronized void success(long latencyNanos) {
        record(true);
        ewmaNanos = Double.isNaN(ewmaNanos) ? latencyNanos : alpha * latencyNanos + (1 - alpha) * ewmaNanos;
    }

    synchronized void failure(MeshException error, Instant now) {
        record(false);
        Optional<Duration> retryAfter = error.retryAfter();
        if (retryAfter.isPresent() && !retryAfter.get().isNegative()) {
            Instant until = now.plus(retryAfter.get());
            // a second Retry-After during a cooldown extends it to the later of the two, never shortens it
            if (cooldownUntil == null || until.isAfter(cooldownUntil)) {
                cooldownUntil = until;
            }
        }
    }

    private void record(boolean ok) {
        if (count == window.length) {
            if (!window[next]) {
                failures--;
            }
        } else {
            count++;
        }
        window[next] = ok;
        if (!ok) {
            failures++;
        }
        next = (next + 1) % window.length;
    }

    synchronized double successRate() {
        return count == 0 ? 1.0 : (count - failures) / (double) count;
    }

    synchronized @Nullable Instant cooldownUntil() {
        return cooldownUntil;
    }

    synchronized HealthSnapshot snapshot() {
        return new HealthSnapshot(modelId, count, count == 0 ? 1.0 : (count - failures) / (double) count,
                Double.isNaN(ewmaNanos) ? Optional.empty() : Optional.of(Duration.ofNanos((long) ewmaNanos)),
                inFlight.get(), Optional.ofNullable(cooldownUntil));
    }
}
