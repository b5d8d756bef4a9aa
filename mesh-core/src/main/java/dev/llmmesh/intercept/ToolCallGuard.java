package dev.llmmesh.intercept;

import dev.llmmesh.CallContext;
import java.util.Optional;

/**
 * Decides whether a tool call an agent (or any caller) is about to run may run. Governance registers its tool rules
 * here with {@link dev.llmmesh.MeshBuilder#addToolCallGuard(ToolCallGuard)}; tool runners ask through
 * {@link dev.llmmesh.Mesh#checkToolCall(String, String, CallContext)}, so neither module needs the other. Must be fast
 * and thread-safe; an exception counts as a denial.
 */
@FunctionalInterface
public interface ToolCallGuard {

    /**
     * Why the call may not run, or empty when it may.
     *
     * @param toolName  the tool's name as the model asked for it
     * @param arguments the arguments as the model gave them (JSON text); treat as data, never evaluate
     * @param context   the context of the step that asked for the tool (team, run id attributes, ...)
     */
    Optional<String> reject(String toolName, String arguments, CallContext context);

    /** The policy id reported with a denial; defaults to the class name. */
    default String policyId() {
        return getClass().getSimpleName();
    }

    /**
     * The denial with its policy id, or empty when the call may run. The mesh calls this; the default combines
     * {@link #reject} and {@link #policyId()}. Override it when the id depends on the rule that said no.
     */
    default Optional<dev.llmmesh.routing.RouteFilter.Rejection> check(String toolName, String arguments,
                                                                       CallContext context) {
        return reject(toolName, arguments, context).map(r -> new dev.llmmesh.routing.RouteFilter.Rejection(policyId(), r));
    }
}
