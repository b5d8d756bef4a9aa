package dev.llmmesh;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A failure that another attempt may not repeat: rate limits, overload, timeouts, 5xx, broken connections,
 * malformed bodies. The router falls back on these; callers that see one got it after every permitted attempt.
 */
public class RetryableException extends MeshException {
    private static final long serialVersionUID = 1L;

    public RetryableException(ErrorKind kind, String message, @Nullable String modelId,
                              @Nullable Duration retryAfter, @Nullable Throwable cause) {
        super(kind, message, modelId, retryAfter, cause);
        if (!kind.retryable()) {
            throw new IllegalArgumentException("kind " + kind + " is not retryable; use NonRetryableException");
        }
    }

    /** HTTP 429 or an equivalent provider rate limit. */
    public static RetryableException rateLimited(String modelId, @Nullable Duration retryAfter, String message) {
        return new RetryableException(ErrorKind.RATE_LIMITED, message, modelId, retryAfter, null);
    }

    /** HTTP 5xx. */
    public static RetryableException serverError(String modelId, String message) {
        return new RetryableException(ErrorKind.SERVER_ERROR, message, modelId, null, null);
    }

    /** The attempt timed out. */
    public static RetryableException timeout(String modelId, String message) {
        return new RetryableException(ErrorKind.TIMEOUT, message, modelId, null, null);
    }
}
