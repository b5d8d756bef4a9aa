package dev.llmmesh.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What every {@link ConfigNode} of one document shares: the environment lookup used for {@code ${VAR}} substitution
 * and the source line of every key and list element (for error messages). Read-only after parsing.
 */
final class ConfigSource {
    private final Function<String, @Nullable String> env;
    private final Map<JsonNode, Map<String, Integer>> keyLines;
    private final Map<JsonNode, List<Integer>> elementLines;

    ConfigSource(Function<String, @Nullable String> env, IdentityHashMap<JsonNode, Map<String, Integer>> keyLines,
                 IdentityHashMap<JsonNode, List<Integer>> elementLines) {
        this.env = Objects.requireNonNull(env, "env");
        this.keyLines = keyLines;
        this.elementLines = elementLines;
    }

    Function<String, @Nullable String> env() {
        return env;
    }

    /** The 1-based line of {@code key} in mapping {@code container}, or 0 when unknown. */
    int lineOf(JsonNode container, String key) {
        Map<String, Integer> lines = keyLines.get(container);
        Integer line = lines == null ? null : lines.get(key);
        return line == null ? 0 : line;
    }

    /** The 1-based line of element {@code index} of list {@code container}, or 0 when unknown. */
    int lineOf(JsonNode container, int index) {
        List<Integer> lines = elementLines.get(container);
        return lines == null || index >= lines.size() ? 0 : lines.get(index);
    }
}
