package dev.llmmesh.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.llmmesh.state.AddResult;
import dev.llmmesh.state.BoundedAdd;
import dev.llmmesh.state.StateStore;
import dev.llmmesh.state.StateStoreUnavailableException;
import dev.llmmesh.testkit.RedisServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The store against a real redis-server on 127.0.0.1 (started here; the test fails if it is not installed). */
class RedisStateStoreTest {
    private static final Duration MIN = Duration.ofMinutes(1);
    private static RedisServer redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void empty() {
        redis.flushAll();
    }

    /**
     * Functional tests allow 2 s per call: the machine running them may be loaded far beyond its cores, and a
     * timeout there is not what they test. The 50 ms default is tested against a server that does not answer.
     */
    private static RedisStateStore store() {
        return RedisStateStore.builder(redis.uri()).timeout(Duration.ofSeconds(2)).connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @Test
    void countersAddAndExpireAndEveryKeyCarriesTheNamespaceHashTag() {
        try (RedisStateStore store = store()) {
            assertThat(store.getCounter("c")).isZero();
            assertThat(store.addAndGet("c", 5, MIN)).isEqualTo(5);
            assertThat(store.addAndGet("c", -2, Duration.ofHours(1))).isEqualTo(3);
            assertThat(store.getCounter("c")).isEqualTo(3);
            long ttl = Long.parseLong(redis.command("PTTL {llmmesh}:c").substring(1));
            assertThat(ttl).as("the TTL of the add that created the counter").isBetween(1L, 60_000L);
            assertThat(redis.command("EXISTS {llmmesh}:_state")).as("the loss marker").isEqualTo(":1");
            assertThat(redis.command("PTTL {llmmesh}:_state")).as("the marker never expires").isEqualTo(":-1");
            assertThat(store.redisKey("budget/x")).isEqualTo("{llmmesh}:budget/x");
        }
    }

    @Test
    void addAllWithinLimitsIsAllOrNothingAndNamesTheFirstViolation() {
        try (RedisStateStore store = store()) {
            store.addAndGet("b", 8, MIN);
            AddResult denied = store.addAllWithinLimits(List.of(new BoundedAdd("a", 3, 10, MIN),
                    new BoundedAdd("b", 3, 10, MIN), new BoundedAdd("c", 100, 10, MIN)));
            assertThat(denied.applied()).isFalse();
            assertThat(denied.violated()).isEqualTo(OptionalInt.of(1));
            assertThat(denied.values()).containsExactly(0L, 8L, 0L);
            assertThat(store.getCounter("a")).isZero();
            assertThat(store.getCounter("b")).isEqualTo(8);

            AddResult ok = store.addAllWithinLimits(List.of(new BoundedAdd("a", 3, 10, MIN),
                    new BoundedAdd("b", 2, 10, MIN), new BoundedAdd("b", -5, 10, MIN)));
            assertThat(ok.applied()).isTrue();
            assertThat(ok.violated()).isEmpty();
            assertThat(ok.values()).containsExactly(3L, 10L, 5L);

            // the same key twice counts the earlier add, as the in-memory store does
            AddResult twice = store.addAllWithinLimits(List.of(new BoundedAdd("d", 6, 10, MIN),
                    new BoundedAdd("d", 6, 10, MIN)));
            assertThat(twice.applied()).isFalse();
            assertThat(twice.violated()).isEqualTo(OptionalInt.of(1));
            // releases (negative) are always within limits; Long.MAX_VALUE limits never bind
            assertThat(store.addAllWithinLimits(List.of(new BoundedAdd("b", -100, 0, MIN),
                    new BoundedAdd("e", 1L << 40, Long.MAX_VALUE, MIN))).applied()).isTrue();
            assertThat(store.getCounter("e")).isEqualTo(1L << 40);
        }
    }

    @Test
    void windowsValuesCompareAndSetAndDelete() {
        try (RedisStateStore store = store()) {
            Instant t = Instant.parse("2026-01-01T00:00:30Z");
            assertThat(store.addToWindow("w", t, MIN, 2)).isEqualTo(2);
            assertThat(store.addToWindow("w", t.plusSeconds(20), MIN, 3)).isEqualTo(5);
            assertThat(store.addToWindow("w", t.plusSeconds(40), MIN, 1)).as("next minute").isEqualTo(1);

            assertThat(store.get("v")).isEmpty();
            assertThat(store.compareAndSet("v", "x", "y", MIN)).as("expected a value, none there").isFalse();
            assertThat(store.compareAndSet("v", null, "open", MIN)).isTrue();
            assertThat(store.compareAndSet("v", null, "again", MIN)).isFalse();
            assertThat(store.compareAndSet("v", "closed", "x", MIN)).isFalse();
            assertThat(store.compareAndSet("v", "open", "half-open", MIN)).isTrue();
            assertThat(store.get("v")).contains("half-open");
            store.delete("v");
            assertThat(store.get("v")).isEmpty();
        }
    }

    @Test
    void twoInstancesWith16ThreadsNeverPassALimitTogether() throws Exception {
        try (RedisStateStore a = store(); RedisStateStore b = store()) {
            ExecutorService pool = Executors.newFixedThreadPool(16);
            AtomicInteger admitted = new AtomicInteger();
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                StateStore s = t % 2 == 0 ? a : b;
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        AddResult r = retrying(() -> s.addAllWithinLimits(List.of(new BoundedAdd("rpm", 1, 1000, MIN),
                                new BoundedAdd("tpm", 7, 7 * 1000, MIN))));
                        if (r.applied()) {
                            admitted.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
            pool.shutdown();
            assertThat(admitted.get()).isEqualTo(1000);
            assertThat(a.getCounter("rpm")).isEqualTo(1000);
            assertThat(b.getCounter("tpm")).isEqualTo(7000);
        }
    }

    @Test
    void aPausedServerMakesEveryCallFailWithinTheTimeoutAndOpensTheBreakerWithinFiveFailures() throws Exception {
        try (RedisStateStore store = RedisStateStore.builder(redis.uri()).timeout(Duration.ofMillis(50))
                .connectTimeout(Duration.ofSeconds(5)).breaker(5, 10, Duration.ofMillis(200)).build()) {
            assertThat(store.timeout()).isEqualTo(Duration.ofMillis(50));
            for (int i = 0; i < 500; i++) { // a loaded machine may time out the warm-up (and open the breaker)
                try {
                    store.addAndGet("c", 1, MIN);
                    break;
                } catch (StateStoreUnavailableException e) {
                    Thread.sleep(30);
                }
            }
            store.delete("c");
            store.addAndGet("c", 1, MIN);
            long failuresBefore = store.stats().failures(); // a loaded machine may time out the warm-up
            redis.pause();
            try {
                int timedOut = 0;
                for (int i = 0; i < 5; i++) {
                    long start = System.nanoTime();
                    Throwable e = catchThrowable(() -> store.addAndGet("c", 1, MIN));
                    long ms = (System.nanoTime() - start) / 1_000_000;
                    assertThat(e).isInstanceOf(StateStoreUnavailableException.class);
                    assertThat(ms).as("bounded (generous: a loaded CI machine)").isLessThan(2_000);
                    if (e.getMessage().contains("no answer within 50 ms")) {
                        timedOut++;
                    } else {
                        assertThat(e).hasMessageContaining("breaker open");
                    }
                }
                assertThat(timedOut).as("the first call times out; the breaker opens within 5 failures")
                        .isBetween(1, 5);
                assertThat(store.stats().breaker()).isEqualTo("OPEN");
                assertThatThrownBy(() -> store.getCounter("c")).isInstanceOf(StateStoreUnavailableException.class)
                        .hasMessageContaining("breaker open");
                assertThat(store.stats().rejected()).isGreaterThanOrEqualTo(1);
                assertThat(store.stats().failures() - failuresBefore).as("opened within 5 failures")
                        .isBetween(1L, 5L);
            } finally {
                redis.resume();
            }
            long c = -1;
            for (int i = 0; i < 200 && c < 0; i++) {
                try {
                    c = store.getCounter("c");
                } catch (StateStoreUnavailableException stillOpen) {
                    Thread.sleep(50);
                }
            }
            // each timed-out add may or may not have run once the server continued; none runs twice
            assertThat(c).as("recovered: no increment was applied twice").isBetween(1L, 1L + 5);
            assertThat(store.stats().breaker()).isEqualTo("CLOSED");
        }
    }

    @Test
    void aFlushedServerIsReseededOnceFromTheDurableRecordBeforeAnyOperationAnswers() {
        try (RedisStateStore a = store(); RedisStateStore b = store()) {
            List<BoundedAdd> ledger = List.of(new BoundedAdd("spent", 970, Long.MAX_VALUE, MIN),
                    new BoundedAdd("used", 970, Long.MAX_VALUE, MIN));
            a.onStateLost(() -> ledger);
            b.onStateLost(() -> ledger);
            assertThat(a.getCounter("spent")).as("a fresh server is seeded too").isEqualTo(970);
            a.addAndGet("used", 20, MIN);
            redis.flushAll();

            AddResult r = b.addAllWithinLimits(List.of(new BoundedAdd("used", 20, 1000, MIN)));
            assertThat(r.applied()).isTrue();
            assertThat(r.values()).containsExactly(990L);
            assertThat(a.getCounter("used")).as("reseeded once, not by both instances").isEqualTo(990);
            assertThat(a.stats().reseeds() + b.stats().reseeds()).isEqualTo(2);
            assertThat(b.addAllWithinLimits(List.of(new BoundedAdd("used", 20, 1000, MIN))).applied())
                    .as("the budget did not reset to 0").isFalse();
        }
    }

    @Test
    void aReseederThatCannotReadItsRecordKeepsTheStoreClosed() {
        try (RedisStateStore store = store()) {
            store.onStateLost(() -> {
                throw new IllegalStateException("ledger unreadable");
            });
            assertThatThrownBy(() -> store.addAndGet("c", 1, MIN)).isInstanceOf(StateStoreUnavailableException.class)
                    .hasMessageContaining("lost").hasMessageContaining("durable record");
            assertThat(redis.command("EXISTS {llmmesh}:c")).isEqualTo(":0");
        }
    }

    @Test
    void passwordsNeverAppearInMessagesCausesOrToString() {
        String good = "good-canary-7fq2";
        try (RedisServer locked = RedisServer.start("--requirepass", good)) {
            String wrong = "wrong-canary-9x1k";
            try (RedisStateStore bad = RedisStateStore.builder("redis://:" + wrong + "@127.0.0.1:" + locked.port())
                    .timeout(Duration.ofSeconds(2)).connectTimeout(Duration.ofSeconds(5)).build()) {
                Throwable e = catchThrowable(() -> bad.addAndGet("c", 1, MIN));
                assertThat(e).isInstanceOf(StateStoreUnavailableException.class);
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                assertThat(trace.toString()).doesNotContain(wrong).contains("redis://:***@127.0.0.1");
                assertThat(bad.toString()).doesNotContain(wrong).contains(":***@");
            }
            try (RedisStateStore ok = RedisStateStore.builder("redis://127.0.0.1:" + locked.port())
                    .password(dev.llmmesh.Secret.of(good)).timeout(Duration.ofSeconds(2))
                    .connectTimeout(Duration.ofSeconds(5)).build()) {
                assertThat(retrying(() -> ok.addAndGet("c", 2, MIN))).isEqualTo(2);
                assertThat(ok.toString()).doesNotContain(good);
            }
        }
        assertThatThrownBy(() -> RedisStateStore.builder("http://:pw-canary-1@x").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("pw-canary-1");
    }

    /** The first call of a new store may race its background connect on a busy machine. */
    static <T> T retrying(java.util.function.Supplier<T> call) {
        StateStoreUnavailableException last = null;
        for (int i = 0; i < 50; i++) {
            try {
                return call.get();
            } catch (StateStoreUnavailableException e) {
                last = e;
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
        throw last;
    }
}
