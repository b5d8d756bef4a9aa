package dev.llmmesh.routing;

import dev.llmmesh.Cost;
import java.util.Objects;

/**
 * How a candidate's score was made. Each term is in [0, 1], 1 being best; {@code total} is what the strategy made of
 * them (for the balanced strategy, their weighted mean).
 *
 * @param total          the score the plan is ordered by (higher first)
 * @param costTerm       cheapest candidate's estimate divided by this one's (1 for the cheapest, 0 when unknown)
 * @param latencyTerm    fastest candidate's latency EWMA divided by this one's (1 with no data)
 * @param successTerm    recent success rate in the health window
 * @param loadTerm       spare capacity: 1 / (1 + calls in flight), or free share of the bulkhead when it has one
 * @param preferenceTerm 1 when the model has a preferred tag or domain (or nothing is preferred), else 0
 * @param estimatedCost  the estimated cost of this request on this model (input estimate plus expected output)
 */
public record ScoreTerms(double total, double costTerm, double latencyTerm, double successTerm, double loadTerm,
                         double preferenceTerm, Cost estimatedCost) {
    public ScoreTerms {
        Objects.requireNonNull(estimatedCost, "estimatedCost");
    }

    /** A copy with another total. */
    public ScoreTerms withTotal(double total) {
        return new ScoreTerms(total, costTerm, latencyTerm, successTerm, loadTerm, preferenceTerm, estimatedCost);
    }
}
