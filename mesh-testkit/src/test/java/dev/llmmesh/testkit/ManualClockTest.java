package dev.llmmesh.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ManualClockTest {

    @Test
    void startsAtTheFixedDefaultInstantInUtc() {
        ManualClock clock = new ManualClock();

        assertThat(clock.instant()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(clock.millis()).isEqualTo(ManualClock.DEFAULT_START.toEpochMilli());
        assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
    }

    @Test
    void advanceMovesTimeForwardAndReturnsTheNewTime() {
        ManualClock clock = new ManualClock(Instant.parse("2030-05-01T10:00:00Z"));

        Instant after = clock.advance(Duration.ofSeconds(30));

        assertThat(after).isEqualTo(Instant.parse("2030-05-01T10:00:30Z"));
        assertThat(clock.instant()).isEqualTo(after);
    }

    @Test
    void advanceRejectsNegativeAmountsAndLeavesTimeUnchanged() {
        ManualClock clock = new ManualClock();

        assertThatThrownBy(() -> clock.advance(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("set(Instant)");
        assertThat(clock.instant()).isEqualTo(ManualClock.DEFAULT_START);
    }

    @Test
    void setMovesTimeBackwardsOnPurpose() {
        ManualClock clock = new ManualClock();
        clock.advance(Duration.ofHours(1));

        clock.set(Instant.parse("2020-01-01T00:00:00Z"));

        assertThat(clock.instant()).isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
    }

    @Test
    void zonedViewSharesTheTimeOfTheOriginal() {
        ManualClock clock = new ManualClock();
        ManualClock paris = clock.withZone(ZoneId.of("Europe/Paris"));

        clock.advance(Duration.ofMinutes(5));

        assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(paris.instant()).isEqualTo(clock.instant());
        assertThat(clock.withZone(ZoneOffset.UTC)).isSameAs(clock);
    }

    @Test
    void concurrentAdvancesAreNeverLost() throws InterruptedException {
        ManualClock clock = new ManualClock();
        int threads = 8;
        int perThread = 1_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    clock.advance(Duration.ofMillis(1));
                }
            });
            workers.add(w);
            w.start();
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }

        assertThat(clock.instant()).isEqualTo(ManualClock.DEFAULT_START.plusMillis((long) threads * perThread));
    }

    @Test
    void asATickerItMovesWithTheClock() {
        ManualClock clock = new ManualClock();
        long before = clock.read();
        clock.advance(Duration.ofMillis(1_500));
        assertThat(clock.read() - before).isEqualTo(1_500_000_000L);
        assertThat(clock.withZone(java.time.ZoneId.of("Europe/Paris")).read()).isEqualTo(clock.read());
    }
}
