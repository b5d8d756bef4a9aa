package dev.llmmesh.agents.tool;

import java.util.Objects;

/**
 * One request of a model (or a plan step) to run a tool.
 *
 * @param runId     the run it belongs to
 * @param agentId   the agent that asked (or the orchestrator, for plan steps)
 * @param callId    the model's id for this call, echoed in the result message
 * @param toolName  the tool asked for
 * @param arguments the arguments as the model wrote them, a JSON object (not yet validated)
 */
public record ToolCall(String runId, String agentId, String callId, String toolName, String arguments) {
    public ToolCall {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(toolName, "toolName");
        Objects.requireNonNull(arguments, "arguments");
    }
}
