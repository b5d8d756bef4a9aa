package dev.llmmesh.agents.tool;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The tools a runtime can execute, by name. Immutable and thread-safe; build with {@link #builder()}.
 */
public final class Toolbox {
    private static final Toolbox EMPTY = new Toolbox(Map.of());

    private final Map<String, AgentTool> tools;

    private Toolbox(Map<String, AgentTool> tools) {
        this.tools = tools;
    }

    /** A toolbox with no tools. */
    public static Toolbox empty() {
        return EMPTY;
    }

    /** A toolbox holding {@code tools}. */
    public static Toolbox of(AgentTool... tools) {
        return builder().add(tools).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The tool named {@code name}, if present. */
    public Optional<AgentTool> find(String name) {
        return Optional.ofNullable(tools.get(name));
    }

    /** All tools, in the order they were added. */
    public List<AgentTool> all() {
        return List.copyOf(tools.values());
    }

    /** The tool names, in the order they were added. */
    public List<String> names() {
        return List.copyOf(tools.keySet());
    }

    /** A builder holding this toolbox's tools, to add more. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.tools.putAll(tools);
        return b;
    }

    @Override
    public String toString() {
        return "Toolbox" + tools.keySet();
    }

    /** Builds a {@link Toolbox}. Not thread-safe. */
    public static final class Builder {
        private final Map<String, AgentTool> tools = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Adds tools.
         *
         * @throws IllegalArgumentException if a tool's name is already taken, or its descriptor and specification
         *                                  disagree on the name
         */
        public Builder add(AgentTool... tools) {
            for (AgentTool t : tools) {
                Objects.requireNonNull(t, "tool");
                String name = t.descriptor().id();
                if (!name.equals(t.specification().name())) {
                    throw new IllegalArgumentException("tool \"" + name + "\": descriptor id and specification name \""
                            + t.specification().name() + "\" must be equal");
                }
                if (this.tools.containsKey(name)) {
                    throw new IllegalArgumentException("duplicate tool name \"" + name + "\"; tool names must be unique");
                }
                this.tools.put(name, t);
            }
            return this;
        }

        /** Adds tools. */
        public Builder addAll(Collection<? extends AgentTool> tools) {
            return add(new ArrayList<AgentTool>(tools).toArray(new AgentTool[0]));
        }

        /**
         * Adds every {@code @Tool} method of {@code target} (see {@link JavaTools#from(Object)}).
         *
         * @throws IllegalArgumentException if {@code target} has no {@code @Tool} method
         */
        public Builder addJava(Object target) {
            return addAll(JavaTools.from(target));
        }

        public Toolbox build() {
            return tools.isEmpty() ? EMPTY : new Toolbox(java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tools)));
        }
    }
}
