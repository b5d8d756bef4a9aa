package dev.llmmesh.routing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The built-in strategies. Each returns a score in which higher is better; ties are broken by model id.
 * <ul>
 *   <li>{@link #balanced(RoutingWeights)}: the weighted mean of all terms (the default);</li>
 *   <li>{@link #cheapest()}: estimated cost first, success rate as a tie-breaker;</li>
 *   <li>{@link #fastest()}: latency EWMA first, success rate as a tie-breaker;</li>
 *   <li>{@link #leastBusy()}: spare capacity first;</li>
 *   <li>{@link #priority(List)}: an ordered list of model ids, unlisted models last by balanced score;</li>
 *   <li>{@link #weightedSplit(Map)}: canary percentages, e.g. {@code {stable: 90, canary: 10}}; the primary is drawn
 *       by weight with the request id as seed, the rest follow by balanced score.</li>
 * </ul>
 */
public final class RoutingStrategies {
    private RoutingStrategies() {
    }

    /** The weighted mean of the terms. */
    public static RoutingStrategy balanced(RoutingWeights weights) {
        Objects.requireNonNull(weights, "weights");
        return named("balanced", in -> weights.apply(in.terms()));
    }

    /** Cheapest first. */
    public static RoutingStrategy cheapest() {
        return named("cheapest", in -> in.terms().costTerm() * 0.9 + in.terms().successTerm() * 0.1);
    }

    /** Fastest first. */
    public static RoutingStrategy fastest() {
        return named("fastest", in -> in.terms().latencyTerm() * 0.9 + in.terms().successTerm() * 0.1);
    }

    /** Least busy first. */
    public static RoutingStrategy leastBusy() {
        return named("least-busy", in -> in.terms().loadTerm() * 0.9 + in.terms().successTerm() * 0.1);
    }

    /**
     * Models in the given order; models not listed come after, by balanced score.
     *
     * @throws IllegalArgumentException if the list is empty or has duplicates
     */
    public static RoutingStrategy priority(List<String> modelIds) {
        List<String> order = List.copyOf(modelIds);
        if (order.isEmpty() || order.stream().distinct().count() != order.size()) {
            throw new IllegalArgumentException("routing.priority must list model ids, each once, got " + modelIds);
        }
        RoutingStrategy fallback = balanced(RoutingWeights.BALANCED);
        return named("priority", in -> {
            int i = order.indexOf(in.model().id());
            return i >= 0 ? 2.0 + (order.size() - i) : fallback.score(in);
        });
    }

    /**
     * Canary percentages by model id.
     *
     * @throws IllegalArgumentException if a weight is negative or all are zero
     */
    public static RoutingStrategy weightedSplit(Map<String, Integer> percentages) {
        Map<String, Integer> split = new LinkedHashMap<>(percentages);
        if (split.isEmpty() || split.values().stream().anyMatch(v -> v == null || v < 0)
                || split.values().stream().mapToInt(Integer::intValue).sum() == 0) {
            throw new IllegalArgumentException("routing.split needs non-negative percentages, not all zero, got "
                    + percentages);
        }
        RoutingStrategy fallback = balanced(RoutingWeights.BALANCED);
        return named("weighted-split", in -> {
            String chosen = draw(split, in);
            return in.model().id().equals(chosen) ? 2.0 : fallback.score(in);
        });
    }

    private static String draw(Map<String, Integer> split, RoutingStrategy.Input in) {
        int total = 0;
        for (var m : in.eligible()) {
            total += split.getOrDefault(m.id(), 0);
        }
        if (total == 0) {
            return "";
        }
        // a stable uniform number from the request id: the same request always goes to the same model
        long h = in.requestId().hashCode() * 0x9E3779B97F4A7C15L;
        h ^= (h >>> 29);
        int ticket = (int) Math.floorMod(h, (long) total);
        for (var m : in.eligible()) {
            ticket -= split.getOrDefault(m.id(), 0);
            if (ticket < 0) {
                return m.id();
            }
        }
        return "";
    }

    private static RoutingStrategy named(String name, RoutingStrategy s) {
        return new RoutingStrategy() {
            @Override
            public double score(Input input) {
                return s.score(input);
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
