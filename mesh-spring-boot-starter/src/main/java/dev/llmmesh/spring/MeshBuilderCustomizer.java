package dev.llmmesh.spring;

import dev.llmmesh.MeshBuilder;

/**
 * Adjusts the {@link MeshBuilder} of the auto-configured mesh before the configuration ({@code mesh.yaml} or
 * {@code llmmesh.*}) is applied to it: set a state store or clock, add listeners, interceptors, route filters or
 * models written in code. Beans of this type are applied in {@link org.springframework.core.annotation.Order} order.
 * The meter and observation registries and the starter's own listener are already set when it runs.
 */
@FunctionalInterface
public interface MeshBuilderCustomizer {

    /** Changes {@code builder}; called once, at startup. */
    void customize(MeshBuilder builder);
}
