package dev.llmmesh.agents.hub;

import dev.llmmesh.agents.AgentSpec;
import dev.llmmesh.agents.internal.CostEstimate;
import dev.llmmesh.client.Capability;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.routing.HealthSnapshot;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Deterministic task allocation: a pure function of the subtask, the agents, the model catalog and model health.
 * <ol>
 *   <li>An agent is rejected when it has none of the subtask's skills, is not usable in the catalog, or no model may
 *       serve it now (missing capabilities, cooling down or open breaker, retired, above its cost cap or without a
 *       price when it has one).</li>
 *   <li>The rest are ranked by skill match (share of the subtask's skills they have), then by score, then by id. An
 *       agent's score is that of its best eligible model: a weighted blend of a cost term (the cheapest eligible
 *       model of any agent, for a nominal step, divided by this model's cost; 0 when the price is unknown) and a
 *       health term (the model's recent success rate).</li>
 *   <li>Agents equal to the best on match and score (to 9 decimals) are tied; only then does the hub ask its
 *       tie-breaker (and, if so configured, an LLM).</li>
 * </ol>
 * Equal inputs always give equal allocations, whatever the order of the lists. Immutable and thread-safe.
 */
public final class SkillAllocator {
    private final double costWeight;
    private final double healthWeight;

    private SkillAllocator(double costWeight, double healthWeight) {
        this.costWeight = costWeight;
        this.healthWeight = healthWeight;
    }

    /** Cost and health weigh the same. */
    public static SkillAllocator defaults() {
        return new SkillAllocator(1, 1);
    }

    /**
     * Custom weights.
     *
     * @throws IllegalArgumentException if a weight is negative or not finite, or both are zero
     */
    public static SkillAllocator weighted(double cost, double health) {
        if (!(cost >= 0) || !(health >= 0) || Double.isInfinite(cost) || Double.isInfinite(health)
                || cost + health == 0) {
            throw new IllegalArgumentException("allocation weights must be finite, >= 0 and not both 0; got cost="
                    + cost + ", health=" + health);
        }
        return new SkillAllocator(cost, health);
    }

    private record Option(ModelDescriptor model, Optional<BigDecimal> cost, double health) {
    }

    /**
     * Allocates {@code subtask}.
     *
     * @param agents the hub's members as the catalog holds them now
     * @param models the catalog's models
     * @param health the mesh's model health ({@link dev.llmmesh.Mesh#health()})
     * @param now    the time to judge cooldowns by
     */
    public Allocation allocate(Subtask subtask, List<AgentSpec> agents, List<ModelDescriptor> models,
                               List<HealthSnapshot> health, Instant now) {
        Map<String, HealthSnapshot> byModel = new HashMap<>();
        health.forEach(h -> byModel.put(h.modelId(), h));
        List<ModelDescriptor> sortedModels = models.stream().sorted(Comparator.comparing(ModelDescriptor::id)).toList();
        List<AgentSpec> sortedAgents = agents.stream().sorted(Comparator.comparing(AgentSpec::id)).toList();

        Map<String, List<Option>> options = new HashMap<>();
        Map<String, Double> matches = new HashMap<>();
        List<AllocationCandidate> rejected = new ArrayList<>();
        for (AgentSpec a : sortedAgents) {
            double match = match(subtask.skills(), a.skills());
            if (!a.lifecycle().state().usable()) {
                rejected.add(AllocationCandidate.rejected(a.id(), match, "lifecycle "
                        + a.lifecycle().state().name().toLowerCase(java.util.Locale.ROOT)));
                continue;
            }
            if (match == 0) {
                rejected.add(AllocationCandidate.rejected(a.id(), 0, "no matching skill (has "
                        + a.skills().stream().sorted().toList() + ")"));
                continue;
            }
            Set<Capability> need = EnumSet.noneOf(Capability.class);
            need.addAll(a.requirements().capabilities());
            if (!a.allowedTools().isEmpty()) {
                need.add(Capability.TOOLS); // its steps carry tool specifications
            }
            List<Option> usable = new ArrayList<>();
            String why = "no usable model";
            for (ModelDescriptor m : sortedModels) {
                if (!m.lifecycle().state().usable()) {
                    continue;
                }
                if (!m.capabilities().containsAll(need)) {
                    why = "no model with " + need.stream().map(Capability::configName).sorted().toList();
                    continue;
                }
                HealthSnapshot h = byModel.get(m.id());
                if (h != null && (h.coolingDownAt(now) || h.breaker() == HealthSnapshot.BreakerState.OPEN)) {
                    why = "every capable model is cooling down or has an open breaker";
                    continue;
                }
                Optional<BigDecimal> cost = CostEstimate.nominal(m, a.requirements().maxOutputTokens());
                if (a.requirements().maxCostPerCall().isPresent()
                        && (cost.isEmpty() || cost.get().compareTo(a.requirements().maxCostPerCall().get()) > 0)) {
                    why = "no capable model within the cost cap of $"
                            + a.requirements().maxCostPerCall().get().toPlainString() + " per call";
                    continue;
                }
                usable.add(new Option(m, cost, h == null ? 1.0 : h.successRate()));
            }
            if (usable.isEmpty()) {
                rejected.add(AllocationCandidate.rejected(a.id(), match, why));
                continue;
            }
            options.put(a.id(), usable);
            matches.put(a.id(), match);
        }

        @Nullable BigDecimal cheapest = options.values().stream().flatMap(List::stream).map(Option::cost)
                .flatMap(Optional::stream).min(Comparator.naturalOrder()).orElse(null);
        double total = costWeight + healthWeight;
        List<AllocationCandidate> ranked = new ArrayList<>();
        for (AgentSpec a : sortedAgents) {
            List<Option> usable = options.get(a.id());
            if (usable == null) {
                continue;
            }
            @Nullable AllocationCandidate best = null;
            for (Option o : usable) {
                double costTerm = round9(costTerm(o.cost(), cheapest));
                double healthTerm = round9(o.health());
                double score = round9((costWeight * costTerm + healthWeight * healthTerm) / total);
                if (best == null || score > best.score()) {
                    best = new AllocationCandidate(a.id(), round9(matches.get(a.id())), costTerm, healthTerm, score,
                            Optional.of(o.model().id()), Optional.empty());
                }
            }
            ranked.add(best);
        }
        ranked.sort(Comparator.comparingDouble(AllocationCandidate::skillMatch).reversed()
                .thenComparing(Comparator.comparingDouble(AllocationCandidate::score).reversed())
                .thenComparing(AllocationCandidate::agentId));
        List<String> tied = new ArrayList<>();
        if (!ranked.isEmpty()) {
            AllocationCandidate top = ranked.get(0);
            for (AllocationCandidate c : ranked) {
                if (c.skillMatch() == top.skillMatch() && c.score() == top.score()) {
                    tied.add(c.agentId());
                }
            }
        }
        return new Allocation(subtask, ranked, rejected, tied);
    }

    private static double costTerm(Optional<BigDecimal> cost, @Nullable BigDecimal cheapest) {
        if (cost.isEmpty()) {
            return 0; // unknown is not cheap
        }
        if (cost.get().signum() == 0 || cheapest == null) {
            return 1;
        }
        return cheapest.divide(cost.get(), MathContext.DECIMAL64).doubleValue();
    }

    private static double match(Set<String> needed, Set<String> has) {
        if (needed.isEmpty()) {
            return 1.0;
        }
        long hit = needed.stream().filter(has::contains).count();
        return (double) hit / needed.size();
    }

    private static double round9(double d) {
        return Math.round(d * 1e9) / 1e9;
    }
}
