package dev.llmmesh.agents.tool;

/**
 * Observes every tool call of every run: the audit hook. Methods have no-op defaults, run on the run's thread and
 * must be fast; an exception they throw is caught and logged, never propagated. Implementations must be thread-safe.
 */
public interface ToolCallListener {

    /** A tool call is about to be checked and run. */
    default void toolCallStarted(ToolCall call) {
    }

    /** A tool call ended: executed, failed or denied. */
    default void toolCallEnded(ToolCallRecord record) {
    }
}
