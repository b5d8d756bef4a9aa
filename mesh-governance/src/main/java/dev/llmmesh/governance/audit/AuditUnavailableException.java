package dev.llmmesh.governance.audit;

import dev.llmmesh.ErrorKind;
import dev.llmmesh.RetryableException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A call was refused before any model was called because its audit record could not be guaranteed: the outbox is
 * full (the sink has been down for long) and the policy is to fail closed, or waiting for room timed out. Retryable
 * later, once the sink recovers.
 */
public class AuditUnavailableException extends RetryableException {
    private static final long serialVersionUID = 1L;

    public AuditUnavailableException(String message, @Nullable Duration retryAfter) {
        super(ErrorKind.OVERLOADED, message, null, retryAfter, null);
    }
}
