package dev.llmmesh.config;

import dev.llmmesh.SecretMask;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A bad {@code mesh.yaml} (or bad builder input read from it). The message starts with the path of the offending
 * value ({@code (root)} for the document as a whole, e.g. a YAML syntax error), says what was expected and what was
 * found, and usually ends with the source line, e.g.
 * {@code models[2].pricing.input: expected a number >= 0, got "cheap" (line 14)}. Messages never contain secret
 * values: {@link ConfigNode} quotes values as written in the file ({@code ${VAR}} unexpanded) and never quotes
 * secret-looking ones.
 *
 * <p>Readers of the configuration usually create instances with {@link ConfigNode#error(String, String)}, which
 * fills in the path and line. Immutable.
 */
public class MeshConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String path;

    public MeshConfigException(String path, String problem) {
        this(path, problem, null);
    }

    public MeshConfigException(String path, String problem, @Nullable Throwable cause) {
        // values quoted from the file (an invalid URL, an unknown provider name) may hold a key: masked
        super(SecretMask.maskKeyLike((path.isEmpty() ? "(root)" : path) + ": "
                + Objects.requireNonNull(problem, "problem")), cause);
        this.path = path;
    }

    /** The path of the offending value, e.g. {@code models[2].pricing.input}; empty for the document root. */
    public String path() {
        return path;
    }
}
