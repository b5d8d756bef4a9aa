package dev.llmmesh.agents.hub;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How one agent fared in an allocation.
 *
 * @param agentId    the agent
 * @param skillMatch the share of the subtask's skills the agent has, in [0, 1]
 * @param costTerm   1 for the cheapest agent, then cheapest cost / this agent's cost; 0 when its cost is unknown
 * @param healthTerm the best recent success rate among the agent's eligible models, in [0, 1]
 * @param score      the weighted blend of cost and health, in [0, 1], rounded to 9 decimals
 * @param model      the cheapest model that may serve the agent now
 * @param rejection  why the agent cannot take the subtask; empty when it can
 */
public record AllocationCandidate(String agentId, double skillMatch, double costTerm, double healthTerm, double score,
                                  Optional<String> model, Optional<String> rejection) {
    public AllocationCandidate {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(rejection, "rejection");
    }

    static AllocationCandidate rejected(String agentId, double skillMatch, String why) {
        return new AllocationCandidate(agentId, skillMatch, 0, 0, 0, Optional.empty(), Optional.of(why));
    }

    public boolean eligible() {
        return rejection.isEmpty();
    }

    /** One line for traces: {@code billing match=1.00 score=0.950 (cost=1.000 health=0.900 via m1)}. */
    public String describe() {
        if (rejection.isPresent()) {
            return agentId + " rejected: " + rejection.get();
        }
        return String.format(Locale.ROOT, "%s match=%.2f score=%.3f (cost=%.3f health=%.3f via %s)", agentId,
                skillMatch, score, costTerm, healthTerm, model.orElse("?"));
    }
}
