package dev.llmmesh.state;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A {@link StateStore} in this process's memory. Exact under concurrency: every mutation holds one lock, so
 * multi-key adds are atomic with respect to every other operation; reads take no lock. Expired entries are dropped
 * when touched and swept every {@value #SWEEP_EVERY} mutations, and the store holds at most {@code maxEntries}
 * entries (new keys beyond that fail loudly rather than grow without bound).
 *
 * <p>Time comes from the injected {@link Clock}, so TTLs are testable without sleeping.
 */
public final class InMemoryStateStore implements StateStore {
    static final int SWEEP_EVERY = 4096;

    private record Entry(long counter, @Nullable String value, Instant expiresAt) {
    }

    private final Clock clock;
    private final int maxEntries;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private long mutations;

    /** A store on the system clock holding up to 1,000,000 entries. */
    public InMemoryStateStore() {
        this(Clock.systemUTC(), 1_000_000);
    }

    /**
     * @throws IllegalArgumentException if {@code maxEntries < 1}
     */
    public InMemoryStateStore(Clock clock, int maxEntries) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be >= 1, got " + maxEntries);
        }
        this.maxEntries = maxEntries;
    }

    @Override
    public long addAndGet(String key, long delta, Duration ttl) {
        Objects.requireNonNull(key, "key");
        synchronized (lock) {
            Instant now = clock.instant();
            Entry e = live(key, now);
            long v = (e == null ? 0 : e.counter) + delta;
            put(key, new Entry(v, null, e == null ? now.plus(ttl) : e.expiresAt), e == null, now);
            return v;
        }
    }

    @Override
    public long getCounter(String key) {
        Entry e = live(key, clock.instant());
        return e == null ? 0 : e.counter;
    }

    @Override
    public AddResult addAllWithinLimits(List<BoundedAdd> adds) {
        Objects.requireNonNull(adds, "adds");
        synchronized (lock) {
            Instant now = clock.instant();
            List<Long> current = new ArrayList<>(adds.size());
            OptionalInt violated = OptionalInt.empty();
            for (int i = 0; i < adds.size(); i++) {
                BoundedAdd a = adds.get(i);
                Entry e = live(a.key(), now);
                long v = e == null ? 0 : e.counter;
                // the same key may appear twice (e.g. two scopes mapping to one counter): count earlier adds
                for (int j = 0; j < i; j++) {
                    if (adds.get(j).key().equals(a.key())) {
                        v += adds.get(j).delta();
                    }
                }
                current.add(v);
                if (violated.isEmpty() && a.delta() > 0 && v + a.delta() > a.limit()) {
                    violated = OptionalInt.of(i);
                }
            }
            if (violated.isPresent()) {
                return new AddResult(false, current, violated);
            }
            List<Long> after = new ArrayList<>(adds.size());
            for (BoundedAdd a : adds) {
                after.add(addAndGet(a.key(), a.delta(), a.ttl()));
            }
            return new AddResult(true, after, OptionalInt.empty());
        }
    }

    @Override
    public Optional<String> get(String key) {
        Entry e = live(key, clock.instant());
        return e == null ? Optional.empty() : Optional.ofNullable(e.value);
    }

    @Override
    public boolean compareAndSet(String key, @Nullable String expected, String value, Duration ttl) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        synchronized (lock) {
            Instant now = clock.instant();
            Entry e = live(key, now);
            String current = e == null ? null : e.value;
            if (!Objects.equals(current, expected)) {
                return false;
            }
            put(key, new Entry(0, value, now.plus(ttl)), e == null, now);
            return true;
        }
    }

    @Override
    public void delete(String key) {
        synchronized (lock) {
            entries.remove(key);
        }
    }

    /** Entries currently held, expired ones not yet swept included. */
    public int size() {
        return entries.size();
    }

    private @Nullable Entry live(String key, Instant now) {
        Entry e = entries.get(key);
        if (e != null && !now.isBefore(e.expiresAt)) {
            return null;
        }
        return e;
    }

    private void put(String key, Entry entry, boolean isNew, Instant now) {
        if (++mutations % SWEEP_EVERY == 0 || (isNew && entries.size() >= maxEntries)) {
            sweep(now);
        }
        if (isNew && !entries.containsKey(key) && entries.size() >= maxEntries) {
            throw new StateStoreUnavailableException("in-memory state store is full (" + maxEntries
                    + " live entries); raise maxEntries or shorten TTLs", null);
        }
        entries.put(key, entry);
    }

    private void sweep(Instant now) {
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            if (!now.isBefore(it.next().expiresAt)) {
                it.remove();
            }
        }
    }
}
