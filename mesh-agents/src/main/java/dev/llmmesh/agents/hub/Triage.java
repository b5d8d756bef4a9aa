package dev.llmmesh.agents.hub;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.llmmesh.agents.AgentRun;
import dev.llmmesh.agents.AgentSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Splits a request into subtasks, each needing some skills. Implementations must be thread-safe; model calls go
 * through {@code run} so they are routed, budgeted and traced like any step.
 */
@FunctionalInterface
public interface Triage {

    /**
     * The subtasks of {@code request}, in the order they should run.
     *
     * @param members the hub's agents as the catalog holds them (their skills are the vocabulary)
     */
    List<Subtask> split(String request, List<AgentSpec> members, AgentRun run);

    /** The whole request as one subtask needing {@code skills} (no model call). */
    static Triage fixed(String... skills) {
        Set<String> s = Set.of(skills);
        return (request, members, run) -> List.of(new Subtask("t1", s, request));
    }

    /**
     * An agent splits the request with structured output: {@code {"subtasks":[{"skill": …, "instruction": …}]}},
     * the skill chosen from the members' skills. At most {@code maxSubtasks} subtasks.
     *
     * @throws IllegalArgumentException if {@code maxSubtasks} is below 1
     */
    static Triage llm(AgentSpec triager, int maxSubtasks) {
        Objects.requireNonNull(triager, "triager");
        if (maxSubtasks < 1) {
            throw new IllegalArgumentException("maxSubtasks must be >= 1, got " + maxSubtasks);
        }
        return (request, members, run) -> {
            Set<String> skills = new TreeSet<>();
            members.forEach(m -> skills.addAll(m.skills()));
            if (skills.isEmpty()) {
                throw new IllegalStateException("the hub's agents declare no skills; triage has nothing to choose from");
            }
            JsonSchema schema = JsonSchema.builder().name("triage").rootElement(JsonObjectSchema.builder()
                    .addProperty("subtasks", JsonArraySchema.builder().items(JsonObjectSchema.builder()
                            .addEnumProperty("skill", List.copyOf(skills), "the skill this part needs")
                            .addStringProperty("instruction", "what the specialist must do, self-contained")
                            .required("skill", "instruction").additionalProperties(false).build()).build())
                    .required("subtasks").additionalProperties(false).build()).build();
            StringBuilder prompt = new StringBuilder("Split this request into at most ").append(maxSubtasks)
                    .append(" parts, one per specialist needed. Specialists:\n");
            for (AgentSpec m : members) {
                prompt.append("- ").append(m.skills().stream().sorted().toList()).append(": ")
                        .append(m.description()).append('\n');
            }
            prompt.append("\nRequest:\n").append(request);
            return run.askStructured(triager, "triage", prompt.toString(), schema, node -> read(node, skills, maxSubtasks));
        };
    }

    private static List<Subtask> read(JsonNode node, Set<String> skills, int max) {
        JsonNode arr = node.get("subtasks");
        if (arr == null || !arr.isArray() || arr.isEmpty()) {
            throw new IllegalArgumentException("\"subtasks\" must be a non-empty array");
        }
        if (arr.size() > max) {
            throw new IllegalArgumentException("at most " + max + " subtasks, got " + arr.size());
        }
        List<Subtask> out = new ArrayList<>();
        int i = 0;
        for (JsonNode t : arr) {
            i++;
            String skill = t.path("skill").asText("");
            String instruction = t.path("instruction").asText("");
            if (!skills.contains(skill)) {
                throw new IllegalArgumentException("subtask " + i + ": skill \"" + skill + "\" is not one of " + skills);
            }
            if (instruction.isBlank()) {
                throw new IllegalArgumentException("subtask " + i + ": instruction is empty");
            }
            out.add(new Subtask("t" + i, Set.of(skill), instruction));
        }
        return out;
    }
}
