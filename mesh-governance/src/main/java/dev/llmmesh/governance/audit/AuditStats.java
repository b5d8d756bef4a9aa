package dev.llmmesh.governance.audit;

import java.util.Objects;
import java.util.Optional;

/**
 * Where the audit pipeline stands.
 *
 * @param pending      records in the outbox, not yet delivered
 * @param inFlight     calls admitted whose records are not written yet
 * @param waiting      calls waiting for room in a full outbox
 * @param delivered    records delivered since the plugin was opened
 * @param deadLettered records dead-lettered since the plugin was opened
 * @param lost         records that could not be written to the outbox at all (a disk error), since it was opened
 * @param lastError    the last delivery error, if the last delivery run stopped early
 */
public record AuditStats(long pending, int inFlight, int waiting, long delivered, long deadLettered, long lost,
                         Optional<String> lastError) {
    public AuditStats {
        Objects.requireNonNull(lastError, "lastError");
    }
}
