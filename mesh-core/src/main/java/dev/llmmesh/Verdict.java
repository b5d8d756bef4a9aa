package dev.llmmesh;

import java.util.Objects;

/**
 * What a governance step decided about a call: allowed, denied, redacted, modified or flagged, and by which rule.
 *
 * @param policyId the rule, e.g. {@code org/pii.email}
 * @param decision the outcome
 * @param detail   a short, secret-free explanation
 */
public record Verdict(String policyId, Decision decision, String detail) {
    /** The outcome of one governance check. */
    public enum Decision { ALLOW, DENY, REDACT, MODIFY, FLAG }

    public Verdict {
        Objects.requireNonNull(policyId, "policyId");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(detail, "detail");
    }
}
