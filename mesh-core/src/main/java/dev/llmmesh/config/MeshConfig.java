package dev.llmmesh.config;

import dev.llmmesh.DataClass;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshBuilder;
import dev.llmmesh.state.InMemoryStateStore;
import dev.llmmesh.catalog.Lifecycle;
import dev.llmmesh.catalog.LifecycleState;
import dev.llmmesh.catalog.Ownership;
import dev.llmmesh.client.Capability;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.client.LlmClientFactory;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.client.Pricing;
import dev.llmmesh.routing.RouterConfig;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link Mesh} from {@code mesh.yaml}.
 *
 * <pre>{@code
 * Mesh mesh = MeshConfig.loadMesh(Path.of("mesh.yaml"));
 * // or, to add more in code before building:
 * Mesh mesh = MeshConfig.load(Path.of("mesh.yaml")).addListener(myListener).build();
 * }</pre>
 *
 * <p>Core reads two sections: {@code models:} (a non-empty list; each entry becomes an {@link LlmClient} made by
 * the {@link LlmClientFactory} whose {@link LlmClientFactory#provider() provider()} matches the entry's
 * {@code provider:}) and {@code routing:} (the {@link RouterConfig}). Every other top-level section is handed to the
 * {@link MeshConfigurer} whose {@link MeshConfigurer#section() section()} matches; a section nobody claims is an
 * error. Factories and configurers are found with {@link ServiceLoader} on the thread context class loader.
 * {@code docs/configuration.md} lists every key.
 *
 * <p>{@code ${ENV_VAR}} and {@code ${ENV_VAR:-default}} are substituted in string values. Any bad input fails with
 * exactly one {@link MeshConfigException} (the first problem found), whose message starts with the path of the bad
 * value and says how to fix it, e.g. {@code models[2].pricing.input: expected a number >= 0, got "cheap" (line 14)}.
 * On failure the clients already created are closed.
 *
 * <p>Stateless and thread-safe; each call reads its own document.
 */
public final class MeshConfig {
    static final String MODELS = "models";
    static final String ROUTING = "routing";
    static final String OBSERVABILITY = "observability";
    /** A module's section applied before all others (the shared state store, e.g. mesh-redis). */
    static final String STATE = "state";
    private static final String MEMORY = "memory";
    private static final List<String> CORE_SECTIONS = List.of(MODELS, ROUTING, OBSERVABILITY);
    private static final String MODEL_EXAMPLE = "- {id: my-model, provider: openai, model: gpt-4o-mini}";

    private MeshConfig() {
    }

    /**
     * Reads {@code file} (UTF-8), substituting {@code ${VAR}} from the process environment.
     *
     * @return a builder holding the configured models, routing and sections; add more, then {@link MeshBuilder#build()}
     * @throws MeshConfigException if the file cannot be read or any value is bad
     */
    public static MeshBuilder load(Path file) {
        return load(file, System::getenv);
    }

    /**
     * Reads {@code file} (UTF-8), looking up {@code ${VAR}} with {@code env} (which returns {@code null} when unset).
     *
     * @throws MeshConfigException if the file cannot be read or any value is bad
     */
    public static MeshBuilder load(Path file, Function<String, @Nullable String> env) {
        Objects.requireNonNull(file, "file");
        return parse(read(file), env);
    }

    /**
     * Reads {@code file} and builds the mesh.
     *
     * @throws MeshConfigException if the file cannot be read or any value is bad
     */
    public static Mesh loadMesh(Path file) {
        return load(file).build();
    }

    /**
     * Parses {@code yaml}, substituting {@code ${VAR}} from the process environment.
     *
     * @throws MeshConfigException if any value is bad
     */
    public static MeshBuilder parse(String yaml) {
        return parse(yaml, System::getenv);
    }

    /**
     * Parses {@code yaml}, looking up {@code ${VAR}} with {@code env} (which returns {@code null} when unset).
     *
     * @throws MeshConfigException if any value is bad
     */
    public static MeshBuilder parse(String yaml, Function<String, @Nullable String> env) {
        return apply(ConfigNode.fromYaml(yaml, env), Mesh.builder());
    }

    /**
     * Applies a parsed document to an existing builder: for applications that set a state store, clock or
     * registries in code before the configured sections are read. Routing keys override the builder's current
     * {@link RouterConfig} one by one; an absent {@code routing:} leaves it as it is.
     *
     * <p>On failure the clients this call created are closed and {@code builder} may be partly configured: discard
     * it.
     *
     * @return {@code builder}
     * @throws MeshConfigException if any value is bad
     */
    public static MeshBuilder apply(ConfigNode root, MeshBuilder builder) {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(builder, "builder");
        Map<String, List<MeshConfigurer>> configurers = discover(MeshConfigurer.class, MeshConfigurer::section);
        Map<String, List<LlmClientFactory>> factories = discover(LlmClientFactory.class, LlmClientFactory::provider);
        checkSections(root, configurers);

        List<LlmClient> created = new ArrayList<>();
        try {
            List<ConfigNode> entries = models(root);
            Map<String, Integer> ids = new LinkedHashMap<>();
            for (int i = 0; i < entries.size(); i++) {
                created.add(model(entries.get(i), i, ids, factories));
            }
            Set<String> allIds = new LinkedHashSet<>();
            builder.models().forEach(c -> allIds.add(c.descriptor().id()));
            allIds.addAll(ids.keySet());
            RouterConfig routing = root.optionalChild(ROUTING)
                    .map(r -> RoutingSection.read(r, builder.routing(), allIds))
                    .orElse(builder.routing());
            for (int i = 0; i < created.size(); i++) {
                try {
                    builder.addModel(created.get(i));
                } catch (IllegalArgumentException e) {
                    throw entries.get(i).error("id", "a model with id \"" + created.get(i).descriptor().id()
                            + "\" is already registered on the builder; give this one another id");
                }
            }
            builder.routing(routing);
            root.optionalChild(OBSERVABILITY).ifPresent(o -> {
                o.optionalBool("legacyGenAiMetrics").ifPresent(builder::legacyGenAiMetrics);
                o.requireNoUnknownKeys();
            });
            // the state store first: budgets and rate limits take the builder's store when they are installed
            if (root.keys().contains(STATE)) {
                state(root, configurers.get(STATE), builder);
            }
            for (String section : root.keys()) {
                if (!CORE_SECTIONS.contains(section) && !section.equals(STATE)) {
                    configure(root, section, configurers.get(section).get(0), builder);
                }
            }
            root.requireNoUnknownKeys();
            return builder;
        } catch (RuntimeException e) {
            for (LlmClient client : created) {
                try {
                    client.close();
                } catch (RuntimeException ignored) {
                    // the configuration error is the one to report
                }
            }
            throw e;
        }
    }

    // ------------------------------------------------------------------ sections

    /**
     * {@code state:}: {@code memory: {maxEntries: N}} is core's bounded in-memory store; anything else belongs to the
     * module that claims the section (mesh-redis's {@code redis:}).
     */
    private static void state(ConfigNode root, @Nullable List<MeshConfigurer> claimants, MeshBuilder builder) {
        ConfigNode state = root.child(STATE);
        if (!state.has(MEMORY)) {
            if (claimants == null) {
                throw root.error(STATE, "the only store core knows is \"memory\" (state: {memory: {maxEntries: "
                        + "1000000}}); for a shared store put its module (e.g. mesh-redis) on the classpath");
            }
            configure(root, STATE, claimants.get(0), builder);
            return;
        }
        for (String key : state.keys()) {
            if (!key.equals(MEMORY)) {
                throw state.error(key, "give one store: either memory or " + key + ", not both");
            }
        }
        ConfigNode memory = state.child(MEMORY);
        int maxEntries = memory.integer("maxEntries", InMemoryStateStore.DEFAULT_MAX_ENTRIES, 1);
        memory.requireNoUnknownKeys();
        state.requireNoUnknownKeys();
        builder.stateStore(new InMemoryStateStore(builder.clock(), maxEntries));
    }

    private static void checkSections(ConfigNode root, Map<String, List<MeshConfigurer>> configurers) {
        for (String core : CORE_SECTIONS) {
            List<MeshConfigurer> claimants = configurers.get(core);
            if (claimants != null) {
                throw new MeshConfigException(core, "section \"" + core + "\" is read by core, but "
                        + classNames(claimants) + " also claims it; remove that MeshConfigurer from "
                        + "META-INF/services/dev.llmmesh.config.MeshConfigurer");
            }
        }
        Set<String> known = new LinkedHashSet<>(CORE_SECTIONS);
        known.add(STATE);
        known.addAll(configurers.keySet());
        for (String section : root.keys()) {
            if (!known.contains(section)) {
                throw root.error(section, "unknown section" + Suggestions.didYouMean(section, known)
                        + "; known sections: " + String.join(", ", known)
                        + " (a module's section is known when its jar is on the classpath)");
            }
            List<MeshConfigurer> claimants = configurers.get(section);
            if (claimants != null && claimants.size() > 1) {
                throw root.error(section, "several modules claim this section (" + classNames(claimants)
                        + "); keep only one of them on the classpath");
            }
        }
    }

    private static void configure(ConfigNode root, String section, MeshConfigurer configurer, MeshBuilder builder) {
        ConfigNode node = root.childOrEmpty(section);
        try {
            configurer.configure(node, builder);
        } catch (MeshConfigException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MeshConfigException(node.path(), "could not apply this section ("
                    + configurer.getClass().getName() + "): " + messageOf(e), e);
        }
        node.requireNoUnknownKeys();
    }

    // ------------------------------------------------------------------ models

    private static List<ConfigNode> models(ConfigNode root) {
        if (!root.has(MODELS)) {
            root.consume(MODELS);
            throw new MeshConfigException(MODELS, "required section is missing; list at least one model, e.g.\n"
                    + "models:\n  " + MODEL_EXAMPLE);
        }
        List<ConfigNode> entries = root.nodeList(MODELS);
        if (entries.isEmpty()) {
            throw root.error(MODELS, "the list is empty; add at least one model, e.g. " + MODEL_EXAMPLE);
        }
        return entries;
    }

    private static LlmClient model(ConfigNode e, int index, Map<String, Integer> ids,
                                   Map<String, List<LlmClientFactory>> factories) {
        String id = required(e, "id", "every model needs a unique id, e.g. id: openai-gpt-4o-mini");
        Integer previous = ids.putIfAbsent(id, index);
        if (previous != null) {
            throw e.error("id", "duplicate model id \"" + id + "\", already used by models[" + previous
                    + "]; give each model a unique id");
        }
        String provider = required(e, "provider", "name the provider, one of " + available(factories));
        LlmClientFactory factory = factory(e, provider, factories);
        ModelDescriptor descriptor = descriptor(e, id, provider);

        LlmClient client;
        try {
            client = factory.create(descriptor, e);
        } catch (MeshConfigException x) {
            throw x;
        } catch (RuntimeException x) {
            throw new MeshConfigException(e.path(), "provider \"" + provider + "\" could not create the client: "
                    + messageOf(x), x);
        }
        if (client == null) {
            throw new MeshConfigException(e.path(), "provider \"" + provider + "\" (" + factory.getClass().getName()
                    + ") returned no client; this is a bug in that module");
        }
        try {
            if (!id.equals(client.descriptor().id())) {
                throw new MeshConfigException(e.path(), "provider \"" + provider + "\" (" + factory.getClass().getName()
                        + ") returned a client with id \"" + client.descriptor().id() + "\" instead of \"" + id
                        + "\"; this is a bug in that module");
            }
            e.requireNoUnknownKeys();
        } catch (RuntimeException x) {
            client.close();
            throw x;
        }
        return client;
    }

    private static String required(ConfigNode e, String key, String hint) {
        if (!e.has(key)) {
            e.consume(key);
            throw e.error(key, "required key is missing; " + hint);
        }
        return e.string(key);
    }

    private static LlmClientFactory factory(ConfigNode e, String provider,
                                            Map<String, List<LlmClientFactory>> factories) {
        List<LlmClientFactory> candidates = factories.get(provider);
        if (candidates == null) {
            throw e.error("provider", "unknown provider \"" + provider + "\""
                    + Suggestions.didYouMean(provider, factories.keySet()) + "; available providers: "
                    + available(factories) + " (a provider is available when its module, such as mesh-providers, "
                    + "is on the classpath)");
        }
        if (candidates.size() > 1) {
            throw e.error("provider", "several modules provide \"" + provider + "\" (" + classNames(candidates)
                    + "); keep only one of them on the classpath");
        }
        return candidates.get(0);
    }

    private static ModelDescriptor descriptor(ConfigNode e, String id, String provider) {
        String modelName = required(e, "model", "give the provider's model name, e.g. model: gpt-4o-mini");
        ModelDescriptor.Builder b = ModelDescriptor.builder(id, provider, modelName);
        e.optionalString("description").ifPresent(b::description);
        if (e.has("capabilities")) {
            b.capabilities(capabilities(e));
        } else {
            e.consume("capabilities");
        }
        int contextWindow = e.integer("contextWindow", 8192, 1);
        int maxOutput = e.integer("maxOutputTokens", Math.min(4096, contextWindow), 1);
        if (maxOutput > contextWindow) {
            throw e.error("maxOutputTokens", "must be <= contextWindow (" + contextWindow + "), got " + maxOutput
                    + "; raise contextWindow or lower maxOutputTokens");
        }
        b.contextWindow(contextWindow).maxOutputTokens(maxOutput);
        e.optionalChild("pricing").ifPresent(p -> b.pricing(pricing(p)));
        e.optionalString("region").ifPresent(b::region);
        b.maxDataClass(e.enumValue("maxDataClass", DataClass.class, DataClass.PUBLIC));
        b.tags(Set.copyOf(e.stringList("tags")));
        b.aliases(Set.copyOf(e.stringList("aliases")));
        e.optionalChild("owner").ifPresent(o -> b.owner(owner(o)));
        e.optionalChild("lifecycle").ifPresent(l -> b.lifecycle(lifecycle(l)));
        try {
            return b.build();
        } catch (IllegalArgumentException x) {
            throw e.error(messageOf(x));
        }
    }

    private static Set<Capability> capabilities(ConfigNode e) {
        List<String> names = e.stringList("capabilities");
        Set<Capability> out = EnumSet.noneOf(Capability.class);
        for (int i = 0; i < names.size(); i++) {
            try {
                out.add(Capability.parse(names.get(i)));
            } catch (IllegalArgumentException x) {
                throw e.elementError("capabilities", i, "unknown capability \"" + names.get(i) + "\""
                        + Suggestions.didYouMean(names.get(i), ConfigNode.enumNameList(Capability.class))
                        + "; expected one of " + ConfigNode.enumNames(Capability.class));
            }
        }
        return out;
    }

    private static Pricing pricing(ConfigNode p) {
        BigDecimal input = p.decimal("input", BigDecimal.ZERO);
        BigDecimal output = p.decimal("output", BigDecimal.ZERO);
        Optional<BigDecimal> cached = p.optionalDecimal("cachedInput", BigDecimal.ZERO);
        Optional<BigDecimal> reasoning = p.optionalDecimal("reasoning", BigDecimal.ZERO);
        Optional<BigDecimal> cacheWrite = p.optionalDecimal("cacheWrite", BigDecimal.ZERO);
        p.requireNoUnknownKeys();
        return new Pricing(input, output, cached, reasoning, cacheWrite);
    }

    private static Ownership owner(ConfigNode o) {
        Ownership owner = Ownership.of(o.string("domain"), o.string("team"));
        o.requireNoUnknownKeys();
        return owner;
    }

    private static Lifecycle lifecycle(ConfigNode l) {
        LifecycleState state = l.enumValue("state", LifecycleState.class);
        Lifecycle lifecycle = new Lifecycle(state, l.optionalString("by"), l.optionalInstant("at"));
        l.requireNoUnknownKeys();
        return lifecycle;
    }

    // ------------------------------------------------------------------ plumbing

    private static <T> Map<String, List<T>> discover(Class<T> type, Function<T, String> name) {
        Map<String, List<T>> byName = new TreeMap<>();
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            ServiceLoader<T> services = loader == null ? ServiceLoader.load(type, MeshConfig.class.getClassLoader())
                    : ServiceLoader.load(type, loader);
            for (T service : services) {
                byName.computeIfAbsent(name.apply(service), k -> new ArrayList<>()).add(service);
            }
        } catch (ServiceConfigurationError e) {
            throw new MeshConfigException("", "cannot load a " + type.getSimpleName() + " listed in META-INF/services: "
                    + e.getMessage() + "; fix or remove the module that lists it", e);
        }
        return byName;
    }

    private static String available(Map<String, ? extends Collection<?>> factories) {
        return factories.isEmpty() ? "(none: no provider module is on the classpath)"
                : String.join(", ", factories.keySet());
    }

    private static String classNames(List<?> services) {
        return services.stream().map(s -> s.getClass().getName()).collect(Collectors.joining(", "));
    }

    private static String messageOf(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new MeshConfigException("", "configuration file " + file + " does not exist; check the path");
        } catch (IOException e) {
            throw new MeshConfigException("", "cannot read configuration file " + file + ": " + messageOf(e));
        }
    }
}
