package dev.llmmesh.governance;

/** Whether governance denials are enforced or only recorded. */
public enum GovernanceMode {
    /** Denials throw {@link dev.llmmesh.PolicyDeniedException} and denied models are filtered out. */
    ENFORCE,
    /**
     * Shadow mode: every denial is recorded (a {@code FLAG} verdict reading "dry-run: would deny ..." and an audit
     * event with {@code enforced=false}) but the call goes on. Redaction, clamping and stripping still apply (they
     * change what is sent, never whether it is sent); a PII value whose action is {@code block} is masked instead.
     */
    DRY_RUN
}
