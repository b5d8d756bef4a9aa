package dev.llmmesh.client;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a model can do. Names in {@code mesh.yaml} are the lowercase forms, e.g. {@code json_schema}. */
public enum Capability {
    CHAT,
    STREAMING,
    TOOLS,
    PARALLEL_TOOLS,
    JSON_MODE,
    JSON_SCHEMA,
    VISION,
    AUDIO,
    REASONING,
    PROMPT_CACHING,
    EMBEDDINGS;

    /** The configuration name, e.g. {@code json_schema}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a configuration name, case-insensitively, accepting {@code -} for {@code _}.
     *
     * @throws IllegalArgumentException listing the valid names
     */
    public static Capability parse(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (Capability c : values()) {
            if (c.name().equals(n)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown capability \"" + name + "\"; expected one of "
                + Arrays.stream(values()).map(Capability::configName).collect(Collectors.joining(", ")));
    }
}
