package dev.llmmesh.governance;

/**
 * The audit hook: receives every governance decision of every call (denials with their policy id, redactions,
 * modifications, flags), including denials recorded in dry-run mode and guardrail timeouts with their fail mode.
 * The tamper-evident audit log builds on this SPI.
 *
 * <p>Called synchronously on the calling thread, so keep it fast and non-blocking (hand records to a queue).
 * Must be thread-safe. An exception it throws is caught and logged (class name only), never propagated.
 */
@FunctionalInterface
public interface GovernanceAuditSink {
    /** A sink that drops everything. */
    GovernanceAuditSink NONE = event -> {
    };

    /** Records one decision. */
    void record(GovernanceEvent event);
}
