package dev.llmmesh.client;

import dev.llmmesh.config.ConfigNode;

/**
 * Turns a {@code models:} entry of {@code mesh.yaml} into an {@link LlmClient}. Provider modules register
 * implementations with {@link java.util.ServiceLoader} under {@code META-INF/services/dev.llmmesh.client.LlmClientFactory};
 * the entry's {@code provider:} key picks the factory by {@link #provider()}.
 */
public interface LlmClientFactory {

    /** The {@code provider:} value this factory serves, e.g. {@code openai}. */
    String provider();

    /**
     * Creates the client.
     *
     * @param descriptor the deployment, already parsed from the common keys
     * @param settings   the whole {@code models[i]} entry, its common keys already read; read your provider-specific keys
     *                   (e.g. {@code baseUrl}, {@code apiKey}) with its typed getters, which mark them as known: keys
     *                   nobody reads are reported as unknown after this returns
     * @throws dev.llmmesh.config.MeshConfigException naming the path and the fix for bad values
     */
    LlmClient create(ModelDescriptor descriptor, ConfigNode settings);
}
