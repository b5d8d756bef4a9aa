package dev.llmmesh.internal;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.llmmesh.CallContext;
import dev.llmmesh.ErrorKind;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshException;
import dev.llmmesh.MeshInternalException;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.catalog.Catalog;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.event.MeshEvent;
import dev.llmmesh.event.MeshListener;
import dev.llmmesh.intercept.Interceptor;
import dev.llmmesh.observation.MeshMetricNames;
import dev.llmmesh.routing.HealthSnapshot;
import dev.llmmesh.routing.RouteFilter;
import dev.llmmesh.routing.RouterConfig;
import dev.llmmesh.routing.Sleeper;
import dev.llmmesh.routing.Ticker;
import dev.llmmesh.state.StateStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** The mesh: runs the call chain, routes, attempts, falls back, measures. */
public final class DefaultMesh implements Mesh {

    /** Everything the builder collected. */
    public record Parts(List<LlmClient> clients, List<Interceptor> callInterceptors,
                        List<Interceptor> attemptInterceptors, List<MeshListener> listeners,
                        List<RouteFilter> routeFilters, RouterConfig routerConfig, Clock clock, Catalog catalog,
                        StateStore stateStore, @Nullable MeterRegistry meterRegistry,
                        @Nullable ObservationRegistry observationRegistry, @Nullable ExecutorService executor,
                        Sleeper sleeper, Ticker ticker, List<dev.llmmesh.intercept.ToolCallGuard> toolCallGuards,
                        List<AutoCloseable> onClose, boolean legacyGenAiMetrics) {
    }

    private final Map<String, ModelRuntime> runtimes = new LinkedHashMap<>();
    private final List<ModelRuntime> runtimeList;
    private final CallPath callPath;
    private final List<Interceptor> callInterceptors;
    private final Listeners listeners;
    private final RouterConfig config;
    private final List<dev.llmmesh.intercept.ToolCallGuard> toolCallGuards;
    private final List<AutoCloseable> onClose;
    private final Clock clock;
    private final Ticker ticker;
    private final Catalog catalog;
    private final StateStore stateStore;
    private final MeshMetrics metrics;
    private final @Nullable ObservationRegistry observations;
    private final ExecutorService executor;
    private final boolean ownsExecutor;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Calls accepted and not yet ended; close() waits for it to reach 0, up to the drain timeout. */
    private final AtomicInteger running = new AtomicInteger();
    private final Object drained = new Object();
    /** Set when the drain timeout ran out: whatever still fails, fails because the mesh abandoned it. */
    private volatile boolean abandoning;

    public DefaultMesh(Parts parts) {
        this.callInterceptors = parts.callInterceptors();
        MeshLog log = new MeshLog(parts.clock());
        List<MeshListener> all = new ArrayList<>(parts.listeners());
        all.add(log);
        this.listeners = new Listeners(List.copyOf(all));
        this.config = parts.routerConfig();
        this.toolCallGuards = parts.toolCallGuards();
        this.onClose = parts.onClose();
        this.clock = parts.clock();
        this.ticker = parts.ticker();
        this.catalog = parts.catalog();
        this.stateStore = parts.stateStore();
        this.metrics = new MeshMetrics(parts.meterRegistry(), MeshMetricNames.legacyNamesEmitted(
                parts.legacyGenAiMetrics(), System.getenv(MeshMetricNames.SEMCONV_OPT_IN_ENV)));
        this.observations = parts.observationRegistry();
        for (LlmClient c : parts.clients()) {
            ModelRuntime rt = new ModelRuntime(c, config, clock, log);
            runtimes.put(rt.id, rt);
            metrics.healthGauge(c.descriptor(), rt.health);
        }
        this.runtimeList = List.copyOf(runtimes.values());
        if (parts.executor() != null) {
            this.executor = parts.executor();
            this.ownsExecutor = false;
        } else {
            this.executor = Executors.newCachedThreadPool(daemonThreads());
            this.ownsExecutor = true;
        }
        this.callPath = new CallPath(new CallPath.Parts(new Deployments(runtimes, catalog), callInterceptors,
                parts.attemptInterceptors(), parts.routeFilters(), config, listeners, metrics, observations, clock,
                ticker, parts.sleeper(), executor));
    }

    // ------------------------------------------------------------------ public API

