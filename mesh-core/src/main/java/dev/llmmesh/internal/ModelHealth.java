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
 * A model with no outcome for the recovery window starts afresh (window and averages forgotten), so that a model the
 * router stopped choosing after one slow call or one error is tried again. Thread-safe.
 */
final class ModelHealth {
    private final String modelId;
    private final boolean[] ok;
    private final long[] latencyNanos;
    private final Instant[] at;
    private final double alpha;
    private final Duration maxAge;
    private final Duration recoveryWindow;
    private final AtomicInteger inFlight = new AtomicInteger();
    private int next;
    private int count;
    private double ewmaNanos = Double.NaN;
    private double ttftNanos = Double.NaN;
    private @Nullable Instant cooldownUntil;
    private @Nullable Instant lastFailureAt;
    /** Bumped on every change of the window, cooldown or latency; the cached snapshot is valid for one version. */
    private long version;
    private @Nullable HealthSnapshot cached;
    private long cachedVersion = -1;
    private @Nullable Instant cachedValidUntil;

    ModelHealth(String modelId, int windowSize, double alpha, Duration maxAge) {
        this(modelId, windowSize, alpha, maxAge, maxAge);
    }

    ModelHealth(String modelId, int windowSize, double alpha, Duration maxAge, Duration recoveryWindow) {
        this.recoveryWindow = recoveryWindow;
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
        version++;
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
                version++;
            }
        }
    }

    private void record(boolean success, long nanos, Instant now) {
        version++;
        if (stale(now)) {
            forget();
        }
        ok[next] = success;
        latencyNanos[next] = nanos;
        at[next] = now;
        next = (next + 1) % ok.length;
        if (count < ok.length) {
            count++;
        }
    }

    /**
     * True when the newest outcome is older than the recovery window: the router stopped choosing this model, so what
     * it measured then (one slow warm-up call, one 503) says little about it now.
     */
    private boolean stale(Instant now) {
        if (count == 0) {
            return false;
        }
        Instant newest = at[(next - 1 + ok.length) % ok.length];
        return newest.isBefore(now.minus(recoveryWindow));
    }

    /** Drops the window and the latency averages; the cooldown and the last failure stay. */
    private void forget() {
        count = 0;
        next = 0;
        Arrays.fill(at, null);
        ewmaNanos = Double.NaN;
        ttftNanos = Double.NaN;
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

    /**
     * The snapshot at {@code now} with {@code breaker}'s state, rebuilt only when the window, latency or cooldown
     * changed or an outcome aged out since the last one (the router asks once per model per call).
     */
    synchronized HealthSnapshot snapshot(Instant now, HealthSnapshot.BreakerState breaker) {
        HealthSnapshot c = cached;
        int flying = inFlight.get();
        if (c == null || cachedVersion != version || (cachedValidUntil != null && !now.isBefore(cachedValidUntil))) {
            c = snapshotAt(now).withBreaker(breaker);
            cached = c;
            cachedVersion = version;
            Instant oldest = oldestIn(now);
            Instant ages = oldest == null ? null : oldest.plus(maxAge);
            Instant forgets = count == 0 ? null : at[(next - 1 + ok.length) % ok.length].plus(recoveryWindow);
            cachedValidUntil = ages == null ? forgets : forgets == null || ages.isBefore(forgets) ? ages : forgets;
            return c;
        }
        if (c.breaker() != breaker || c.inFlight() != flying) {
            c = new HealthSnapshot(modelId, c.samples(), c.successRate(), c.latencyEwma(), c.latencyP95(),
                    c.timeToFirstChunk(), flying, c.cooldownUntil(), c.lastFailureAt(), breaker);
            cached = c;
        }
        return c;
    }

    private @Nullable Instant oldestIn(Instant now) {
        Instant oldest = null;
        Instant limit = now.minus(maxAge);
        for (int i = 0; i < count; i++) {
            if (!at[i].isBefore(limit) && (oldest == null || at[i].isBefore(oldest))) {
                oldest = at[i];
            }
        }
        return oldest;
    }

    private HealthSnapshot snapshotAt(@Nullable Instant now) {
        if (now != null && stale(now)) {
            forget();
            version++;
        }
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
