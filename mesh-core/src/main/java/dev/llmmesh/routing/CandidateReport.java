package dev.llmmesh.routing;

import java.util.Objects;
import java.util.Optional;

/**
 * What the router thought of one candidate: its score and place in the plan, or why it was rejected.
 *
 * @param modelId   the candidate
 * @param provider  its provider
 * @param rank      its place in the plan from 1 (1 = primary); 0 when rejected
 * @param score     its score terms; empty when rejected before scoring
 * @param rejection why it was rejected; empty when it is in the plan
 * @param health    its health when the decision was made
 * @param note      anything else worth knowing, e.g. that it was re-admitted although ejected; empty when nothing
 * @param readmitted whether it is in the plan although unhealthy (the ejection cap or a probe when every model was
 *                   unhealthy put it back), so attempts on it do not re-check its health
 */
public record CandidateReport(String modelId, String provider, int rank, Optional<ScoreTerms> score,
                              Optional<String> rejection, HealthSnapshot health, String note, boolean readmitted) {
    public CandidateReport {
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(score, "score");
        Objects.requireNonNull(rejection, "rejection");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(note, "note");
    }

    public boolean rejected() {
        return rejection.isPresent();
    }
}
