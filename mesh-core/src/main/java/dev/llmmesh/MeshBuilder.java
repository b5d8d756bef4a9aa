package dev.llmmesh;

import dev.llmmesh.catalog.Catalog;
import dev.llmmesh.catalog.CatalogItem;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.event.MeshListener;
import dev.llmmesh.intercept.Interceptor;
import dev.llmmesh.intercept.ToolCallGuard;
import dev.llmmesh.internal.DefaultMesh;
import dev.llmmesh.internal.ForwardingClock;
import dev.llmmesh.routing.RouteFilter;
import dev.llmmesh.routing.RouterConfig;
import dev.llmmesh.routing.Sleeper;
import dev.llmmesh.routing.Ticker;
import dev.llmmesh.state.InMemoryStateStore;
import dev.llmmesh.state.StateStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link Mesh}. Every setter validates at once and throws {@link IllegalArgumentException} naming the
 * problem; {@link #build()} checks the whole. Not thread-safe; a builder builds one mesh.
 *
 * <p>Defaults: the system UTC clock, {@link RouterConfig#defaults()}, an {@link InMemoryStateStore}, no metrics
 * and no observations (pass registries to enable them), a cached daemon thread pool for async and streaming calls.
 */
public final class MeshBuilder {
    private final Map<String, LlmClient> clients = new LinkedHashMap<>();
    private final List<Interceptor> callInterceptors = new ArrayList<>();
    private final List<Interceptor> attemptInterceptors = new ArrayList<>();
    private final List<MeshListener> listeners = new ArrayList<>();
    private final List<RouteFilter> routeFilters = new ArrayList<>();
    private final List<CatalogItem> catalogItems = new ArrayList<>();
    private final List<ToolCallGuard> toolCallGuards = new ArrayList<>();
    private final List<AutoCloseable> onClose = new ArrayList<>();
    private final ForwardingClock clock = new ForwardingClock(Clock.systemUTC());
    private final Catalog catalog = new Catalog(clock);
    private RouterConfig routerConfig = RouterConfig.defaults();
    private @Nullable StateStore stateStore;
    private boolean defaultStoreHandedOut;
    private @Nullable MeterRegistry meterRegistry;
    private @Nullable ObservationRegistry observationRegistry;
    private boolean legacyGenAiMetrics;
    private @Nullable ExecutorService executor;
    private Sleeper sleeper = Sleeper.SYSTEM;
    private Ticker ticker = Ticker.SYSTEM;
    private int firstCount;
    private boolean built;

    MeshBuilder() {
    }

    /**
     * Registers a model deployment; its descriptor also enters the catalog.
     *
     * @throws IllegalArgumentException if a model with the same id is already registered
     */
    public MeshBuilder addModel(LlmClient client) {
        Objects.requireNonNull(client, "client");
        String id = client.descriptor().id();
        if (clients.containsKey(id)) {
            throw new IllegalArgumentException("duplicate model id \"" + id + "\"; each model needs a unique id");
        }
        clients.put(id, client);
        return this;
    }

    /** Registers several model deployments. */
    public MeshBuilder addModels(List<? extends LlmClient> clients) {
        clients.forEach(this::addModel);
        return this;
    }

    /** Adds an interceptor that runs once per logical call, before routing, in registration order. */
    public MeshBuilder addCallInterceptor(Interceptor interceptor) {
        callInterceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
        return this;
    }

    /**
     * Adds a call interceptor that runs before every other one, whenever it is registered: for observers that must see
     * every call, including those a later interceptor refuses (an audit log). Several are kept in the order added.
     */
    public MeshBuilder addCallInterceptorFirst(Interceptor interceptor) {
        callInterceptors.add(firstCount++, Objects.requireNonNull(interceptor, "interceptor"));
        return this;
    }

    /**
     * Closes {@code resource} when the mesh is closed, before the model clients and the state store, in reverse order of
     * registration (so a plugin can drain buffers, e.g. an audit outbox, while its dependencies are still open).
     */
    public MeshBuilder onClose(AutoCloseable resource) {
        onClose.add(Objects.requireNonNull(resource, "resource"));
        return this;
    }

    /** Adds an interceptor that runs once per attempt on the chosen model, in registration order. */
    public MeshBuilder addAttemptInterceptor(Interceptor interceptor) {
        attemptInterceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
        return this;
    }

    /** Adds a listener; listeners are called in registration order and their exceptions are isolated. */
    public MeshBuilder addListener(MeshListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** Adds a hard routing filter, applied to every candidate and again to the model of every attempt. */
    public MeshBuilder addRouteFilter(RouteFilter filter) {
        routeFilters.add(Objects.requireNonNull(filter, "filter"));
        return this;
    }

    /** Adds a guard that {@link Mesh#checkToolCall} consults before a tool call runs. */
    public MeshBuilder addToolCallGuard(ToolCallGuard guard) {
        toolCallGuards.add(Objects.requireNonNull(guard, "guard"));
        return this;
    }

    /** Registers a catalog item other than a model (tool, knowledge base, agent). */
    public MeshBuilder addCatalogItem(CatalogItem item) {
        catalogItems.add(Objects.requireNonNull(item, "item"));
        return this;
    }

    /** Sets the router's weights, attempt cap, health window and default timeout. */
    public MeshBuilder routing(RouterConfig config) {
        this.routerConfig = Objects.requireNonNull(config, "config");
        return this;
    }

    /** The time source for deadlines, health windows, cooldowns and the catalog. Tests pass a manual clock. */
    public MeshBuilder clock(Clock clock) {
        this.clock.setDelegate(Objects.requireNonNull(clock, "clock"));
        return this;
    }

    /** Where budgets, limits and cooldowns live; defaults to an {@link InMemoryStateStore} on the mesh clock. */
    public MeshBuilder stateStore(StateStore store) {
        Objects.requireNonNull(store, "store");
        if (defaultStoreHandedOut && store != stateStore) {
            throw new IllegalStateException("the default in-memory state store was already handed to a plugin or "
                    + "configurer (budgets, rate limits); set the state store before installing them (in mesh.yaml the "
                    + "state: section is always applied first)");
        }
        this.stateStore = store;
        return this;
    }

    /** Records {@code gen_ai.client.*} and {@code mesh.*} meters to {@code registry}. No registry, no meters. */
    public MeshBuilder meterRegistry(MeterRegistry registry) {
        this.meterRegistry = Objects.requireNonNull(registry, "registry");
        return this;
    }

    /**
     * Also emits the meters under the names of the older OpenTelemetry GenAI conventions
     * ({@code gen_ai.client.operation.duration}, {@code gen_ai.client.token.usage},
     * {@code gen_ai.client.operation.time_to_first_chunk}/{@code time_per_output_chunk}) beside the current
     * {@code gen_ai.client.inference.*} ones, for dashboards not yet moved (default off; kept for one release). An
     * environment that sets {@code OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental} gets the current names
     * only, whatever this says. In {@code mesh.yaml}: {@code observability.legacyGenAiMetrics}.
     */
    public MeshBuilder legacyGenAiMetrics(boolean emit) {
        this.legacyGenAiMetrics = emit;
        return this;
    }

    /** Records an observation per call and per attempt. No registry, no observations. */
    public MeshBuilder observationRegistry(ObservationRegistry registry) {
        this.observationRegistry = Objects.requireNonNull(registry, "registry");
        return this;
    }

    /** Runs async and streaming calls on {@code executor}; the mesh does not shut it down. */
    public MeshBuilder executor(ExecutorService executor) {
        this.executor = Objects.requireNonNull(executor, "executor");
        return this;
    }

    /** How the mesh waits between attempts (backoff); tests pass one that advances a manual clock. */
    public MeshBuilder sleeper(Sleeper sleeper) {
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        return this;
    }

    /**
     * The mesh's monotonic time, in nanoseconds: the latency of each call ({@code MeshResponse.latency()}) and the
     * stream idle timeout are measured on it. Defaults to {@link Ticker#SYSTEM}; tests pass a manual ticker (the
     * testkit's {@code ManualClock} is one, give it as the clock too) so that an idle stream times out on simulated
     * time. Deadlines, health windows, cooldowns and attempt latencies stay on the {@link #clock(Clock) clock}.
     */
    public MeshBuilder ticker(Ticker ticker) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        return this;
    }

    /** Lets {@code plugin} register its parts on this builder now. */
    public MeshBuilder install(MeshPlugin plugin) {
        Objects.requireNonNull(plugin, "plugin").install(this);
        return this;
    }

    /** The clock the mesh will use (for plugins that need time). */
    public Clock clock() {
        return clock;
    }

    /** The catalog the mesh will use; plugins may keep it to look items up at call time. */
    public Catalog catalog() {
        return catalog;
    }

    /**
     * The state store the mesh will use, creating the in-memory default on first access. Once created the default is
     * kept: set your own store with {@link #stateStore(StateStore)} before plugins or configurers call this (with
     * {@code mesh.yaml}, use {@code MeshConfig.apply(root, builder)} on a builder you prepared).
     */
    public StateStore stateStore() {
        if (stateStore == null) {
            stateStore = new InMemoryStateStore(clock, InMemoryStateStore.DEFAULT_MAX_ENTRIES);
            defaultStoreHandedOut = true;
        }
        return stateStore;
    }

    /** The meter registry, if one was set. */
    public Optional<MeterRegistry> meterRegistry() {
        return Optional.ofNullable(meterRegistry);
    }

    /** The registered model clients, in registration order. */
    public List<LlmClient> models() {
        return List.copyOf(clients.values());
    }

    /** The router configuration. */
    public RouterConfig routing() {
        return routerConfig;
    }

    /** The call interceptors registered so far (unmodifiable view). */
    public List<Interceptor> callInterceptors() {
        return Collections.unmodifiableList(callInterceptors);
    }

    /** The attempt interceptors registered so far (unmodifiable view). */
    public List<Interceptor> attemptInterceptors() {
        return Collections.unmodifiableList(attemptInterceptors);
    }

    /**
     * Builds the mesh.
     *
     * @throws IllegalStateException if no model is registered, or the builder was already used
     */
    public Mesh build() {
        if (built) {
            throw new IllegalStateException("this builder already built a mesh; use a new builder");
        }
        if (clients.isEmpty()) {
            throw new IllegalStateException("no models registered; call addModel(..) at least once "
                    + "(or list them under models: in mesh.yaml)");
        }
        clients.values().forEach(c -> catalog.register(c.descriptor()));
        catalogItems.forEach(catalog::register);
        built = true;
        return new DefaultMesh(new DefaultMesh.Parts(List.copyOf(clients.values()), List.copyOf(callInterceptors),
                List.copyOf(attemptInterceptors), List.copyOf(listeners), List.copyOf(routeFilters), routerConfig,
                clock, catalog, stateStore(), meterRegistry, observationRegistry, executor, sleeper, ticker,
                List.copyOf(toolCallGuards), List.copyOf(onClose), legacyGenAiMetrics));
    }
}
