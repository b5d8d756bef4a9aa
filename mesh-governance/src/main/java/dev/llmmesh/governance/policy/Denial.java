package dev.llmmesh.governance.policy;

import java.util.Objects;

/**
 * Why a policy says no.
 *
 * @param policyId the rule, e.g. {@code team:checkout/models.deny}
 * @param reason   a short, secret-free explanation naming the rule
 */
public record Denial(String policyId, String reason) {
    public Denial {
        Objects.requireNonNull(policyId, "policyId");
        Objects.requireNonNull(reason, "reason");
    }
}
