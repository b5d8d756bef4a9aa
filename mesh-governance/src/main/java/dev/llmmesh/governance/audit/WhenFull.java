package dev.llmmesh.governance.audit;

/**
 * What a call does when the audit outbox holds its maximum of undelivered records (the sink has been down for long).
 * Decided at admission, before any model is called, so a refused call costs nothing.
 */
public enum WhenFull {
    /** Wait for room, up to the configured block timeout, then refuse the call (the default). */
    BLOCK,
    /** Refuse the call at once: for regulated teams that must not run unaudited or wait. */
    FAIL_CLOSED
}
