package dev.llmmesh.governance.ratelimit;

import dev.llmmesh.BudgetExceededException;
import java.time.Instant;
import java.util.Objects;

/**
 * A per-scope rate limit is used up for the current minute. {@link #scope()} names the limit, e.g.
 * {@code team:search/rpm}; {@link #resetsAt()} is the start of the next minute. Not retryable before then.
 */
public class RateLimitExceededException extends BudgetExceededException {
    private static final long serialVersionUID = 1L;

    /** Which counter was full. */
    public enum Limit {
        /** Requests per minute. */
        REQUESTS,
        /** Tokens per minute. */
        TOKENS
    }

    private final Limit limit;

    public RateLimitExceededException(String scope, Limit limit, String message, Instant resetsAt) {
        super(scope, message, Objects.requireNonNull(resetsAt, "resetsAt"));
        this.limit = Objects.requireNonNull(limit, "limit");
    }

    /** Whether requests or tokens ran out. */
    public Limit limit() {
        return limit;
    }
}
