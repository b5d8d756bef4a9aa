package dev.llmmesh.internal;

import dev.llmmesh.MeshException;
import dev.llmmesh.routing.HealthSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * One model's health: a sliding window of outcomes and latencies bounded by count and by age, a latency EWMA, a
 * time-to-first-chunk EWMA for streams, the in-flight count, the cooldown from Retry-After and when it last failed.
 * Thread-safe.
 */
final class ModelHealth {
    private final String modelId;
    private final boolean[] ok;
    private final long[] latencyNanos;
    private final Instant[] at;
    private final double alpha;
    private final Duration maxAge;
    private final AtomicInteger inFlight = new AtomicInteger();
    private int next;
    private int count;
    private double ewmaNanos = Double.NaN;
    private double ttftNanos = Double.NaN;
    private @Nullable Instant cooldownUntil;
    private @Nullable Instant lastFailureAt;

    ModelHealth(String modelId, int windowSize, double alpha, Duration maxAge) {
        this.modelId = modelId;
        this.ok = new boolean[windowSize];
        this.latencyNanos = new long[windowSize];
        this.at = new Instant[windowSize];
        this.alpha = alpha;
        this.maxAge = maxAge;
    }

    String modelId() {
        return modelId;
    }

    void started() {
        inFlight.incrementAndGet();
    }

    void finished() {
        inFlight.decrementAndGet();
    }

    int inFlight() {
        return inFlight.get();
    }

    synchronized void success(long nanos, Instant now) {
        record(true, nanos, now);
        ewmaNanos = Double.isNaN(ewmaNanos) ? nanos : alpha * nanos + (1 - alpha) * ewmaNanos;
    }

    synchronized void firstChunk(long nanos) {
        ttftNanos = Double.isNaN(ttftNanos) ? nanos : alpha * nanos + (1 - alpha) * ttftNanos;
    }

    synchronized void failure(MeshException error, long nanos, Instant now) {
        record(false, nanos, now);
        lastFailureAt = now;
        Optional<Duration> retryAfter = error.retryAfter();
        if (retryAfter.isPresent() && !retryAfter.get().isNegative() && !retryAfter.get().isZero()) {
            Instant until = now.plus(retryAfter.get());
            // a second Retry-After during a cooldown extends it to the later of the two, never shortens it
            if (cooldownUntil == null || until.isAfter(cooldownUntil)) {
                cooldownUntil = until;
            }
        }
    }

    private void record(boolean success, long nanos, Instant now) {
        ok[next] = success;
        latencyNanos[next] = nanos;
        at[next] = now;
        next = (next + 1) % ok.length;
        if (count < ok.length) {
            count++;
        }
    }

    synchronized double successRate() {
        return snapshotAt(null).successRate();
    }

    synchronized @Nullable Instant cooldownUntil() {
        return cooldownUntil;
    }

    synchronized @Nullable Instant lastFailureAt() {
        return lastFailureAt;
    }

    synchronized HealthSnapshot snapshot(Instant now) {
        return snapshotAt(now);
    }

    private HealthSnapshot snapshotAt(@Nullable Instant now) {
        Instant oldest = now == null ? null : now.minus(maxAge);
        int samples = 0;
        int failures = 0;
        long[] lat = new long[count];
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (oldest != null && at[i].isBefore(oldest)) {
                continue;
            }
            samples++;
            if (!ok[i]) {
                failures++;
            } else {
                lat[n++] = latencyNanos[i];
            }
        }
        Optional<Duration> p95 = Optional.empty();
        if (n > 0) {
            long[] sorted = Arrays.copyOf(lat, n);
            Arrays.sort(sorted);
            p95 = Optional.of(Duration.ofNanos(sorted[Math.min(n - 1, (int) Math.ceil(0.95 * n) - 1)]));
        }
        return new HealthSnapshot(modelId, samples, samples == 0 ? 1.0 : (samples - failures) / (double) samples,
                Double.isNaN(ewmaNanos) ? Optional.empty() : Optional.of(Duration.ofNanos((long) ewmaNanos)), p95,
                Double.isNaN(ttftNanos) ? Optional.empty() : Optional.of(Duration.ofNanos((long) ttftNanos)),
                inFlight.get(), Optional.ofNullable(cooldownUntil), Optional.ofNullable(lastFailureAt),
                HealthSnapshot.BreakerState.CLOSED);
    }
}
