package dev.llmmesh.governance.audit;

import java.util.Objects;
import java.util.Optional;

/**
 * What one delivery run did.
 *
 * @param delivered    records the sink accepted
 * @param deadLettered records the sink rejected for good (or that could not be read), now in the dead-letter file
 * @param pending      records still waiting in the outbox
 * @param error        why delivery stopped early (the sink was unavailable); empty when the outbox was emptied
 */
public record DeliveryReport(long delivered, long deadLettered, long pending, Optional<String> error) {
    public DeliveryReport {
        Objects.requireNonNull(error, "error");
    }

    /** Whether the outbox is empty. */
    public boolean drained() {
        return pending == 0;
    }
}
