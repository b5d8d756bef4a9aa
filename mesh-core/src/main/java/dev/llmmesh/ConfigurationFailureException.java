package dev.llmmesh;

import dev.llmmesh.routing.RoutingDecision;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Every attempt of the call failed for a configuration reason: the provider rejected the key (401/403) or does not
 * know the model or deployment (404). No retry and no later call will fix it; fix the mesh's configuration.
 * {@link #models()} names the deployments that failed; {@link #attempts()} holds each attempt and its
 * {@link ErrorKind} ({@link ErrorKind#AUTHENTICATION} or {@link ErrorKind#NOT_FOUND}); the cause is the last failure.
 *
 * <p>Thrown instead of a {@link NoRouteException} only when nothing else went wrong: when some candidate was instead
 * overloaded, cooling down, over its bulkhead or skipped, the call ends with a {@code NoRouteException}, since
 * waiting may help. The message names the models and the kind of each failure, never a key or provider text.
 */
public class ConfigurationFailureException extends NonRetryableException {
    private static final long serialVersionUID = 1L;

    private final transient RoutingDecision decision;
    private final transient List<Attempt> attempts;
    private final List<String> models;

    /**
     * @param message     what failed, naming the models
     * @param decision    the routing decision of the call
     * @param attempts    the attempts made, each failed for a configuration reason
     * @param models      the ids of the deployments that failed, in attempt order, without repeats
     * @param lastFailure the last attempt's error
     */
    public ConfigurationFailureException(String message, RoutingDecision decision, List<Attempt> attempts,
                                         List<String> models, @Nullable Throwable lastFailure) {
        super(ErrorKind.CONFIGURATION, message, models.size() == 1 ? models.get(0) : null, lastFailure);
        this.decision = decision;
        this.attempts = List.copyOf(attempts);
        this.models = List.copyOf(models);
    }

    /** The routing decision, with every candidate scored or rejected. */
    public RoutingDecision decision() {
        return decision;
    }

    /** The attempts made, each failed with {@link ErrorKind#AUTHENTICATION} or {@link ErrorKind#NOT_FOUND}. */
    public List<Attempt> attempts() {
        return attempts;
    }

    /** The ids of the deployments whose configuration failed, in attempt order. */
    public List<String> models() {
        return models;
    }
}
