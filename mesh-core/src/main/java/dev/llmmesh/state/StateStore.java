package dev.llmmesh.state;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Atomic counters and values with time-to-live, shared by budgets, rate limits, cooldowns and health. Every method is
 * one atomic transaction. Implementations must be thread-safe and must bound each call in time: a store that cannot
 * answer throws {@link StateStoreUnavailableException}, and callers fail closed.
 *
 * <p>The mesh ships {@link InMemoryStateStore} (one process); a Redis implementation shares state across instances.
 */
public interface StateStore extends AutoCloseable {

    /** Adds {@code delta} to counter {@code key} (creating it at 0 with {@code ttl}) and returns the new value. */
    long addAndGet(String key, long delta, Duration ttl);

    /** The counter's value; 0 when absent or expired. */
    long getCounter(String key);

    /**
     * Applies every add if, and only if, each counter stays within its limit afterwards; otherwise changes nothing.
     * This is how a budget reserves across all its scopes (org, team, user) at once.
     */
    AddResult addAllWithinLimits(List<BoundedAdd> adds);

    /**
     * Adds to the counter of the fixed window containing {@code now} (windows of {@code window} length from the
     * epoch) and returns the window's new value. The window's counter expires one window after it ends.
     */
    default long addToWindow(String key, Instant now, Duration window, long delta) {
        return addAndGet(windowKey(key, now, window), delta, window.multipliedBy(2));
    }

    /** The key of the fixed window of {@code window} length containing {@code now}. */
    static String windowKey(String key, Instant now, Duration window) {
        long w = window.toMillis();
        if (w <= 0) {
            throw new IllegalArgumentException("window must be at least 1 ms, got " + window);
        }
        return key + "@" + Math.floorDiv(now.toEpochMilli(), w) * w;
    }

    /** The string value under {@code key}, if present and not expired. */
    Optional<String> get(String key);

    /**
     * Sets {@code key} to {@code value} (with {@code ttl}) if its current value equals {@code expected}
     * ({@code null} meaning absent).
     *
     * @return whether the value was set
     */
    boolean compareAndSet(String key, @Nullable String expected, String value, Duration ttl);

    /** Removes {@code key} (counter or value). */
    void delete(String key);

    /**
     * Registers what to restore when this store finds its state lost. A store that keeps state in this process
     * ({@link InMemoryStateStore}) starts empty, so it applies the reseeder at once; a shared store (Redis) applies
     * every registered reseeder, once per loss, before answering again. The default does nothing: a store that cannot
     * lose state never needs reseeding.
     *
     * @throws StateStoreUnavailableException if the store applies the reseeder now and cannot
     */
    default void onStateLost(StateReseeder reseeder) {
    }

    /** Releases resources. The default does nothing. */
    @Override
    default void close() {
    }
}
