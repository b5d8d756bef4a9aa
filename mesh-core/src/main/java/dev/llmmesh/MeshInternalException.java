package dev.llmmesh;

import org.jspecify.annotations.Nullable;

/** An unexpected failure inside the mesh or an interceptor (a bug, not a provider error), or a cancelled call. */
public class MeshInternalException extends MeshException {
    private static final long serialVersionUID = 1L;

    public MeshInternalException(ErrorKind kind, String message, @Nullable Throwable cause) {
        super(kind, message, null, null, cause);
    }
}
