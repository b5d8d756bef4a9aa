package dev.llmmesh;

/**
 * The request itself is malformed, so the mesh refused it before any interceptor, router or provider saw it: a
 * {@code null} message, {@code maxOutputTokens} below 1, a temperature that is not a finite number, and the like.
 * {@link #field()} names the offending request field. Nothing was sent and nothing was billed; fix the request.
 */
public final class InvalidRequestException extends NonRetryableException {
    private static final long serialVersionUID = 1L;

    private final String field;

    /**
     * @param field the request field at fault, e.g. {@code parameters.maxOutputTokens} or {@code messages[2]}
     * @param problem what is wrong and how to fix it
     */
    public InvalidRequestException(String field, String problem) {
        super(ErrorKind.BAD_REQUEST, "invalid request: " + field + ": " + problem, null, null);
        this.field = field;
    }

    /** The request field at fault, e.g. {@code parameters.temperature} or {@code messages[0]}. */
    public String field() {
        return field;
    }
}
