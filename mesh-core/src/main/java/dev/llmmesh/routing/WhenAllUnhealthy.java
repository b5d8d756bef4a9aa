package dev.llmmesh.routing;

/** What the router does when every otherwise eligible model is cooling down or has an open breaker. */
public enum WhenAllUnhealthy {
    /** Fail at once with {@link dev.llmmesh.NoRouteException} whose {@code retryAfter} is the shortest cooldown. */
    FAIL_FAST,
    /** Try the model that failed least recently, once, ignoring its cooldown (a "panic" probe). */
    PROBE_LEAST_RECENTLY_FAILED
}
