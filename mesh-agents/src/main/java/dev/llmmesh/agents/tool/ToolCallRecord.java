package dev.llmmesh.agents.tool;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What happened to one tool call: the request, the outcome, the result the model saw, and the policy that refused
 * it, if one did. Given to {@link ToolCallListener}s and kept in the run's trace.
 *
 * @param call     the request
 * @param outcome  executed successfully, failed, or denied before running
 * @param result   the text the model saw
 * @param deniedBy the id of the rule or policy that refused the call; empty unless {@code outcome} is DENIED
 * @param at       when the call started, by the runtime's clock
 * @param latency  how long the tool ran (zero when denied)
 */
public record ToolCallRecord(ToolCall call, Outcome outcome, String result, Optional<String> deniedBy, Instant at,
                             Duration latency) {
    public ToolCallRecord {
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(deniedBy, "deniedBy");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(latency, "latency");
    }

    /** How a tool call ended. */
    public enum Outcome {
        /** The tool ran and returned a result. */
        OK,
        /** The tool ran (or tried to) and failed, or refused its input (e.g. a rejected SQL statement). */
        ERROR,
        /** The call never ran: the tool is not allowed for the agent, unknown, not usable, or a policy said no. */
        DENIED
    }
}
