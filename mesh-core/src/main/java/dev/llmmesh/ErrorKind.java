package dev.llmmesh;

import java.util.Locale;

/**
 * The fine-grained reason a call failed. Low-cardinality by construction: {@link #code()} is what metrics use as
 * {@code error.type} and what audit records carry.
 */
public enum ErrorKind {
    /** HTTP 429 or a provider rate limit that clears with time. Retryable. */
    RATE_LIMITED(true),
    /** The provider says it is overloaded (Anthropic 529, 503). Retryable. */
    OVERLOADED(true),
    /** The provider did not answer within the per-attempt timeout. Retryable. */
    TIMEOUT(true),
    /** HTTP 5xx. Retryable. */
    SERVER_ERROR(true),
    /** The connection failed or was reset. Retryable. */
    CONNECTION(true),
    /** The provider answered with a body the client could not parse. Retryable on another model. */
    MALFORMED_RESPONSE(true),
    /**
     * The provider's answer was larger than the client's size cap ({@code maxResponseBytes}); reading stopped at the
     * cap. Not retried: the same request would bring the same answer.
     */
    RESPONSE_TOO_LARGE(false),
    /** HTTP 400/413/422: the request itself is wrong. Not retryable. */
    BAD_REQUEST(false),
    /** HTTP 401/403 or an invalid key. Not retryable on the same deployment. */
    AUTHENTICATION(false),
    /** HTTP 404: unknown model or deployment. Not retryable on the same deployment. */
    NOT_FOUND(false),
    /** The provider refused the content. Not retryable. */
    CONTENT_POLICY(false),
    /** Out of credit (OpenAI {@code insufficient_quota}): a 429 that does not clear with time. Not retryable. */
    QUOTA_EXHAUSTED(false),
    /** The prompt does not fit the model's context window; only a larger model can help. */
    CONTEXT_LENGTH(false),
    /** A stream failed after content had reached the caller; never replayed from another model. */
    STREAM_TRUNCATED(false),
    /** A governance policy denied the call or the model. */
    POLICY_DENIED(false),
    /** A budget or rate limit would be exceeded. */
    BUDGET_EXCEEDED(false),
    /** No registered model could serve the request, or every candidate failed. */
    NO_ROUTE(false),
    /**
     * Every attempt of the call failed for a configuration reason (a rejected key, an unknown model or deployment):
     * see {@link ConfigurationFailureException}. Not retryable.
     */
    CONFIGURATION(false),
    /** The call's deadline passed before it completed. */
    DEADLINE_EXCEEDED(false),
    /** The call was cancelled by the caller. */
    CANCELLED(false),
    /** The mesh is closed or closing: a new call was refused, or an in-flight one outlived the drain timeout. */
    SHUTDOWN(false),
    /** A bug or an unexpected exception inside the mesh or an interceptor. */
    INTERNAL(false);

    private final boolean retryable;
    private final String code;

    ErrorKind(boolean retryable) {
        this.retryable = retryable;
        this.code = name().toLowerCase(Locale.ROOT);
    }

    /** Whether another attempt (on this or another model) may succeed. */
    public boolean retryable() {
        return retryable;
    }

    /** Lowercase snake-case code, e.g. {@code rate_limited}; stable across releases. */
    public String code() {
        return code;
    }
}
