package dev.llmmesh.agents.hub;

import dev.llmmesh.agents.RunStatus;
import dev.llmmesh.agents.RunTrace;
import java.util.List;
import java.util.Objects;

/**
 * The result of one request to a {@link StarHub}.
 *
 * @param status      how the run ended
 * @param answer      the aggregated answer (partial when the run stopped early)
 * @param allocations the allocation of each subtask reached, in order
 * @param outcomes    what became of each subtask reached, in order
 * @param trace       the run's trace
 */
public record HubResult(RunStatus status, String answer, List<Allocation> allocations, List<SubtaskOutcome> outcomes,
                        RunTrace trace) {
    public HubResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(answer, "answer");
        allocations = List.copyOf(allocations);
        outcomes = List.copyOf(outcomes);
        Objects.requireNonNull(trace, "trace");
    }
}
