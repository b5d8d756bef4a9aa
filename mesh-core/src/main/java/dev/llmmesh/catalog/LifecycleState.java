package dev.llmmesh.catalog;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Where a catalog item is in its life. Only {@link #APPROVED} and {@link #DEPRECATED} items are routable. */
public enum LifecycleState {
    /** Registered, waiting for approval; never routed to. */
    PROPOSED,
    /** Approved for use. */
    APPROVED,
    /** Still usable, being phased out; discovery lists it after approved items. */
    DEPRECATED,
    /** No longer usable. */
    RETIRED;

    public boolean usable() {
        return this == APPROVED || this == DEPRECATED;
    }

    /**
     * @throws IllegalArgumentException listing the valid names
     */
    public static LifecycleState parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown lifecycle state \"" + name + "\"; expected one of "
                    + Arrays.stream(values()).map(v -> v.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")), e);
        }
    }
}
