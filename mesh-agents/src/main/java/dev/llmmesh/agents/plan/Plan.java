package dev.llmmesh.agents.plan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.llmmesh.agents.internal.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A typed plan: the steps a planner chose, in order. The last step's output is the answer.
 *
 * @param revision 0 for the first plan, then one more per replan
 * @param steps    the steps, in order
 */
public record Plan(int revision, List<PlanStep> steps) {
    public Plan {
        if (revision < 0) {
            throw new IllegalArgumentException("revision must be >= 0, got " + revision);
        }
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a plan needs at least one step");
        }
    }

    /** The JSON schema planners answer with: {@code {"steps":[{"id","kind","target","input"}]}}. */
    public static JsonSchema schema() {
        return JsonSchema.builder().name("plan").rootElement(JsonObjectSchema.builder()
                .addProperty("steps", JsonArraySchema.builder().items(JsonObjectSchema.builder()
                        .addStringProperty("id", "a short unique id such as s1")
                        .addEnumProperty("kind", List.of("tool", "agent"), "call a tool or ask an agent")
                        .addStringProperty("target", "the tool name or the agent id")
                        .addStringProperty("input", "for a tool: its arguments as a JSON object; for an agent: the "
                                + "instruction")
                        .required("id", "kind", "target", "input").additionalProperties(false).build()).build())
                .required("steps").additionalProperties(false).build()).build();
    }

    /**
     * Reads and checks a planner's answer.
     *
     * @param agents  agent ids steps may target
     * @param tools   tool names steps may target
     * @param usedIds step ids already used in the run (a revised plan must not reuse them)
     * @throws IllegalArgumentException naming the first problem
     */
    public static Plan read(JsonNode node, int revision, int maxSteps, Set<String> agents, Set<String> tools,
                            Set<String> usedIds) {
        JsonNode arr = node.get("steps");
        if (arr == null || !arr.isArray() || arr.isEmpty()) {
            throw new IllegalArgumentException("\"steps\" must be a non-empty array");
        }
        if (arr.size() > maxSteps) {
            throw new IllegalArgumentException("at most " + maxSteps + " steps, got " + arr.size());
        }
        List<PlanStep> steps = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (JsonNode s : arr) {
            String id = s.path("id").asText("").strip();
            String kind = s.path("kind").asText("");
            String target = s.path("target").asText("");
            JsonNode inputNode = s.get("input");
            String input = inputNode == null ? "" : inputNode.isTextual() ? inputNode.asText() : inputNode.toString();
            if (id.isEmpty()) {
                throw new IllegalArgumentException("every step needs an id");
            }
            if (!ids.add(id) || usedIds.contains(id)) {
                throw new IllegalArgumentException("step id \"" + id + "\" is used twice; ids must be unique in the run");
            }
            PlanStep.Kind k;
            if (kind.equals("tool")) {
                k = PlanStep.Kind.TOOL;
                if (!tools.contains(target)) {
                    throw new IllegalArgumentException("step " + id + ": unknown tool \"" + target + "\" (tools: "
                            + tools.stream().sorted().toList() + ")");
                }
                Json.parseObject(input.isBlank() ? "{}" : input); // arguments must be a JSON object
                if (input.isBlank()) {
                    input = "{}";
                }
            } else if (kind.equals("agent")) {
                k = PlanStep.Kind.AGENT;
                if (!agents.contains(target)) {
                    throw new IllegalArgumentException("step " + id + ": unknown agent \"" + target + "\" (agents: "
                            + agents.stream().sorted().toList() + ")");
                }
                if (input.isBlank()) {
                    throw new IllegalArgumentException("step " + id + ": an agent step needs an instruction");
                }
            } else {
                throw new IllegalArgumentException("step " + id + ": kind must be \"tool\" or \"agent\", got \""
                        + kind + "\"");
            }
            steps.add(new PlanStep(id, k, target, input));
        }
        return new Plan(revision, steps);
    }

    /** Each step as {@code id kind target}. */
    public List<String> describe() {
        return steps.stream().map(PlanStep::describe).toList();
    }
}
