package dev.llmmesh.governance.policy;

import dev.llmmesh.config.MeshConfigException;
import java.util.Objects;

/**
 * An overlay tries to loosen a setting the org did not delegate. Thrown when the policy is built (from the builder
 * or {@code mesh.yaml}); the message names both rules, e.g. {@code governance.teams.checkout.maxOutputTokens: 8192
 * is looser than governance.baseline.maxOutputTokens = 4096; an overlay may only tighten it unless the baseline
 * delegates maxOutputTokens}.
 */
public class PolicyConflictException extends MeshConfigException {
    private static final long serialVersionUID = 1L;

    private final String overlayRule;
    private final String baselineRule;

    public PolicyConflictException(String overlayRule, String baselineRule, String problem) {
        super(overlayRule, problem);
        this.overlayRule = Objects.requireNonNull(overlayRule, "overlayRule");
        this.baselineRule = Objects.requireNonNull(baselineRule, "baselineRule");
    }

    /** The path of the loosening rule, e.g. {@code governance.teams.checkout.models.allow}. */
    public String overlayRule() {
        return overlayRule;
    }

    /** The path of the rule it would loosen, e.g. {@code governance.baseline.models.allow}. */
    public String baselineRule() {
        return baselineRule;
    }
}
