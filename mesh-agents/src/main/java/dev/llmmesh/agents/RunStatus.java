package dev.llmmesh.agents;

/** Where a run is, or how it ended. */
public enum RunStatus {
    /** Running. */
    RUNNING(false),
    /** Waiting for a human's answer ({@link HumanEscalation}); resumes when it comes. */
    PAUSED(false),
    /** Finished with an answer (the goal was reached, for a collaboration). */
    COMPLETED(true),
    /** A budget ran out: the mesh's (governance) or the run's own {@link RunLimits}. The trace is partial. */
    BUDGET_EXCEEDED(true),
    /** An agent used all its tool rounds without answering. */
    STEP_LIMIT(true),
    /** A collaboration used all its rounds without reaching its goal. */
    MAX_ROUNDS(true),
    /** A plan kept failing after the allowed number of replans. */
    REPLAN_LIMIT(true),
    /** A step failed in a way the pattern cannot recover from (no model could serve it, a policy denied it, …). */
    FAILED(true);

    private final boolean terminal;

    RunStatus(boolean terminal) {
        this.terminal = terminal;
    }

    /** Whether the run has ended. */
    public boolean terminal() {
        return terminal;
    }
}
