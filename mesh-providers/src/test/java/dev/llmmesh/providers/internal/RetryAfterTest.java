package dev.llmmesh.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    private static Optional<Duration> parse(Map<String, String> headers) {
        return RetryAfter.parse(name -> Optional.ofNullable(headers.get(name)), CLOCK);
    }

    @Test
    void readsWholeAndFractionalSeconds() {
        assertThat(parse(Map.of("retry-after", "30"))).contains(Duration.ofSeconds(30));
        assertThat(parse(Map.of("retry-after", "1.5"))).contains(Duration.ofMillis(1500));
    }

    @Test
    void prefersMillisecondsWhenBothArePresent() {
        assertThat(parse(Map.of("retry-after", "30", "retry-after-ms", "250.5"))).contains(Duration.ofNanos(250_500_000));
    }

    @Test
    void readsHttpDatesAgainstTheClockAndClampsThePastToZero() {
        assertThat(parse(Map.of("retry-after", "Thu, 01 Jan 2026 00:01:00 GMT"))).contains(Duration.ofMinutes(1));
        assertThat(parse(Map.of("retry-after", "Wed, 31 Dec 2025 23:00:00 GMT"))).contains(Duration.ZERO);
    }

    @Test
    void ignoresAbsentNegativeAndGarbageValues() {
        assertThat(parse(Map.of())).isEmpty();
        assertThat(parse(Map.of("retry-after", "-5"))).isEmpty();
        assertThat(parse(Map.of("retry-after", "later"))).isEmpty();
        assertThat(parse(Map.of("retry-after", "NaN"))).isEmpty();
        assertThat(parse(Map.of("retry-after-ms", "x", "retry-after", "7"))).contains(Duration.ofSeconds(7));
    }
}
