package dev.llmmesh.state;

import dev.llmmesh.TestClock;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InMemoryStateStoreTest {
    private final TestClock clock = new TestClock();
    private final InMemoryStateStore store = new InMemoryStateStore(clock, 10_000);

    @Test
    void countersExpireAfterTheirTtl() {
        store.addAndGet("k", 5, Duration.ofSeconds(10));
        clock.advance(java.time.Duration.ofSeconds(9));
        assertThat(store.getCounter("k")).isEqualTo(5);
        clock.advance(java.time.Duration.ofSeconds(1));
        assertThat(store.getCounter("k")).isZero();
        assertThat(store.addAndGet("k", 1, Duration.ofSeconds(10))).isEqualTo(1);
    }

    @Test
    void boundedAddsAreAllOrNothingAcrossKeys() {
        store.addAndGet("org", 90, Duration.ofHours(1));
        List<BoundedAdd> reserve = List.of(new BoundedAdd("org", 20, 100, Duration.ofHours(1)),
                new BoundedAdd("team", 20, 50, Duration.ofHours(1)));

        AddResult refused = store.addAllWithinLimits(reserve);

        assertThat(refused.applied()).isFalse();
        assertThat(refused.violated()).hasValue(0);
        assertThat(store.getCounter("team")).isZero();
        AddResult ok = store.addAllWithinLimits(List.of(new BoundedAdd("org", 10, 100, Duration.ofHours(1)),
                new BoundedAdd("team", 10, 50, Duration.ofHours(1))));
        assertThat(ok.applied()).isTrue();
        assertThat(ok.values()).containsExactly(100L, 10L);
    }

    @Test
    void boundedAddsAreExactUnderConcurrency() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger admitted = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            futures.add(pool.submit(() -> {
                start.await();
                for (int j = 0; j < 1000; j++) {
                    if (store.addAllWithinLimits(List.of(new BoundedAdd("budget", 3, 10_000, Duration.ofHours(1)),
                            new BoundedAdd("team", 1, 1_000_000, Duration.ofHours(1)))).applied()) {
                        admitted.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();

        assertThat(admitted.get()).isEqualTo(3333);
        assertThat(store.getCounter("budget")).isEqualTo(9999);
        assertThat(store.getCounter("team")).isEqualTo(3333);
    }

    @Test
    void compareAndSetOnlyChangesTheExpectedValue() {
        assertThat(store.compareAndSet("state", null, "OPEN", Duration.ofMinutes(1))).isTrue();
        assertThat(store.compareAndSet("state", null, "CLOSED", Duration.ofMinutes(1))).isFalse();
        assertThat(store.compareAndSet("state", "OPEN", "HALF_OPEN", Duration.ofMinutes(1))).isTrue();
        assertThat(store.get("state")).contains("HALF_OPEN");
        store.delete("state");
        assertThat(store.get("state")).isEmpty();
    }

    @Test
    void fixedWindowsStartAtWindowBoundaries() {
        Duration minute = Duration.ofMinutes(1);
        clock.set(Instant.parse("2026-01-01T00:00:59Z"));
        assertThat(store.addToWindow("rpm", clock.instant(), minute, 1)).isEqualTo(1);
        assertThat(store.addToWindow("rpm", clock.instant(), minute, 1)).isEqualTo(2);
        clock.set(Instant.parse("2026-01-01T00:01:00Z"));
        assertThat(store.addToWindow("rpm", clock.instant(), minute, 1)).isEqualTo(1);
    }

    @Test
    void scenario28_fullStoreEvictsTheLeastRecentlyUsedEntryAndNeverRefusesANewcomer() {
        InMemoryStateStore tiny = new InMemoryStateStore(clock, 2);
        tiny.addAndGet("a", 1, Duration.ofMinutes(1));
        tiny.addAndGet("b", 1, Duration.ofMinutes(1));
        assertThat(tiny.getCounter("a")).isEqualTo(1); // "a" is now more recently used than "b"

        assertThat(tiny.addAndGet("c", 5, Duration.ofMinutes(1))).isEqualTo(5);

        assertThat(tiny.size()).isEqualTo(2);
        assertThat(tiny.getCounter("b")).as("least recently used, evicted").isZero();
        assertThat(tiny.getCounter("a")).isEqualTo(1);
        assertThat(tiny.getCounter("c")).isEqualTo(5);
        assertThat(tiny.evictions()).isEqualTo(1);
    }

    @Test
    void scenario28_expiredEntriesMakeRoomBeforeAnythingLiveIsEvicted() {
        InMemoryStateStore tiny = new InMemoryStateStore(clock, 3);
        tiny.addAndGet("short-1", 1, Duration.ofSeconds(1));
        tiny.addAndGet("long", 7, Duration.ofHours(1));
        tiny.addAndGet("short-2", 1, Duration.ofSeconds(1));
        tiny.getCounter("short-1"); // most recently used, but expired below
        clock.advance(Duration.ofSeconds(2));

        tiny.addAndGet("new-1", 1, Duration.ofHours(1));
        tiny.addAndGet("new-2", 1, Duration.ofHours(1));

        assertThat(tiny.getCounter("long")).as("live entry kept while expired ones could go").isEqualTo(7);
        assertThat(tiny.evictions()).isZero();
        assertThat(tiny.size()).isLessThanOrEqualTo(3);
    }

    @Test
    void scenario28_boundedAddsIntoAFullStoreAreAdmittedAndStayWithinTheCap() {
        InMemoryStateStore store = new InMemoryStateStore(clock, 1_000);
        for (int user = 0; user < 50_000; user++) {
            AddResult r = store.addAllWithinLimits(List.of(
                    new BoundedAdd("user:" + user, 1, 10, Duration.ofHours(1)),
                    new BoundedAdd("team:t", 1, Long.MAX_VALUE, Duration.ofHours(1))));
            assertThat(r.applied()).as("user %d admitted", user).isTrue();
            assertThat(store.size()).isLessThanOrEqualTo(1_000);
        }
        assertThat(store.getCounter("team:t")).as("the shared counter, used on every call, is never evicted")
                .isEqualTo(50_000);
    }

    @Test
    void aStoreThatStartsEmptyAppliesAReseederAtOnce() {
        InMemoryStateStore store = new InMemoryStateStore();
        store.addAndGet("spent", 5, Duration.ofMinutes(1));
        store.onStateLost(() -> List.of(new BoundedAdd("spent", 950, 0, Duration.ofMinutes(1)),
                new BoundedAdd("used", 950, 0, Duration.ofMinutes(1))));
        assertThat(store.getCounter("spent")).isEqualTo(955);
        assertThat(store.getCounter("used")).as("limits of reseeded counters are not checked").isEqualTo(950);
    }
}
