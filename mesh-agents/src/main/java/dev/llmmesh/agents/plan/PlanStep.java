package dev.llmmesh.agents.plan;

import java.util.Locale;
import java.util.Objects;

/**
 * One step of a {@link Plan}: call a tool with JSON arguments, or ask an agent.
 *
 * @param id     unique within the run, e.g. {@code s1}
 * @param kind   tool or agent
 * @param target the tool name or the agent id
 * @param input  for a tool, its arguments as a JSON object; for an agent, the instruction
 */
public record PlanStep(String id, Kind kind, String target, String input) {
    public PlanStep {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("plan step id must not be blank");
        }
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(input, "input");
    }

    /** What a step runs. */
    public enum Kind {
        TOOL, AGENT;

        /** The JSON name, {@code tool} or {@code agent}. */
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code s1 tool sql_query}. */
    public String describe() {
        return id + " " + kind.jsonName() + " " + target;
    }
}
