package dev.llmmesh;

import org.jspecify.annotations.Nullable;

/**
 * The mesh was closed: a call made after {@link Mesh#close()} began is refused with this, and a call still in flight
 * when the drain timeout ({@code routing.drainTimeout}) ran out is abandoned with it. Kind
 * {@link ErrorKind#SHUTDOWN}; not retryable on this mesh.
 */
public class MeshClosedException extends MeshException {
    private static final long serialVersionUID = 1L;

    public MeshClosedException(String message, @Nullable Throwable cause) {
        super(ErrorKind.SHUTDOWN, message, null, null, cause);
    }
}
