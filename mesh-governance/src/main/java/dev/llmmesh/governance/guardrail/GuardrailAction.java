package dev.llmmesh.governance.guardrail;

import java.util.Locale;

/**
 * What a guardrail does when it fires, from the least to the most protective ({@link #strictness()} is what policy
 * overlays are compared by).
 */
public enum GuardrailAction {
    /** Let the call through and record a {@code FLAG} verdict (and an audit event). */
    WARN,
    /** Rewrite the offending part (for PII leaks: mask it) and record a {@code REDACT} verdict. */
    REDACT,
    /** Deny the call with a {@link dev.llmmesh.PolicyDeniedException} naming the guardrail's policy id. */
    BLOCK;

    /** 0 for {@link #WARN} up to 2 for {@link #BLOCK}. */
    public int strictness() {
        return ordinal();
    }

    /** The name used in {@code mesh.yaml}, e.g. {@code block}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a config name (either case).
     *
     * @throws IllegalArgumentException naming the allowed values
     */
    public static GuardrailAction parse(String name) {
        for (GuardrailAction a : values()) {
            if (a.name().equalsIgnoreCase(name.trim())) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown guardrail action \"" + name + "\"; expected one of warn, redact, "
                + "block");
    }
}
