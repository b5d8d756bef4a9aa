package dev.llmmesh.routing;

/**
 * How much each score term counts in the {@linkplain RoutingStrategies#balanced balanced} strategy. Terms are
 * normalised to [0, 1] (1 is best) before weighting, and the weights are normalised to sum to 1, so
 * {@code (2, 1, 1, 0, 0)} means the same as {@code (0.5, 0.25, 0.25, 0, 0)}.
 *
 * @param cost       weight of the estimated cost of this request (cheaper is better)
 * @param latency    weight of the latency EWMA (faster is better)
 * @param success    weight of the recent success rate
 * @param load       weight of spare capacity (fewer calls in flight is better)
 * @param preference weight of matching the preferred tags
 */
public record RoutingWeights(double cost, double latency, double success, double load, double preference) {
    /** Every term counts equally. */
    public static final RoutingWeights BALANCED = new RoutingWeights(1, 1, 1, 1, 1);

    /**
     * @throws IllegalArgumentException if a weight is negative or not finite, or all are zero
     */
    public RoutingWeights {
        check(cost, "cost");
        check(latency, "latency");
        check(success, "success");
        check(load, "load");
        check(preference, "preference");
        if (cost + latency + success + load + preference <= 0) {
            throw new IllegalArgumentException("routing weights must not all be zero");
        }
    }

    /** Cost, latency and success weights; load and preference count 1 each. */
    public RoutingWeights(double cost, double latency, double success) {
        this(cost, latency, success, 1, 1);
    }

    private static void check(double w, String name) {
        if (!Double.isFinite(w) || w < 0) {
            throw new IllegalArgumentException("routing.weights." + name + " must be a finite number >= 0, got " + w);
        }
    }

    /** The weighted mean of {@code terms}. */
    public double apply(ScoreTerms terms) {
        double total = cost + latency + success + load + preference;
        return (cost * terms.costTerm() + latency * terms.latencyTerm() + success * terms.successTerm()
                + load * terms.loadTerm() + preference * terms.preferenceTerm()) / total;
    }
}
