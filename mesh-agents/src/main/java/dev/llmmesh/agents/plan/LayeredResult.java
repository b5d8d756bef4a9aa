package dev.llmmesh.agents.plan;

import dev.llmmesh.agents.RunStatus;
import dev.llmmesh.agents.RunTrace;
import java.util.List;
import java.util.Objects;

/**
 * The result of one goal given to a {@link LayeredOrchestrator}.
 *
 * @param status how the run ended
 * @param answer the output of the last step (empty when the run did not complete)
 * @param plans  every plan made, first to last
 * @param steps  every step executed, in order, failed ones included
 * @param trace  the run's trace
 */
public record LayeredResult(RunStatus status, String answer, List<Plan> plans, List<StepOutcome> steps,
                            RunTrace trace) {
    public LayeredResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(answer, "answer");
        plans = List.copyOf(plans);
        steps = List.copyOf(steps);
        Objects.requireNonNull(trace, "trace");
    }

    /** How many times the orchestrator replanned. */
    public int replans() {
        return Math.max(0, plans.size() - 1);
    }
}
