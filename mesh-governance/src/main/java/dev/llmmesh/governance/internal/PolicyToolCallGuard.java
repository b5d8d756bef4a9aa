package dev.llmmesh.governance.internal;

import dev.llmmesh.CallContext;
import dev.llmmesh.governance.policy.Denial;
import dev.llmmesh.intercept.ToolCallGuard;
import dev.llmmesh.routing.RouteFilter;
import java.util.Optional;

/**
 * The policy's tool allow-lists applied to tool calls about to run (agent steps ask the mesh through
 * {@code Mesh.checkToolCall}), with the id of the layer that said no. In dry-run mode the denial is only reported.
 */
public final class PolicyToolCallGuard implements ToolCallGuard {
    private final GovernanceRuntime runtime;

    public PolicyToolCallGuard(GovernanceRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public Optional<String> reject(String toolName, String arguments, CallContext context) {
        return check(toolName, arguments, context).map(RouteFilter.Rejection::reason);
    }

    @Override
    public Optional<RouteFilter.Rejection> check(String toolName, String arguments, CallContext context) {
        Optional<Denial> d = runtime.policyFor(context).checkTool(toolName);
        if (d.isEmpty() || !runtime.enforcing()) {
            return Optional.empty();
        }
        return Optional.of(new RouteFilter.Rejection(d.get().policyId(), d.get().reason()));
    }

    @Override
    public String policyId() {
        return "governance/tools";
    }
}
