package dev.llmmesh;

import org.jspecify.annotations.Nullable;

/**
 * A stream failed after content had already reached the caller. The mesh never replays it from another model
 * and never ends it cleanly: the caller gets this error, and the partial usage is billed and audited.
 */
public class StreamTruncatedException extends MeshException {
    private static final long serialVersionUID = 1L;

    private final int chunksDelivered;

    public StreamTruncatedException(String modelId, int chunksDelivered, @Nullable Throwable cause) {
        super(ErrorKind.STREAM_TRUNCATED, "stream from " + modelId + " failed after " + chunksDelivered
                + " chunk(s) had been delivered; not replayed", modelId, null, cause);
        this.chunksDelivered = chunksDelivered;
    }

    /** How many content chunks the caller had received before the failure. */
    public int chunksDelivered() {
        return chunksDelivered;
    }
}
