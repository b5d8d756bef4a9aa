package dev.llmmesh.agents;

import dev.llmmesh.CallContext;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How to start a run: its id (generated when absent), the caller's context (tenant, team, user, data class,
 * timeout) that every step inherits, and the run's own limits.
 *
 * @param runId   the run id; empty to generate one
 * @param context the base context of every step; the runtime adds the run, agent and step attributes
 * @param limits  the run's own limits
 */
public record RunOptions(Optional<String> runId, CallContext context, RunLimits limits) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}");

    /** A generated id, an empty context and {@link RunLimits#DEFAULTS}. */
    public static final RunOptions DEFAULTS = new RunOptions(Optional.empty(), CallContext.EMPTY, RunLimits.DEFAULTS);

    /**
     * @throws IllegalArgumentException if the run id is not 1 to 128 characters of {@code [A-Za-z0-9_.:-]}
     */
    public RunOptions {
        Objects.requireNonNull(runId, "runId");
        runId.ifPresent(id -> {
            if (!ID.matcher(id).matches()) {
                throw new IllegalArgumentException("run id \"" + id + "\" is invalid: use 1 to 128 characters of "
                        + "letters, digits, '_', '.', ':' or '-'");
            }
        });
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(limits, "limits");
    }

    /** A copy with run id {@code id}. */
    public RunOptions withRunId(String id) {
        return new RunOptions(Optional.of(id), context, limits);
    }

    /** A copy whose steps inherit {@code context}. */
    public RunOptions withContext(CallContext context) {
        return new RunOptions(runId, context, limits);
    }

    /** A copy with {@code limits}. */
    public RunOptions withLimits(RunLimits limits) {
        return new RunOptions(runId, context, limits);
    }
}
