package dev.llmmesh.config;

import dev.llmmesh.MeshBuilder;

/**
 * Turns one top-level section of {@code mesh.yaml} (such as {@code governance:} or {@code rag:}) into builder
 * calls. Modules register implementations with {@link java.util.ServiceLoader} under
 * {@code META-INF/services/dev.llmmesh.config.MeshConfigurer}. A top-level key that neither core nor any configurer
 * claims is reported as unknown; two configurers claiming the same section, or one claiming a core section
 * ({@code models}, {@code routing}), is an error.
 *
 * <p>{@link MeshConfig} calls {@link #configure} once per load, for sections present in the file only, in document
 * order, after the models and routing are on the builder (so {@link MeshBuilder#models()} is complete). A section
 * written with no value ({@code governance:}) arrives as an empty node. After {@code configure} returns,
 * {@link MeshConfig} calls {@link ConfigNode#requireNoUnknownKeys()} on the section, so keys the configurer did not
 * read are reported. An exception other than {@link MeshConfigException} is wrapped in one naming the section.
 *
 * <p>Implementations need a public no-argument constructor and should be stateless; a new node and builder come with
 * every call.
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
