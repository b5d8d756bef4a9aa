package dev.llmmesh.governance.audit;

import java.util.Objects;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * An {@link AuditSink} did not store every entry it was given: either it is unavailable for now (retry later), or it
 * rejects one entry for good (a poison record, which goes to the dead-letter file). Messages must not contain record
 * content.
 */
public class AuditSinkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int rejectedIndex;

    private AuditSinkException(String message, int rejectedIndex, @Nullable Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.rejectedIndex = rejectedIndex;
    }

    /** The sink cannot store anything now; the entries from the first one not stored are retried later. */
    public static AuditSinkException unavailable(String message, @Nullable Throwable cause) {
        return new AuditSinkException(message, -1, cause);
    }

    /**
     * The entry at {@code index} of the batch can never be stored; the entries before it were stored.
     *
     * @throws IllegalArgumentException if {@code index < 0}
     */
    public static AuditSinkException rejected(int index, String reason) {
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, got " + index);
        }
        return new AuditSinkException(reason, index, null);
    }

    /** The index of the rejected entry; empty when the sink is unavailable. */
    public OptionalInt rejectedIndex() {
        return rejectedIndex < 0 ? OptionalInt.empty() : OptionalInt.of(rejectedIndex);
    }
}
