package dev.llmmesh.governance.ratelimit;

/** What rate limits do when the {@link dev.llmmesh.state.StateStore} cannot answer. */
public enum RateLimitStoreFailure {
    /**
     * Count in this process instead, allowing each instance its share ({@code limit / instances}, at least 1) of every
     * limit: degraded, never unlimited (the default).
     */
    LOCAL,
    /** Refuse the call with a {@link dev.llmmesh.state.StateStoreUnavailableException}. */
    FAIL_CLOSED
}
