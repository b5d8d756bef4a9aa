package dev.llmmesh.agents.hub;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.llmmesh.agents.AgentRun;
import dev.llmmesh.agents.AgentSpec;
import dev.llmmesh.agents.StructuredOutputException;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Chooses among agents tied on skill match and score. Consulted only when a tie exists, so a hub never asks an LLM
 * for an allocation the numbers already decide. Implementations must be thread-safe.
 */
public interface TieBreaker {

    /**
     * One of {@code tied} (never empty, sorted by id).
     *
     * @return the chosen agent's id; must be one of {@code tied}
     */
    String choose(Subtask subtask, List<AgentSpec> tied, AgentRun run);

    /** The label recorded in the trace, e.g. {@code lowest-id} or {@code llm}. */
    String name();

    /** The agent with the lowest id: deterministic, no model call. */
    static TieBreaker lowestId() {
        return new TieBreaker() {
            @Override
            public String choose(Subtask subtask, List<AgentSpec> tied, AgentRun run) {
                return tied.stream().map(AgentSpec::id).min(Comparator.naturalOrder()).orElseThrow();
            }

            @Override
            public String name() {
                return "lowest-id";
            }
        };
    }

    /**
     * {@code judge} picks with structured output ({@code {"agent": id}}, the id constrained to the tied ones); when it
     * keeps answering badly, the lowest id wins and the trace says so.
     */
    static TieBreaker llm(AgentSpec judge) {
        Objects.requireNonNull(judge, "judge");
        return new TieBreaker() {
            @Override
            public String choose(Subtask subtask, List<AgentSpec> tied, AgentRun run) {
                List<String> ids = tied.stream().map(AgentSpec::id).sorted().toList();
                JsonSchema schema = JsonSchema.builder().name("choice").rootElement(JsonObjectSchema.builder()
                        .addEnumProperty("agent", ids, "the agent best suited").required("agent")
                        .additionalProperties(false).build()).build();
                StringBuilder prompt = new StringBuilder("Which agent should do this task?\nTask: ")
                        .append(subtask.instruction()).append("\nAgents:\n");
                tied.forEach(a -> prompt.append("- ").append(a.id()).append(": ").append(a.description()).append('\n'));
                try {
                    return run.askStructured(judge, "tie-break", prompt.toString(), schema, (JsonNode n) -> {
                        String id = n.path("agent").asText("");
                        if (!ids.contains(id)) {
                            throw new IllegalArgumentException("\"agent\" must be one of " + ids + ", got \"" + id + "\"");
                        }
                        return id;
                    });
                } catch (StructuredOutputException e) {
                    run.note("tie-break answer unusable; lowest id " + ids.get(0) + " chosen");
                    return ids.get(0);
                }
            }

            @Override
            public String name() {
                return "llm";
            }
        };
    }
}
