package dev.llmmesh.governance.guardrail;

import java.util.Objects;

/**
 * What one guardrail check found.
 *
 * @param fired  whether the guardrail's condition holds (the configured action then applies)
 * @param score  a score in [0, 1] where the guardrail has one (1 for yes/no checks that fired, 0 otherwise)
 * @param detail a short, secret-free explanation; never the checked text itself
 */
public record GuardrailResult(boolean fired, double score, String detail) {
    /** Nothing found. */
    public static final GuardrailResult PASS = new GuardrailResult(false, 0, "passed");

    public GuardrailResult {
        Objects.requireNonNull(detail, "detail");
        if (!(score >= 0 && score <= 1)) {
            throw new IllegalArgumentException("score must be in [0, 1], got " + score);
        }
    }

    /** A finding with score 1. */
    public static GuardrailResult fire(String detail) {
        return new GuardrailResult(true, 1, detail);
    }
}
