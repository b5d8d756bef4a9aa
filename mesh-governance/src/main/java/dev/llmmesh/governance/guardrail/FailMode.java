package dev.llmmesh.governance.guardrail;

/** What a guardrail that times out or throws does; the choice is recorded in the audit event either way. */
public enum FailMode {
    /** Let the call through. */
    OPEN,
    /** Deny the call. */
    CLOSED
}
