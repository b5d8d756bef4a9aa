package dev.llmmesh.governance.budget;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The period a budget counts over. Windows are calendar-aligned in a configurable time zone: a {@link #DAY} window
 * runs from local midnight to the next local midnight (23 or 25 hours on daylight-saving days), a {@link #MONTH}
 * window from the first of the month. {@link #TOTAL} never resets: it is meant for agent runs, whose budget covers
 * the whole run.
 */
public enum BudgetWindow {
    MINUTE,
    HOUR,
    DAY,
    MONTH,
    /** The whole life of the subject (an agent run); never resets. */
    TOTAL;

    /** The start of the window containing {@code now}, in {@code zone}; {@link Instant#EPOCH} for {@link #TOTAL}. */
    public Instant start(Instant now, ZoneId zone) {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(zone, "zone");
        ZonedDateTime t = now.atZone(zone);
        switch (this) {
            case MINUTE:
                return t.truncatedTo(ChronoUnit.MINUTES).toInstant();
            case HOUR:
                return t.truncatedTo(ChronoUnit.HOURS).toInstant();
            case DAY:
                return t.toLocalDate().atStartOfDay(zone).toInstant();
            case MONTH:
                return t.toLocalDate().withDayOfMonth(1).atStartOfDay(zone).toInstant();
            default:
                return Instant.EPOCH;
        }
    }

    /** When the window containing {@code now} ends and the next begins; empty for {@link #TOTAL}. */
    public Optional<Instant> end(Instant now, ZoneId zone) {
        Instant start = start(now, zone);
        ZonedDateTime s = start.atZone(zone);
        switch (this) {
            case MINUTE:
                return Optional.of(start.plusSeconds(60));
            case HOUR:
                return Optional.of(s.plusHours(1).toInstant());
            case DAY:
                return Optional.of(s.toLocalDate().plusDays(1).atStartOfDay(zone).toInstant());
            case MONTH:
                return Optional.of(s.toLocalDate().plusMonths(1).atStartOfDay(zone).toInstant());
            default:
                return Optional.empty();
        }
    }

    /** The name used in {@code mesh.yaml} and in scope labels, e.g. {@code day}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code minute}, {@code hour}, {@code day}, {@code month} or {@code total}, ignoring case.
     *
     * @throws IllegalArgumentException listing the valid names
     */
    public static BudgetWindow parse(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT);
        for (BudgetWindow w : values()) {
            if (w.name().equals(n)) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown budget window \"" + name + "\"; expected one of "
                + Arrays.stream(values()).map(BudgetWindow::configName).collect(Collectors.joining(", ")));
    }
}
