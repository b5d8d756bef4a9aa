package dev.llmmesh.config;

import dev.llmmesh.MeshBuilder;

/**
 * Turns one top-level section of {@code mesh.yaml} (such as {@code governance:} or {@code rag:}) into builder
 * calls. Modules register implementations with {@link java.util.ServiceLoader} under
 * {@code META-INF/services/dev.llmmesh.config.MeshConfigurer}. A top-level key that neither core nor any configurer
 * claims is reported as unknown.
 */
public interface MeshConfigurer {

    /** The top-level key this configurer reads, e.g. {@code governance}. */
    String section();

    /**
     * Applies the section to {@code builder}. Read values with {@link ConfigNode}'s typed getters (which record what
     * was read), and finish with {@link ConfigNode#requireNoUnknownKeys()} so typos are reported.
     *
     * @throws MeshConfigException naming the path and the fix
     */
    void configure(ConfigNode section, MeshBuilder builder);
}
