package dev.llmmesh;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A governance policy denied the call, or the model it would have gone to. Carries the policy id. */
public class PolicyDeniedException extends MeshException {
    private static final long serialVersionUID = 1L;

    private final String policyId;

    public PolicyDeniedException(String policyId, String message, @Nullable String modelId) {
        super(ErrorKind.POLICY_DENIED, message, modelId, null, null);
        this.policyId = Objects.requireNonNull(policyId, "policyId");
    }

    /** The id of the rule that denied the call, e.g. {@code org/models.denied}. */
    public String policyId() {
        return policyId;
    }
}
