package dev.llmmesh.state;

import java.time.Duration;
import java.util.Objects;

/**
 * One increment of an all-or-nothing {@link StateStore#addAllWithinLimits}: add {@code delta} to counter {@code key}
 * provided the result stays at or below {@code limit}.
 *
 * @param key   the counter
 * @param delta the amount to add; negative amounts release and are always within limits
 * @param limit the most the counter may hold after the add
 * @param ttl   how long a counter created by this add lives
 */
public record BoundedAdd(String key, long delta, long limit, Duration ttl) {
    public BoundedAdd {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive, got " + ttl);
        }
    }
}
