package dev.llmmesh.governance.internal.ratelimit;

import dev.llmmesh.governance.ratelimit.RateLimitConfig;
import dev.llmmesh.governance.ratelimit.RateLimitExceededException;
import dev.llmmesh.governance.ratelimit.RateLimitStoreFailure;
import dev.llmmesh.state.AddResult;
import dev.llmmesh.state.BoundedAdd;
import dev.llmmesh.state.InMemoryStateStore;
import dev.llmmesh.state.StateStore;
import dev.llmmesh.state.StateStoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fixed one-minute windows in the state store, charged all or nothing with
 * {@link StateStore#addAllWithinLimits}: either every counter of a call has room and all are incremented, or none
 * is. When the store cannot answer, counting moves to an in-process store with each limit divided by the number of
 * instances (or the call fails closed, as configured). Thread-safe.
 */
public final class MinuteCounters {
    private static final Logger LOG = LoggerFactory.getLogger(MinuteCounters.class);
    /** Counters outlive their minute by one more, so that late corrections still land. */
    static final Duration TTL = Duration.ofMinutes(2);

    /** One counter a call charges. */
    public record Charge(String label, String key, long amount, long limit, RateLimitExceededException.Limit type) {
    }

    /**
     * What admission did.
     *
     * @param applied  whether every charge was applied
     * @param violated the first charge without room, when not applied
     * @param current  that counter's value, when not applied
     * @param store    the store that was charged (the shared one, or the local fallback)
     */
    public record Admission(boolean applied, int violated, long current, StateStore store) {
    }

    private final StateStore store;
    private final Clock clock;
    private final RateLimitConfig config;
    private volatile @Nullable StateStore local;

    public MinuteCounters(StateStore store, Clock clock, RateLimitConfig config) {
        this.store = store;
        this.clock = clock;
        this.config = config;
    }

    /** The start of the minute containing {@code now}. */
    public static Instant windowStart(Instant now) {
        return Instant.ofEpochSecond(Math.floorDiv(now.getEpochSecond(), 60) * 60);
    }

    /** The key of counter {@code name} in the minute starting at {@code start}. */
    public static String key(String name, Instant start) {
        return "ratelimit/" + name + "/" + start.getEpochSecond();
    }

    /**
     * Charges every counter if each has room.
     *
     * @throws StateStoreUnavailableException if the store cannot answer and rate limits fail closed
     */
    public Admission admit(List<Charge> charges) {
        List<BoundedAdd> adds = new ArrayList<>(charges.size());
        for (Charge c : charges) {
            adds.add(new BoundedAdd(c.key(), c.amount(), c.limit(), TTL));
        }
        try {
            AddResult shared = store.addAllWithinLimits(adds);
            if (shared.applied() && config.onStoreFailure() == RateLimitStoreFailure.LOCAL
                    && !(store instanceof InMemoryStateStore)) {
                // mirror this instance's own admissions locally: when the shared store fails mid-window, the local
                // share limit/N counts what this instance already admitted, so a blip never adds a whole extra limit
                List<BoundedAdd> mine = new ArrayList<>(adds.size());
                for (BoundedAdd a : adds) {
                    mine.add(new BoundedAdd(a.key(), a.delta(), Long.MAX_VALUE, a.ttl()));
                }
                local().addAllWithinLimits(mine);
            }
            return admission(shared, store);
        } catch (RuntimeException e) {
            if (config.onStoreFailure() == RateLimitStoreFailure.FAIL_CLOSED) {
                throw new StateStoreUnavailableException("rate limits: the state store did not answer ("
                        + e.getClass().getSimpleName() + ") and rate limits fail closed; set "
                        + "rateLimits.onStoreFailure: local to count locally at limit/instances instead", e);
            }
            LOG.warn("rate limits: state store unavailable ({}); counting locally at 1/{} of each limit",
                    e.getClass().getName(), config.instances());
            StateStore fallback = local();
            List<BoundedAdd> shares = new ArrayList<>(adds.size());
            for (BoundedAdd a : adds) {
                shares.add(new BoundedAdd(a.key(), a.delta(), Math.max(1, a.limit() / config.instances()), a.ttl()));
            }
            return admission(fallback.addAllWithinLimits(shares), fallback);
        }
    }

    /** Adds {@code deltas} (may be negative) to counters charged at admission, without limits; never throws. */
    public void correct(StateStore charged, List<String> keys, long delta) {
        if (delta == 0 || keys.isEmpty()) {
            return;
        }
        List<BoundedAdd> adds = new ArrayList<>(keys.size());
        for (String k : keys) {
            adds.add(new BoundedAdd(k, delta, Long.MAX_VALUE, TTL));
        }
        try {
            charged.addAllWithinLimits(adds);
        } catch (RuntimeException e) {
            LOG.warn("rate limits: correcting token counts failed ({})", e.getClass().getName());
        }
    }

    /** The time now, by the mesh clock. */
    public Instant now() {
        return clock.instant();
    }

    private static Admission admission(AddResult r, StateStore used) {
        if (r.applied()) {
            return new Admission(true, -1, 0, used);
        }
        int i = r.violated().orElse(0);
        return new Admission(false, i, r.values().get(i), used);
    }

    private StateStore local() {
        StateStore l = local;
        if (l == null) {
            synchronized (this) {
                l = local;
                if (l == null) {
                    l = new InMemoryStateStore(clock, 100_000);
                    local = l;
                }
            }
        }
        return l;
    }
}
