package dev.llmmesh.governance.audit;

import java.util.Objects;

/**
 * A record on its way to a sink.
 *
 * @param outboxId the id of the outbox the sequence belongs to (a new outbox directory starts a new sequence)
 * @param sequence the record's position in the outbox: unique and increasing in delivery order, so a sink can drop a
 *                 redelivered entry by remembering the highest sequence it stored for this outbox
 * @param record   the record
 */
public record AuditEntry(String outboxId, long sequence, AuditRecord record) {
    public AuditEntry {
        Objects.requireNonNull(outboxId, "outboxId");
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be >= 1, got " + sequence);
        }
        Objects.requireNonNull(record, "record");
    }
}