    @Override
    public MeshResponse chat(ChatRequest request, CallContext context) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(context, "context");
        RequestValidation.check(request);
        enter();
        try {
            return execute(request, context, null);
        } finally {
            exit();
        }
    }

    @Override
    public CompletableFuture<MeshResponse> chatAsync(ChatRequest request, CallContext context) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(context, "context");
        RequestValidation.check(request);
        enter();
        AsyncCall call = new AsyncCall();
        try {
            executor.execute(() -> {
                try {
                    if (!call.start()) {
                        return; // cancelled before it started: no provider call at all
                    }
                    MeshResponse response;
                    try {
                        response = execute(request, context, null);
                    } finally {
                        call.end();
                    }
                    call.complete(response);
                } catch (Throwable t) {
                    call.completeExceptionally(t);
                } finally {
                    exit();
                }
            });
        } catch (RuntimeException e) {
            exit();
            throw e;
        }
        return call;
    }

    /**
     * The future of {@link #chatAsync}: cancelling it interrupts the thread running the call, which aborts the HTTP
     * exchange in flight (the provider client cancels it on interrupt), ends the attempt as
     * {@link ErrorKind#CANCELLED} and bills nothing the provider did not report. The interrupt never outlives the
     * call: it is cleared before the worker thread goes back to the executor.
     */
    private static final class AsyncCall extends CompletableFuture<MeshResponse> {
        private @Nullable Thread worker;
        private boolean ended;

        synchronized boolean start() {
            if (isCancelled()) {
                ended = true;
                return false;
            }
            worker = Thread.currentThread();
            return true;
        }

        void end() {
            synchronized (this) {
                worker = null;
                ended = true;
            }
            Thread.interrupted(); // a cancel that raced the end of the call must not reach the next task
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled) {
                synchronized (this) {
                    if (!ended && worker != null) {
                        worker.interrupt();
                    }
                }
            }
            return cancelled;
        }
    }

    @Override
    public CompletableFuture<MeshResponse> stream(ChatRequest request, CallContext context,
                                                  StreamingChatResponseHandler handler) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(handler, "handler");
        RequestValidation.check(request);
        enter();
        StreamSink sink = new StreamSink(handler);
        CompletableFuture<MeshResponse> future = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                sink.cancel();
                return super.cancel(mayInterruptIfRunning);
            }
        };
        Runnable work = () -> {
            sink.worker(Thread.currentThread());
            try {
                MeshResponse response = execute(request, context, sink);
                sink.flush();
                if (!sink.committed()) {
                    sink.deliverWhole(response.text()); // an interceptor answered, or the client did not stream
                }
                sink.worker(null);
                if (!sink.cancelled()) {
                    safely(() -> handler.onCompleteResponse(response.chatResponse()));
                }
                future.complete(response);
            } catch (Throwable t) {
                sink.worker(null);
                Thread.interrupted(); // clear a cancel interrupt before handing over
                safely(() -> handler.onError(t));
                future.completeExceptionally(t);
            } finally {
                exit();
            }
        };
        try {
            executor.execute(work);
        } catch (RuntimeException e) {
            exit();
            throw e;
        }
        return future;
    }

    @Override
    public ChatModel asChatModel(CallContext context) {
        return new MeshChatModel(this, Objects.requireNonNull(context, "context"));
    }

    @Override
    public StreamingChatModel asStreamingChatModel(CallContext context) {
        return new MeshStreamingChatModel(this, Objects.requireNonNull(context, "context"));
    }

    @Override
    public Optional<dev.llmmesh.Verdict> checkToolCall(String toolName, String arguments, CallContext context) {
        Objects.requireNonNull(toolName, "toolName");
        Objects.requireNonNull(arguments, "arguments");
        Objects.requireNonNull(context, "context");
        Optional<dev.llmmesh.Verdict> denial = Optional.empty();
        for (dev.llmmesh.intercept.ToolCallGuard guard : toolCallGuards) {
            Optional<RouteFilter.Rejection> r;
            try {
                r = guard.check(toolName, arguments, context);
            } catch (RuntimeException e) {
                r = Optional.of(new RouteFilter.Rejection(guard.policyId(),
                        "guard failed (" + e.getClass().getSimpleName() + "); denied by default"));
            }
            if (r.isPresent()) {
                denial = Optional.of(new dev.llmmesh.Verdict(r.get().policyId(), dev.llmmesh.Verdict.Decision.DENY,
                        "tool " + toolName + ": " + r.get().reason()));
                break;
            }
        }
        String id = context.requestId().orElse(context.attributes().getOrDefault("agents.run", "-"));
        listeners.fire(new MeshEvent.ToolCallChecked(id, toolName, context, denial), MeshListener::toolCallChecked);
        return denial;
    }

    @Override
    public Catalog catalog() {
        return catalog;
    }

    @Override
    public List<HealthSnapshot> health() {
        Instant now = clock.instant();
        return runtimeList.stream().map(rt -> rt.snapshot(now))
                .sorted(java.util.Comparator.comparing(HealthSnapshot::modelId)).toList();
    }

    /**
     * Refuses new calls at once ({@link dev.llmmesh.MeshClosedException}), waits up to
     * {@link RouterConfig#drainTimeout()} for the calls in flight, then abandons the rest (their clients are closed and
     * they fail with {@code MeshClosedException}), waits briefly for them to unwind so interceptors (audit, budgets)
     * settle, and closes what was registered to close, the executor it created, the clients and the state store.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DefaultMesh.class);
        if (!awaitDrained(config.drainTimeout())) {
            abandoning = true;
            log.warn("mesh closing: {} call(s) still in flight after the drain timeout of {}; abandoning them",
                    running.get(), config.drainTimeout());
        }
        if (ownsExecutor) {
            executor.shutdownNow();
        }
        for (ModelRuntime rt : runtimeList) {
            try {
                rt.client.close();
            } catch (Exception e) {
                log.warn("closing model {} failed: {}", rt.id, e.getClass().getName());
            }
        }
        if (abandoning && !awaitDrained(ABANDON_GRACE)) {
            log.warn("mesh closing: {} abandoned call(s) did not end within {}", running.get(), ABANDON_GRACE);
        }
        for (int i = onClose.size() - 1; i >= 0; i--) {
            try {
                onClose.get(i).close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", onClose.get(i).getClass().getName(), e.getClass().getName(), e);
            }
        }
        stateStore.close();
    }

    /** How long abandoned calls get to unwind (settle budgets, write audit) before the rest is closed. */
    private static final Duration ABANDON_GRACE = Duration.ofSeconds(2);

    private boolean awaitDrained(Duration timeout) {
        long until = System.nanoTime() + timeout.toNanos();
        synchronized (drained) {
            while (running.get() > 0) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(drained, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return running.get() == 0;
                }
            }
            return true;
        }
    }

    private void enter() {
        running.incrementAndGet();
        if (closed.get()) {
            exit();
            throw new dev.llmmesh.MeshClosedException("this mesh is closed (or closing): no new calls are accepted", null);
        }
    }

    private void exit() {
        if (running.decrementAndGet() == 0 && closed.get()) {
            synchronized (drained) {
                drained.notifyAll();
            }
        }
    }

    // ------------------------------------------------------------------ the call

    private MeshResponse execute(ChatRequest request, CallContext context, @Nullable StreamSink sink) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(context, "context");
        long t0 = ticker.read();
        Instant start = clock.instant();
        String requestId = context.requestId().orElseGet(RequestIds::next);
        DefaultCallScope scope = new DefaultCallScope(requestId, start);
        Instant deadline = start.plus(context.timeout().orElse(config.defaultTimeout()));
        boolean streaming = sink != null;
        if (!listeners.isEmpty()) {
            listeners.fire(new MeshEvent.CallStarted(requestId, context, streaming, start), MeshListener::callStarted);
        }
        Observation obs = observations == null ? null
                : Observation.createNotStarted(MeshMetricNames.CALL_OBSERVATION, observations)
                .contextualName("mesh " + MeshMetricNames.OPERATION_CHAT)
                .lowCardinalityKeyValue(MeshMetricNames.OPERATION_NAME, MeshMetricNames.OPERATION_CHAT)
                .highCardinalityKeyValue(MeshMetricNames.MESH_REQUEST_ID, requestId)
                .start();
        Observation.Scope obsScope = obs == null ? null : obs.openScope();
        try {
            ChatResponse response = callPath.call(new CallState(request, context, deadline, scope, sink));
            if (scope.decision().isEmpty()) {
                metrics.decision("none", MeshMetricNames.OUTCOME_SHORT_CIRCUIT);
            }
            MeshResponse result = new MeshResponse(response, requestId, scope.answeredBy(), scope.decision(),
                    scope.attempts(), scope.billed(), Duration.ofNanos(ticker.read() - t0), scope.citations(),
                    scope.verdicts());
            if (!listeners.isEmpty()) {
                listeners.fire(new MeshEvent.CallEnded(requestId, Optional.of(result), Optional.empty(),
                        result.latency(), scope.billed(), scope.attempts()), MeshListener::callEnded);
            }
            return result;
        } catch (RuntimeException thrown) {
            RuntimeException e = abandoning && !(thrown instanceof dev.llmmesh.MeshClosedException)
                    ? new dev.llmmesh.MeshClosedException("this mesh was closed while the call was in flight "
                            + "and the drain timeout of " + config.drainTimeout() + " ran out", thrown)
                    : thrown;
            if (obs != null) {
                obs.lowCardinalityKeyValue(MeshMetricNames.ERROR_TYPE, errorType(e)).error(e);
            }
            if (!listeners.isEmpty()) {
                MeshException me = e instanceof MeshException m ? m
                        : new MeshInternalException(ErrorKind.INTERNAL, e.getClass().getName(), e);
                listeners.fire(new MeshEvent.CallEnded(requestId, Optional.empty(), Optional.of(me),
                        Duration.ofNanos(ticker.read() - t0), scope.billed(), scope.attempts()),
                        MeshListener::callEnded);
            }
            throw e;
        } finally {
            if (obsScope != null) {
                obsScope.close();
            }
            if (obs != null) {
                obs.stop();
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static String errorType(Throwable e) {
        return e instanceof MeshException m ? m.kind().code() : MeshMetricNames.ERROR_OTHER;
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(DefaultMesh.class)
                    .warn("streaming handler threw {}; ignored", e.getClass().getName(), e);
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "llm-mesh-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
