package dev.llmmesh.agents;

import java.time.Instant;
import java.util.Objects;

/**
 * A question a run puts to a human.
 *
 * @param id       unique within the run, e.g. {@code run-7/h1}
 * @param runId    the run that is paused until the answer comes
 * @param agentId  the agent that asked
 * @param question the question, as the agent wrote it
 * @param at       when the run paused, by the runtime's clock
 */
public record EscalationRequest(String id, String runId, String agentId, String question, Instant at) {
    public EscalationRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(at, "at");
    }
}
