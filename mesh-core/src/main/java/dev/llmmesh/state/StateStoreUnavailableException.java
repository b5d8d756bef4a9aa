package dev.llmmesh.state;

import dev.llmmesh.ErrorKind;
import dev.llmmesh.MeshInternalException;
import org.jspecify.annotations.Nullable;

/** The state store did not answer in time or failed. Budgets treat this as "unknown" and fail closed by default. */
public class StateStoreUnavailableException extends MeshInternalException {
    private static final long serialVersionUID = 1L;

    public StateStoreUnavailableException(String message, @Nullable Throwable cause) {
        super(ErrorKind.INTERNAL, message, cause);
    }
}
