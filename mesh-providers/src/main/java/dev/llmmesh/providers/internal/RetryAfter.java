package dev.llmmesh.providers.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads a provider's wait hint, in the order the vendor SDKs use: {@code retry-after-ms} (milliseconds, may be
 * fractional), then {@code retry-after} (seconds, may be fractional, or an HTTP date, measured against the injected
 * clock). Unparseable or negative values are ignored, never fatal. Stateless and thread-safe.
 */
public final class RetryAfter {
    private RetryAfter() {
    }

    /**
     * The hint in the headers {@code header} returns (by lower-case name); empty when absent or unparseable.
     */
    public static Optional<Duration> parse(Function<String, Optional<String>> header, Clock clock) {
        Optional<Duration> ms = header.apply("retry-after-ms").flatMap(v -> number(v, 1_000_000L));
        if (ms.isPresent()) {
            return ms;
        }
        return header.apply("retry-after").flatMap(v -> {
            Optional<Duration> seconds = number(v, 1_000_000_000L);
            return seconds.isPresent() ? seconds : httpDate(v, clock);
        });
    }

    private static Optional<Duration> number(String value, long nanosPerUnit) {
        try {
            double d = Double.parseDouble(value.trim());
            if (Double.isNaN(d) || Double.isInfinite(d) || d < 0) {
                return Optional.empty();
            }
            return Optional.of(Duration.ofNanos((long) Math.ceil(Math.min(d, 1e9) * nanosPerUnit)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<Duration> httpDate(String value, Clock clock) {
        try {
            Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration d = Duration.between(clock.instant(), at);
            return Optional.of(d.isNegative() ? Duration.ZERO : d);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
