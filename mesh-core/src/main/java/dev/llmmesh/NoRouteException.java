package dev.llmmesh;

import dev.llmmesh.routing.RoutingDecision;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * No model could serve the call: every candidate was filtered out, or every permitted attempt failed.
 * {@link #decision()} explains each candidate; {@link #attempts()} lists what was tried; {@link #retryAfter()} is
 * the shortest wait that may help: the smallest of the attempts' {@code Retry-After} hints and the remaining
 * cooldowns. When every attempt failed for a configuration reason the call ends with a
 * {@link ConfigurationFailureException} instead.
 */
public class NoRouteException extends MeshException {
    private static final long serialVersionUID = 1L;

    private final transient RoutingDecision decision;
    private final transient List<Attempt> attempts;

    public NoRouteException(String message, RoutingDecision decision, List<Attempt> attempts,
                            @Nullable Duration retryAfter, @Nullable Throwable lastFailure) {
        super(ErrorKind.NO_ROUTE, message, null, retryAfter, lastFailure);
        this.decision = decision;
        this.attempts = List.copyOf(attempts);
    }

    /** The routing decision, with the reason each candidate was rejected. */
    public RoutingDecision decision() {
        return decision;
    }

    /** The attempts made before giving up (empty when nothing was eligible). */
    public List<Attempt> attempts() {
        return attempts;
    }
}
