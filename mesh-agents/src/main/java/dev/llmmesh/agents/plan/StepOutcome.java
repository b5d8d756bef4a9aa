package dev.llmmesh.agents.plan;

import java.util.Objects;

/**
 * What one plan step produced.
 *
 * @param step     the step
 * @param ok       whether it succeeded
 * @param output   the tool result or the agent's answer (the last error when it failed)
 * @param attempts how many times it ran
 */
public record StepOutcome(PlanStep step, boolean ok, String output, int attempts) {
    public StepOutcome {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(output, "output");
    }
}
