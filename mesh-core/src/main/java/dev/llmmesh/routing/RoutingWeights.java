package dev.llmmesh.routing;

/**
 * How much each score term counts. Terms are normalised to [0, 1] (1 is best) before weighting, and the weights are
 * normalised to sum to 1, so {@code (2, 1, 1)} means the same as {@code (0.5, 0.25, 0.25)}.
 *
 * @param cost    weight of the estimated cost of this request (cheaper is better)
 * @param latency weight of the latency EWMA (faster is better)
 * @param success weight of the recent success rate
 */
public record RoutingWeights(double cost, double latency, double success) {
    /** Cost, latency and success count equally. */
    public static final RoutingWeights BALANCED = new RoutingWeights(1, 1, 1);

    /**
     * @throws IllegalArgumentException if a weight is negative or not finite, or all are zero
     */
    public RoutingWeights {
        check(cost, "cost");
        check(latency, "latency");
        check(success, "success");
        if (cost + latency + success <= 0) {
            throw new IllegalArgumentException("routing weights must not all be zero");
        }
    }

    private static void check(double w, String name) {
        if (!Double.isFinite(w) || w < 0) {
            throw new IllegalArgumentException("routing weight " + name + " must be a finite number >= 0, got " + w);
        }
    }

    double total() {
        return cost + latency + success;
    }
}
