package dev.llmmesh;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The root of every error the mesh throws. Unchecked; the subclass tells the caller what to do:
 * <ul>
 *   <li>{@link RetryableException}: try again later or elsewhere (rate limited, overloaded, timeout, 5xx);</li>
 *   <li>{@link NonRetryableException}: fix the request or the configuration (bad request, auth, not found); its
 *       subclass {@link ConfigurationFailureException} when every attempt of a call failed for a configuration
 *       reason;</li>
 *   <li>{@link ContextLengthExceededException}: only a model with a larger context window can serve it;</li>
 *   <li>{@link PolicyDeniedException}: a governance rule said no;</li>
 *   <li>{@link BudgetExceededException}: a budget or rate limit is used up;</li>
 *   <li>{@link NoRouteException}: no model could serve the call, or all candidates failed;</li>
 *   <li>{@link DeadlineExceededException}: the call ran out of time.</li>
 * </ul>
 * Messages never contain secrets or prompt text.
 */
public abstract class MeshException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorKind kind;
    private final @Nullable String modelId;
    private final @Nullable Duration retryAfter;

    protected MeshException(ErrorKind kind, String message, @Nullable String modelId,
                            @Nullable Duration retryAfter, @Nullable Throwable cause) {
        super(SecretMask.mask(message), cause); // upstream text may quote a key: masked in any letter case
        this.kind = Objects.requireNonNull(kind, "kind");
        this.modelId = modelId;
        this.retryAfter = retryAfter;
    }

    /** The fine-grained reason. */
    public ErrorKind kind() {
        return kind;
    }

    /** Whether another attempt may succeed. */
    public boolean isRetryable() {
        return kind.retryable();
    }

    /** The id of the model deployment that failed, when the failure is tied to one. */
    public Optional<String> modelId() {
        return Optional.ofNullable(modelId);
    }

    /** How long the provider asked us to wait (Retry-After and friends), when it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
