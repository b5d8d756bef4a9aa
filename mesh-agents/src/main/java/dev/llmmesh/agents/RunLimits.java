package dev.llmmesh.agents;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * The run's own limits, checked before every model and tool call. They complement, and do not replace, the mesh's
 * budgets (governance keys a budget on {@link AgentAttributes#RUN}): when either runs out the run stops cleanly with
 * {@link RunStatus#BUDGET_EXCEEDED} and a partial trace. The cost limit is checked before each call against what has
 * been spent, so a run overshoots it by at most one call; a response whose cost is unknown stops a run that has a cost
 * limit (unknown is not free).
 *
 * @param maxModelCalls the most model calls in the run
 * @param maxToolCalls  the most tool executions in the run (denied calls do not count)
 * @param maxCostUsd    the most the run may spend, in USD; empty for no limit
 */
public record RunLimits(int maxModelCalls, int maxToolCalls, Optional<BigDecimal> maxCostUsd) {
    /** 50 model calls, 100 tool calls, no cost limit. */
    public static final RunLimits DEFAULTS = new RunLimits(50, 100, Optional.empty());

    /**
     * @throws IllegalArgumentException if a count is below 1 or the cost limit is negative
     */
    public RunLimits {
        if (maxModelCalls < 1) {
            throw new IllegalArgumentException("maxModelCalls must be >= 1, got " + maxModelCalls);
        }
        if (maxToolCalls < 0) {
            throw new IllegalArgumentException("maxToolCalls must be >= 0, got " + maxToolCalls);
        }
        Objects.requireNonNull(maxCostUsd, "maxCostUsd");
        maxCostUsd.ifPresent(c -> {
            if (c.signum() < 0) {
                throw new IllegalArgumentException("maxCostUsd must be >= 0, got " + c);
            }
        });
    }

    /** A copy with at most {@code calls} model calls. */
    public RunLimits withMaxModelCalls(int calls) {
        return new RunLimits(calls, maxToolCalls, maxCostUsd);
    }

    /** A copy with at most {@code calls} tool executions. */
    public RunLimits withMaxToolCalls(int calls) {
        return new RunLimits(maxModelCalls, calls, maxCostUsd);
    }

    /** A copy with a spending limit of {@code usd}. */
    public RunLimits withMaxCost(double usd) {
        return new RunLimits(maxModelCalls, maxToolCalls, Optional.of(BigDecimal.valueOf(usd).stripTrailingZeros()));
    }
}
