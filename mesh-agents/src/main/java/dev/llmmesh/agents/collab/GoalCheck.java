package dev.llmmesh.agents.collab;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.llmmesh.agents.AgentRun;
import dev.llmmesh.agents.AgentSpec;
import java.util.Objects;

/**
 * Whether a collaboration has reached its goal; checked after every post. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface GoalCheck {

    /** Whether the goal is reached given the blackboard now. */
    boolean reached(Blackboard board, AgentRun run);

    /** Reached when the latest post contains {@code marker} (e.g. {@code APPROVED}); no model call. */
    static GoalCheck marker(String marker) {
        Objects.requireNonNull(marker, "marker");
        if (marker.isBlank()) {
            throw new IllegalArgumentException("marker must not be blank");
        }
        return (board, run) -> board.last().map(p -> p.text().contains(marker)).orElse(false);
    }

    /** Reached when the latest post of {@code agentId} contains {@code marker}; no model call. */
    static GoalCheck markerFrom(String agentId, String marker) {
        Objects.requireNonNull(agentId, "agentId");
        GoalCheck m = marker(marker);
        return (board, run) -> board.last().filter(p -> p.agentId().equals(agentId)).isPresent()
                && m.reached(board, run);
    }

    /**
     * {@code judge} reads the blackboard and answers {@code {"reached": bool, "reason": text}} against
     * {@code goal}; an unusable answer counts as not reached.
     */
    static GoalCheck judge(AgentSpec judge, String goal) {
        Objects.requireNonNull(judge, "judge");
        Objects.requireNonNull(goal, "goal");
        JsonSchema schema = JsonSchema.builder().name("goal_check").rootElement(JsonObjectSchema.builder()
                .addBooleanProperty("reached", "whether the goal is reached").addStringProperty("reason", "why")
                .required("reached", "reason").additionalProperties(false).build()).build();
        return (board, run) -> {
            try {
                return run.askStructured(judge, "goal-check", "Goal: " + goal + "\n\n" + board.transcript()
                        + "\nIs the goal reached?", schema, (JsonNode n) -> {
                    JsonNode r = n.get("reached");
                    if (r == null || !r.isBoolean()) {
                        throw new IllegalArgumentException("\"reached\" must be true or false");
                    }
                    return r.asBoolean();
                });
            } catch (dev.llmmesh.agents.StructuredOutputException e) {
                run.note("goal check answer unusable; counted as not reached");
                return false;
            }
        };
    }
}
