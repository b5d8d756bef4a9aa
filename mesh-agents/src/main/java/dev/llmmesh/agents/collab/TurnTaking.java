package dev.llmmesh.agents.collab;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.llmmesh.agents.AgentRun;
import dev.llmmesh.agents.AgentSpec;
import dev.llmmesh.agents.StructuredOutputException;
import java.util.List;
import java.util.Objects;

/** Who speaks next in a {@link Collaboration}. Implementations must be thread-safe. */
public interface TurnTaking {

    /**
     * The participant for turn {@code turn} (from 1).
     *
     * @param participants the participants, in the collaboration's order
     * @return one of {@code participants}
     */
    AgentSpec next(List<AgentSpec> participants, Blackboard board, int turn, AgentRun run);

    /** Participants in order, over and over; no model call. */
    static TurnTaking roundRobin() {
        return (participants, board, turn, run) -> participants.get((turn - 1) % participants.size());
    }

    /**
     * {@code moderator} reads the blackboard and names the next speaker with structured output
     * ({@code {"next": id}}, constrained to the participants). When it keeps answering badly, round robin decides
     * that turn and the trace says so.
     */
    static TurnTaking selector(AgentSpec moderator) {
        Objects.requireNonNull(moderator, "moderator");
        return (participants, board, turn, run) -> {
            List<String> ids = participants.stream().map(AgentSpec::id).toList();
            JsonSchema schema = JsonSchema.builder().name("next_speaker").rootElement(JsonObjectSchema.builder()
                    .addEnumProperty("next", ids, "who speaks next").required("next").additionalProperties(false)
                    .build()).build();
            StringBuilder prompt = new StringBuilder("Participants:\n");
            participants.forEach(p -> prompt.append("- ").append(p.id()).append(": ").append(p.description())
                    .append('\n'));
            prompt.append('\n').append(board.transcript()).append("\nWho should speak next?");
            try {
                String id = run.askStructured(moderator, "select", prompt.toString(), schema, (JsonNode n) -> {
                    String next = n.path("next").asText("");
                    if (!ids.contains(next)) {
                        throw new IllegalArgumentException("\"next\" must be one of " + ids + ", got \"" + next + "\"");
                    }
                    return next;
                });
                return participants.get(ids.indexOf(id));
            } catch (StructuredOutputException e) {
                AgentSpec fallback = participants.get((turn - 1) % participants.size());
                run.note("selector answer unusable; round robin picks " + fallback.id());
                return fallback;
            }
        };
    }
}
