package dev.llmmesh;

import org.jspecify.annotations.Nullable;

/**
 * A failure that no retry will fix: bad request, authentication, not found, content policy, exhausted quota.
 * The router never retries these. For {@link ErrorKind#AUTHENTICATION} and {@link ErrorKind#NOT_FOUND} the
 * deployment itself is broken, so the router may move on to a <em>different</em> deployment.
 */
public class NonRetryableException extends MeshException {
    private static final long serialVersionUID = 1L;

    public NonRetryableException(ErrorKind kind, String message, @Nullable String modelId, @Nullable Throwable cause) {
        super(kind, message, modelId, null, cause);
        if (kind.retryable()) {
            throw new IllegalArgumentException("kind " + kind + " is retryable; use RetryableException");
        }
    }

    /** HTTP 400/413/422. */
    public static NonRetryableException badRequest(String modelId, String message) {
        return new NonRetryableException(ErrorKind.BAD_REQUEST, message, modelId, null);
    }

    /** HTTP 401/403. */
    public static NonRetryableException authentication(String modelId, String message) {
        return new NonRetryableException(ErrorKind.AUTHENTICATION, message, modelId, null);
    }

    /** Whether this error says the deployment (not the request) is broken, so another deployment may work. */
    public boolean deploymentBroken() {
        return kind() == ErrorKind.AUTHENTICATION || kind() == ErrorKind.NOT_FOUND;
    }
}
