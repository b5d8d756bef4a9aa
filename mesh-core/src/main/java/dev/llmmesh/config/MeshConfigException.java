package dev.llmmesh.config;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A bad {@code mesh.yaml} (or bad builder input read from it). The message starts with the path of the offending
 * value, says what was expected and what was found, e.g.
 * {@code models[2].pricing.input: expected a number >= 0, got "cheap"}.
 */
public class MeshConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String path;

    public MeshConfigException(String path, String problem) {
        this(path, problem, null);
    }

    public MeshConfigException(String path, String problem, @Nullable Throwable cause) {
        super((path.isEmpty() ? "(root)" : path) + ": " + Objects.requireNonNull(problem, "problem"), cause);
        this.path = path;
    }

    /** The path of the offending value, e.g. {@code models[2].pricing.input}; empty for the document root. */
    public String path() {
        return path;
    }
}
