package dev.llmmesh.agents;

/**
 * The {@link dev.llmmesh.CallContext} attributes and tags every agent step carries, so interceptors (budgets,
 * policy, audit) can tell runs and agents apart. Governance keys per-run budgets on {@link #RUN}.
 */
public final class AgentAttributes {
    /** Attribute: the run id; one budget scope per run. */
    public static final String RUN = "agents.run";
    /** Attribute: the pattern running ({@code single}, {@code star}, {@code layered}, {@code collaboration}). */
    public static final String PATTERN = "agents.pattern";
    /** Attribute: the agent id. */
    public static final String AGENT = "agents.agent";
    /** Attribute: the step number within the run (1 for the run's first model call). */
    public static final String STEP = "agents.step";
    /** Attribute: what the step is for ({@code agent}, {@code triage}, {@code plan}, {@code select}, …). */
    public static final String PURPOSE = "agents.purpose";
    /** Attribute: the agent's cap on one call's estimated cost, in USD (plain decimal). */
    public static final String MAX_CALL_COST_USD = "agents.maxCallCostUsd";
    /** Tag: the agent id (low cardinality: bounded by the catalog). */
    public static final String TAG_AGENT = "agent";
    /** Tag: the pattern. */
    public static final String TAG_PATTERN = "agents.pattern";

    private AgentAttributes() {
    }
}
