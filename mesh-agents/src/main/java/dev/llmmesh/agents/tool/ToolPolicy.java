package dev.llmmesh.agents.tool;

import java.util.Optional;

/**
 * Decides whether a tool call may run, after the runtime's own checks (the tool is allowed for the agent, known and
 * usable in the catalog). Governance plugs its tool rules in here. Must be fast and thread-safe; an exception counts
 * as a denial (fail closed).
 */
@FunctionalInterface
public interface ToolPolicy {

    /**
     * Why {@code call} may not run, or empty when it may.
     *
     * @param call the request
     * @param tool the tool's current catalog entry
     */
    Optional<String> deny(ToolCall call, ToolDescriptor tool);

    /** The id reported in the trace and to listeners when this policy denies a call. */
    default String policyId() {
        return getClass().getSimpleName();
    }
}
