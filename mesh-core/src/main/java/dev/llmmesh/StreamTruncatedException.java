package dev.llmmesh;

import dev.langchain4j.model.output.TokenUsage;
import org.jspecify.annotations.Nullable;

/**
 * A stream failed after content had already reached the caller. The mesh never replays it from another model
 * and never ends it cleanly: the caller gets this error, with the partial usage and its cost, so that what was
 * streamed is billed and audited.
 */
public class StreamTruncatedException extends MeshException {
    private static final long serialVersionUID = 1L;

    private final int chunksDelivered;
    private final transient TokenUsage partialUsage;
    private final transient Cost partialCost;

    public StreamTruncatedException(String modelId, int chunksDelivered, @Nullable Throwable cause) {
        this(modelId, chunksDelivered, new TokenUsage(0, 0), Cost.ZERO, cause);
    }

    public StreamTruncatedException(String modelId, int chunksDelivered, TokenUsage partialUsage, Cost partialCost,
                                    @Nullable Throwable cause) {
        super(ErrorKind.STREAM_TRUNCATED, "stream from " + modelId + " failed after " + chunksDelivered
                + " chunk(s) had been delivered; not replayed", modelId, null, cause);
        this.chunksDelivered = chunksDelivered;
        this.partialUsage = partialUsage;
        this.partialCost = partialCost;
    }

    /** How many content chunks the caller had received before the failure. */
    public int chunksDelivered() {
        return chunksDelivered;
    }

    /** The usage up to the cut: estimated input tokens, and output tokens counted from the streamed text. */
    public TokenUsage partialUsage() {
        return partialUsage;
    }

    /** The cost of {@link #partialUsage()} from the model's price table (unknown when it has no price). */
    public Cost partialCost() {
        return partialCost;
    }
}
