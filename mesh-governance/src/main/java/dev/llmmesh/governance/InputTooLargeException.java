package dev.llmmesh.governance;

import dev.llmmesh.PolicyDeniedException;

/**
 * The request's input is larger than the policy allows: refused before routing, with no model called. The
 * in-process equivalent of HTTP 413 Payload Too Large.
 */
public class InputTooLargeException extends PolicyDeniedException {
    private static final long serialVersionUID = 1L;

    private final int inputChars;
    private final int limitChars;

    public InputTooLargeException(String policyId, int inputChars, int limitChars) {
        super(policyId, "input of " + inputChars + " characters exceeds the limit of " + limitChars + " set by "
                + policyId + " (HTTP 413 equivalent); shorten the input or ask for a higher limit", null);
        this.inputChars = inputChars;
        this.limitChars = limitChars;
    }

    /** The HTTP status a gateway would answer: 413. */
    public int httpStatus() {
        return 413;
    }

    /** Characters in the request's messages. */
    public int inputChars() {
        return inputChars;
    }

    /** The policy's limit. */
    public int limitChars() {
        return limitChars;
    }
}
