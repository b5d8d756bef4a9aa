package dev.llmmesh.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d} and ISO-8601 ({@code PT30S}). Stateless. */
final class Durations {
    static final String FORMS = "a duration such as 500ms, 30s, 5m, 1h, 2d or PT30S";
    private static final Pattern SHORT = Pattern.compile("(\\d{1,18})\\s*(ms|s|m|h|d)");

    private Durations() {
    }

    /** The duration, or empty when {@code text} is in no accepted form, negative, or out of range. */
    static Optional<Duration> parse(String text) {
        String t = text.trim();
        try {
            Matcher m = SHORT.matcher(t);
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                switch (m.group(2)) {
                    case "ms":
                        return Optional.of(Duration.ofMillis(n));
                    case "s":
                        return Optional.of(Duration.ofSeconds(n));
                    case "m":
                        return Optional.of(Duration.ofMinutes(n));
                    case "h":
                        return Optional.of(Duration.ofHours(n));
                    default:
                        return Optional.of(Duration.ofDays(n));
                }
            }
            if (t.startsWith("P") || t.startsWith("p")) {
                Duration d = Duration.parse(t.toUpperCase(Locale.ROOT));
                return d.isNegative() ? Optional.empty() : Optional.of(d);
            }
        } catch (ArithmeticException | DateTimeParseException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
