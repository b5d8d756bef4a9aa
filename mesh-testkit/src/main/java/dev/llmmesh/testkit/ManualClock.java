package dev.llmmesh.testkit;

import dev.llmmesh.routing.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that moves only when a test says so. Inject it wherever the code under test takes a clock
 * ({@code Mesh.builder().clock(..)}, {@link ScriptedLlmClient.Builder#clock(ManualClock)}) and drive time with
 * {@link #advance(Duration)} instead of sleeping. It is also a {@link Ticker} on the same time
 * ({@code Mesh.builder().clock(clock).ticker(clock)}), so the mesh's monotonic time (call latency, stream idle timeout)
 * moves with it.
 *
 * <p>A new clock starts at {@link #DEFAULT_START} ({@code 2026-01-01T00:00:00Z}) in UTC, so tests that print times
 * are reproducible. Clocks obtained from {@link #withZone(ZoneId)} share this clock's time: advancing one advances
 * all of them.
 *
 * <p>Thread-safe: any thread may read or move the clock; each read sees the latest {@code advance} or {@code set}.
 */
public final class ManualClock extends Clock implements Ticker {
    /** Where a clock created with {@link #ManualClock()} starts. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    /** A clock at {@link #DEFAULT_START}, in UTC. */
    public ManualClock() {
        this(DEFAULT_START);
    }

    /** A clock at {@code start}, in UTC. */
    public ManualClock(Instant start) {
        this(new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
    }

    private ManualClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /**
     * Moves the clock forward.
     *
     * @return the new time
     * @throws IllegalArgumentException if {@code amount} is negative (use {@link #set(Instant)} to go back)
     */
    public Instant advance(Duration amount) {
        Objects.requireNonNull(amount, "amount");
        if (amount.isNegative()) {
            throw new IllegalArgumentException("amount must be >= 0, got " + amount
                    + "; call set(Instant) to move the clock backwards on purpose");
        }
        return now.updateAndGet(t -> t.plus(amount));
    }

    /** Moves the clock to {@code instant}, forwards or backwards. */
    public void set(Instant instant) {
        now.set(Objects.requireNonNull(instant, "instant"));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public long millis() {
        return now.get().toEpochMilli();
    }

    /** This clock's time as nanoseconds since the epoch: moves with {@link #advance(Duration)} and {@link #set(Instant)}. */
    @Override
    public long read() {
        Instant t = now.get();
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** A view of this clock in {@code zone}; it shares this clock's time. */
    @Override
    public ManualClock withZone(ZoneId zone) {
        Objects.requireNonNull(zone, "zone");
        return zone.equals(this.zone) ? this : new ManualClock(now, zone);
    }

    @Override
    public String toString() {
        return "ManualClock[" + now.get() + ", " + zone + "]";
    }
}
