package dev.llmmesh;

import org.jspecify.annotations.Nullable;

/** The prompt does not fit the model's context window. The router falls back only to models with a larger one. */
public class ContextLengthExceededException extends MeshException {
    private static final long serialVersionUID = 1L;

    public ContextLengthExceededException(String message, @Nullable String modelId, @Nullable Throwable cause) {
        super(ErrorKind.CONTEXT_LENGTH, message, modelId, null, cause);
    }
}
