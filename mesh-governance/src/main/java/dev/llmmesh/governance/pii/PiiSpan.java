package dev.llmmesh.governance.pii;

import java.util.Objects;

/**
 * Where one detected value sits in a text: {@code text.substring(start, end)} is the value. Immutable. Never logged:
 * {@link #toString()} shows the type and offsets, not the value.
 *
 * @param type  what it is
 * @param start offset of the first character
 * @param end   offset after the last character (exclusive)
 * @param score confidence in [0, 1]; checksum-validated detections score 1
 */
public record PiiSpan(EntityType type, int start, int end, double score) {

    /**
     * @throws IllegalArgumentException if the offsets are negative or empty, or the score is outside [0, 1]
     */
    public PiiSpan {
        Objects.requireNonNull(type, "type");
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("span offsets must satisfy 0 <= start < end, got [" + start + ", "
                    + end + ")");
        }
        if (!(score >= 0 && score <= 1)) {
            throw new IllegalArgumentException("score must be in [0, 1], got " + score);
        }
    }

    /** A span with score 1. */
    public static PiiSpan of(EntityType type, int start, int end) {
        return new PiiSpan(type, start, end, 1.0);
    }

    /** The number of characters covered. */
    public int length() {
        return end - start;
    }

    /** Whether this span shares at least one character with {@code other}. */
    public boolean overlaps(PiiSpan other) {
        return start < other.end && other.start < end;
    }

    @Override
    public String toString() {
        return type.name() + "[" + start + ", " + end + ")";
    }
}
