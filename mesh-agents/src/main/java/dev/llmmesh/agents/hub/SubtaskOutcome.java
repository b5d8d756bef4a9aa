package dev.llmmesh.agents.hub;

import java.util.Objects;
import java.util.Optional;

/**
 * What became of one subtask.
 *
 * @param subtask the subtask
 * @param agentId the agent that handled it; empty when none could (or a human did)
 * @param state   how it ended
 * @param answer  the answer (the agent's, or the human's); empty string when there is none
 */
public record SubtaskOutcome(Subtask subtask, Optional<String> agentId, State state, String answer) {
    public SubtaskOutcome {
        Objects.requireNonNull(subtask, "subtask");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(answer, "answer");
    }

    /** How a subtask ended. */
    public enum State {
        /** An agent answered. */
        ANSWERED,
        /** The agent ran out of tool rounds without answering. */
        UNANSWERED,
        /** No agent could take it, and a human answered instead. */
        ESCALATED,
        /** No agent could take it and no human answered. */
        UNALLOCATED
    }

    /** Whether the subtask has an answer. */
    public boolean hasAnswer() {
        return state == State.ANSWERED || state == State.ESCALATED;
    }
}
