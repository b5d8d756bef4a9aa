package dev.llmmesh;

/**
 * How a module adds itself to a mesh: it receives the builder and registers clients, interceptors, listeners, route
 * filters and catalog items through the builder's ordinary methods. Core never names a module; a module never needs a
 * core method made for it. Plugins may also be discovered from {@code mesh.yaml} sections through
 * {@link dev.llmmesh.config.MeshConfigurer}.
 */
@FunctionalInterface
public interface MeshPlugin {

    /** Registers this plugin's parts on {@code builder}. Called once, from {@link MeshBuilder#install}. */
    void install(MeshBuilder builder);
}
