package dev.llmmesh.agents.collab;

import java.time.Instant;
import java.util.Objects;

/**
 * One message on a {@link Blackboard}.
 *
 * @param turn    the turn number, from 1
 * @param round   the round, from 1 (a round is one turn per participant)
 * @param agentId the author
 * @param text    what it wrote
 * @param at      when, by the runtime's clock
 */
public record Post(int turn, int round, String agentId, String text, Instant at) {
    public Post {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(at, "at");
    }
}
