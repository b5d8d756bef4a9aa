package dev.llmmesh.agents.hub;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of allocating one subtask: the eligible agents best first, the rejected ones, and the agents tied at
 * the top (more than one means a tie-breaker decides).
 *
 * @param subtask  the subtask
 * @param ranked   eligible agents by skill match, then score, then id
 * @param rejected agents that cannot take it, by id, with why
 * @param tied     ids of the agents equal to the best on skill match and score (one when there is no tie)
 */
public record Allocation(Subtask subtask, List<AllocationCandidate> ranked, List<AllocationCandidate> rejected,
                         List<String> tied) {
    public Allocation {
        Objects.requireNonNull(subtask, "subtask");
        ranked = List.copyOf(ranked);
        rejected = List.copyOf(rejected);
        tied = List.copyOf(tied);
    }

    /** The best agent by the deterministic ranking (the lowest id among tied ones); empty when none is eligible. */
    public Optional<String> best() {
        return ranked.isEmpty() ? Optional.empty() : Optional.of(ranked.get(0).agentId());
    }

    /** Whether several agents are tied at the top. */
    public boolean isTie() {
        return tied.size() > 1;
    }

    /** Every candidate as one line, ranked first, then rejected. */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        ranked.forEach(c -> out.add(c.describe()));
        rejected.forEach(c -> out.add(c.describe()));
        return out;
    }
}
