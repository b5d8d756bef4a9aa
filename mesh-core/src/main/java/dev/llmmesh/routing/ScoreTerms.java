package dev.llmmesh.routing;

import dev.llmmesh.Cost;
import java.util.Objects;

/**
 * How a candidate's score was made. Each term is in [0, 1], 1 being best; {@code total} is their weighted mean.
 *
 * @param total         the weighted score the plan is ordered by
 * @param costTerm      cheapest candidate's estimate divided by this one's (1 for the cheapest)
 * @param latencyTerm   fastest candidate's latency EWMA divided by this one's (1 with no data)
 * @param successTerm   recent success rate
 * @param estimatedCost the estimated cost of this request on this model (input estimate plus max output)
 */
public record ScoreTerms(double total, double costTerm, double latencyTerm, double successTerm, Cost estimatedCost) {
    public ScoreTerms {
        Objects.requireNonNull(estimatedCost, "estimatedCost");
    }
}
