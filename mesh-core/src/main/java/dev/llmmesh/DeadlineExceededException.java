package dev.llmmesh;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** The call's deadline passed; no attempt is started after it. */
public class DeadlineExceededException extends MeshException {
    private static final long serialVersionUID = 1L;

    public DeadlineExceededException(Instant deadline, @Nullable String modelId, @Nullable Throwable cause) {
        super(ErrorKind.DEADLINE_EXCEEDED, "deadline " + deadline + " passed", modelId, null, cause);
    }
}
