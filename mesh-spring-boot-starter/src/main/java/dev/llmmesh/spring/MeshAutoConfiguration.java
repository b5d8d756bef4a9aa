package dev.llmmesh.spring;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshBuilder;
import dev.llmmesh.config.ConfigNode;
import dev.llmmesh.config.MeshConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * Builds one {@link Mesh} for the application.
 *
 * <p>Where the configuration comes from: if any {@code mesh.yaml} key is set under {@code llmmesh.}
 * ({@code llmmesh.models[0].id}, {@code llmmesh.routing.maxAttempts}, ...), those properties are the document;
 * otherwise {@code mesh.yaml} is read from {@code llmmesh.config-location} (default {@value #DEFAULT_CONFIG_LOCATION}).
 * Both are read by {@link MeshConfig}, with the same keys and the same error messages; {@code ${VAR}} is looked up in
 * the Spring environment (which includes the process environment). Setting both is an error, and so is having
 * neither.
 *
 * <p>The builder gets the application's {@link MeterRegistry} and {@link ObservationRegistry} when there are such
 * beans, the {@link MeshActivity} listener, and every {@link MeshBuilderCustomizer}, before the configuration is
 * applied. An application that defines its own {@link Mesh} bean keeps it; the beans below then wrap that one.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"})
@ConditionalOnProperty(prefix = "llmmesh", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(MeshProperties.class)
public class MeshAutoConfiguration {
    /** Where {@code mesh.yaml} is read from by default. */
    public static final String DEFAULT_CONFIG_LOCATION = "classpath:mesh.yaml";
    private static final String LOCATION_PROPERTY = "llmmesh.config-location";

    /** The activity the {@code llmmesh} endpoint shows. */
    @Bean
    @ConditionalOnMissingBean
    public MeshActivity meshActivity(MeshProperties properties) {
        return new MeshActivity(properties.getEndpoint().getRecentDecisions(), properties.getEndpoint().getMaxTeams(),
                Clock.systemUTC());
    }

    /** The mesh, from {@code llmmesh.*} properties or {@code mesh.yaml}. */
    @Bean
    @ConditionalOnMissingBean
    public Mesh mesh(MeshProperties properties, ConfigurableEnvironment environment, ResourceLoader resourceLoader,
                     MeshActivity activity, ObjectProvider<MeterRegistry> meterRegistry,
                     ObjectProvider<ObservationRegistry> observationRegistry,
                     ObjectProvider<MeshBuilderCustomizer> customizers) {
        ConfigNode root = document(properties, environment, resourceLoader);
        MeshBuilder builder = Mesh.builder();
        meterRegistry.ifAvailable(builder::meterRegistry);
        observationRegistry.ifAvailable(builder::observationRegistry);
        builder.addListener(activity);
        customizers.orderedStream().forEach(c -> c.customize(builder));
        return MeshConfig.apply(root, builder).build();
    }

    /** Closes (drains) the mesh when the application stops. */
    @Bean
    @ConditionalOnMissingBean
    public MeshLifecycle meshLifecycle(Mesh mesh) {
        return new MeshLifecycle(mesh);
    }

    /**
     * The mesh as a langchain4j {@link ChatModel}, for AiServices and other langchain4j code. Each call takes its
     * identity from {@link dev.llmmesh.CallContext#current()} (see {@code CallContext.makeCurrent()}).
     */
    @Bean
    @ConditionalOnMissingBean(ChatModel.class)
    public ChatModel meshChatModel(Mesh mesh) {
        return mesh.asChatModel();
    }

    /** The mesh as a langchain4j {@link StreamingChatModel}; identity as for {@link #meshChatModel}. */
    @Bean
    @ConditionalOnMissingBean(StreamingChatModel.class)
    public StreamingChatModel meshStreamingChatModel(Mesh mesh) {
        return mesh.asStreamingChatModel();
    }

    static ConfigNode document(MeshProperties properties, ConfigurableEnvironment environment,
                               ResourceLoader resourceLoader) {
        Function<String, @Nullable String> lookup = name -> {
            try {
                return environment.getProperty(name);
            } catch (IllegalArgumentException unresolvable) {
                return null;
            }
        };
        Map<String, Object> tree = MeshPropertyTree.read(environment);
        if (!tree.isEmpty()) {
            if (environment.containsProperty(LOCATION_PROPERTY)) {
                throw new IllegalStateException("LLM Mesh configuration is set twice: " + LOCATION_PROPERTY + "="
                        + properties.getConfigLocation() + " and mesh keys under llmmesh. (" + String.join(", ",
                        tree.keySet()) + "); keep one: either mesh.yaml or the llmmesh.* properties");
            }
            return ConfigNode.fromTree(tree, lookup);
        }
        String location = properties.getConfigLocation();
        Resource resource = resourceLoader.getResource(location);
        if (!resource.exists()) {
            throw new IllegalStateException("no LLM Mesh configuration: " + location + " does not exist and no mesh "
                    + "key is set under llmmesh.; add mesh.yaml there, point " + LOCATION_PROPERTY + " at one, set "
                    + "the keys as properties (llmmesh.models[0].id, llmmesh.models[0].provider, "
                    + "llmmesh.models[0].model, ...), or turn the starter off with llmmesh.enabled=false");
        }
        try (InputStream in = resource.getInputStream()) {
            return ConfigNode.fromYaml(new String(in.readAllBytes(), StandardCharsets.UTF_8), lookup);
        } catch (IOException e) {
            throw new IllegalStateException("could not read LLM Mesh configuration " + location + ": " + e.getMessage(),
                    e);
        }
    }
}
