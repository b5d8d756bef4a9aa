package dev.llmmesh.agents;

/**
 * A model kept answering a structured step (a plan, a triage, a choice) with JSON that did not fit, after the
 * runtime asked it again with the error. The run records every rejected answer in its trace.
 */
public class StructuredOutputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String purpose;

    public StructuredOutputException(String purpose, String agentId, String lastProblem) {
        super(purpose + " step of agent " + agentId + " returned no valid answer: " + lastProblem);
        this.purpose = purpose;
    }

    /** The step's purpose, e.g. {@code plan}. */
    public String purpose() {
        return purpose;
    }
}
