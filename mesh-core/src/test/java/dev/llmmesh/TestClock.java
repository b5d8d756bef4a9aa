package dev.llmmesh;

import dev.llmmesh.routing.Sleeper;
import dev.llmmesh.routing.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A thread-safe manual clock for core's tests (core cannot use the testkit's) that is also the mesh's sleeper:
 * sleeping advances it. Records every sleep. It is a {@link Ticker} too, on the same time.
 */
public final class TestClock extends Clock implements Sleeper, Ticker {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-06-01T00:00:00Z"));
    public final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    public void advance(Duration d) {
        now.updateAndGet(i -> i.plus(d));
    }

    public void set(Instant instant) {
        now.set(instant);
    }

    public Instant start() {
        return Instant.parse("2026-06-01T00:00:00Z");
    }

    public Duration elapsed() {
        return Duration.between(start(), instant());
    }

    @Override
    public long read() {
        Instant t = now.get();
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    @Override
    public void sleep(Duration duration) {
        sleeps.add(duration);
        advance(duration);
    }
}
