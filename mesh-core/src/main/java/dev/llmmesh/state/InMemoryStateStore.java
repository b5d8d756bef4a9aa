package dev.llmmesh.state;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * A {@link StateStore} in this process's memory. Exact under concurrency: every operation holds one lock, so
 * multi-key adds are atomic with respect to every other operation.
 *
 * <p>Memory is bounded by expiry first and least-recent use second, never by refusing newcomers: every entry has a
 * time-to-live and is dropped once it has expired (a few of the least recently used entries are checked on every
 * mutation, and all of them before anything live is evicted); when the store holds {@code maxEntries} live entries,
 * a new key evicts the least recently used one. An evicted counter starts again at 0 if its key comes back, so size
 * the store above the number of subjects active within your longest budget window ({@link #evictions()} counts
 * live entries evicted; a non-zero count means the store is too small for its traffic).
 *
 * <p>Time comes from the injected {@link Clock}, so TTLs are testable without sleeping.
 */
public final class InMemoryStateStore implements StateStore {
    /** The default capacity, in entries: about 150 MB at the typical key length. */
    public static final int DEFAULT_MAX_ENTRIES = 1_000_000;
    /** Least recently used entries checked for expiry on each mutation. */
    static final int EXPIRY_CHECKS_PER_MUTATION = 2;

    /** One entry; {@code expiresAtMillis} is epoch milliseconds. */
    private record Entry(long counter, @Nullable String value, long expiresAtMillis) {
    }

    private final Clock clock;
    private final int maxEntries;
    /** In access order: the eldest entry is the least recently used. Guarded by itself. */
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(1024, 0.75f, true);
    private long evictions;
    private long expired;
    /** Full-store inserts since every entry was last checked for expiry; starts high so the first one checks. */
    private long mutationsSinceFullSweep = Long.MAX_VALUE / 2;

    /** A store on the system clock holding up to {@value #DEFAULT_MAX_ENTRIES} entries. */
    public InMemoryStateStore() {
        this(Clock.systemUTC(), DEFAULT_MAX_ENTRIES);
    }

    /**
     * A store on {@code clock} holding up to {@code maxEntries} live entries.
     *
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
        Objects.requireNonNull(ttl, "ttl");
        synchronized (entries) {
            return add(key, delta, ttl, clock.millis());
        }
    }

    @Override
    public long getCounter(String key) {
        synchronized (entries) {
            Entry e = live(key, clock.millis());
            return e == null ? 0 : e.counter;
        }
    }

    @Override
    public AddResult addAllWithinLimits(List<BoundedAdd> adds) {
        Objects.requireNonNull(adds, "adds");
        synchronized (entries) {
            long now = clock.millis();
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
                after.add(add(a.key(), a.delta(), a.ttl(), now));
            }
            return new AddResult(true, after, OptionalInt.empty());
        }
    }

    @Override
    public Optional<String> get(String key) {
        synchronized (entries) {
            Entry e = live(key, clock.millis());
            return e == null ? Optional.empty() : Optional.ofNullable(e.value);
        }
    }

    @Override
    public boolean compareAndSet(String key, @Nullable String expected, String value, Duration ttl) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(ttl, "ttl");
        synchronized (entries) {
            long now = clock.millis();
            Entry e = live(key, now);
            String current = e == null ? null : e.value;
            if (!Objects.equals(current, expected)) {
                return false;
            }
            put(key, new Entry(0, value, expiry(now, ttl)), now);
            return true;
        }
    }

    /**
     * This store starts empty with its process, so the reseeder's counters are added now (a restarted process picks
     * up the spend its durable record holds).
     */
    @Override
    public void onStateLost(StateReseeder reseeder) {
        Objects.requireNonNull(reseeder, "reseeder");
        synchronized (entries) {
            for (BoundedAdd a : reseeder.counters()) {
                addAndGet(a.key(), a.delta(), a.ttl());
            }
        }
    }

    @Override
    public void delete(String key) {
        synchronized (entries) {
            entries.remove(key);
        }
    }

    /** Entries currently held, expired ones not yet dropped included; never more than the capacity. */
    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    /** The capacity, in entries. */
    public int maxEntries() {
        return maxEntries;
    }

    /** Live (unexpired) entries evicted so far to make room for new keys. */
    public long evictions() {
        synchronized (entries) {
            return evictions;
        }
    }

    /** Expired entries dropped so far. */
    public long expiredDropped() {
        synchronized (entries) {
            return expired;
        }
    }

    private long add(String key, long delta, Duration ttl, long now) {
        Entry e = live(key, now);
        long v = (e == null ? 0 : e.counter) + delta;
        put(key, new Entry(v, null, e == null ? expiry(now, ttl) : e.expiresAtMillis), now);
        return v;
    }

    private static long expiry(long now, Duration ttl) {
        long ms;
        try {
            ms = ttl.toMillis();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
        long at = now + Math.max(ms, 0);
        return at < now ? Long.MAX_VALUE : at;
    }

    /** The entry under {@code key} if it has not expired (an expired one is dropped). Marks it used. */
    private @Nullable Entry live(String key, long now) {
        Entry e = entries.get(key);
        if (e != null && now >= e.expiresAtMillis) {
            entries.remove(key);
            expired++;
            return null;
        }
        return e;
    }

    private void put(String key, Entry entry, long now) {
        dropExpiredEldest(now, EXPIRY_CHECKS_PER_MUTATION);
        if (entries.size() >= maxEntries && !entries.containsKey(key)) {
            dropAllExpired(now);
            Iterator<Map.Entry<String, Entry>> eldest = entries.entrySet().iterator();
            while (entries.size() >= maxEntries && eldest.hasNext()) {
                eldest.next();
                eldest.remove();
                evictions++;
            }
        }
        entries.put(key, entry);
    }

    /** Checks up to {@code n} of the least recently used entries and drops those that have expired. */
    private void dropExpiredEldest(long now, int n) {
        Iterator<Entry> it = entries.values().iterator();
        for (int i = 0; i < n && it.hasNext(); i++) {
            if (now >= it.next().expiresAtMillis) {
                it.remove();
                expired++;
            }
        }
    }

    /**
     * Drops every expired entry. Called only when the store is full; to keep that rare when expired entries are spread
     * among live ones, at most once per {@code maxEntries / 8} mutations.
     */
    private void dropAllExpired(long now) {
        if (mutationsSinceFullSweep < Math.max(1, maxEntries / 8)) {
            mutationsSinceFullSweep++;
            return;
        }
        mutationsSinceFullSweep = 0;
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            if (now >= it.next().expiresAtMillis) {
                it.remove();
                expired++;
            }
        }
    }
}
