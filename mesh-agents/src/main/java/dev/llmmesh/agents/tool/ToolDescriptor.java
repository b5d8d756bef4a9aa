package dev.llmmesh.agents.tool;

import dev.llmmesh.catalog.Lifecycle;
import dev.llmmesh.catalog.LifecycleAware;
import dev.llmmesh.catalog.Ownership;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A tool as the catalog lists it: its name (the id the model calls it by), what it does, what kind it is, whether it
 * only reads, who owns it and where it is in its life. Immutable and thread-safe; copy with the {@code with…}
 * methods. Only tools whose catalog entry is approved or deprecated are ever executed.
 *
 * @param id          the tool name the model uses, 1 to 64 characters of {@code [A-Za-z0-9_-]}
 * @param description what it does (also sent to the model)
 * @param kind        Java method, SQL, HTTP or human
 * @param readOnly    whether it only reads (SQL tools always do)
 * @param owner       the domain and team that own it
 * @param lifecycle   proposed, approved, deprecated or retired
 */
public record ToolDescriptor(String id, String description, ToolKind kind, boolean readOnly, Ownership owner,
                             Lifecycle lifecycle) implements LifecycleAware<ToolDescriptor> {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /**
     * @throws IllegalArgumentException if {@code id} is not a valid tool name
     */
    public ToolDescriptor {
        requireName(id);
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(lifecycle, "lifecycle");
    }

    /** An approved, unowned tool. */
    public static ToolDescriptor of(String id, String description, ToolKind kind, boolean readOnly) {
        return new ToolDescriptor(id, description, kind, readOnly, Ownership.UNOWNED, Lifecycle.approvedByDefault());
    }

    /** A copy owned by {@code owner}. */
    public ToolDescriptor withOwner(Ownership owner) {
        return new ToolDescriptor(id, description, kind, readOnly, owner, lifecycle);
    }

    @Override
    public ToolDescriptor withLifecycle(Lifecycle lifecycle) {
        return new ToolDescriptor(id, description, kind, readOnly, owner, lifecycle);
    }

    /**
     * Checks a tool name against the rule providers enforce for function names.
     *
     * @throws IllegalArgumentException naming the rule
     */
    public static String requireName(@Nullable String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("tool name \"" + name + "\" is invalid: use 1 to 64 characters of "
                    + "letters, digits, '_' or '-'");
        }
        return name;
    }
}
