package dev.llmmesh.internal;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.llmmesh.Attempt;
import dev.llmmesh.CallContext;
import dev.llmmesh.ContextLengthExceededException;
import dev.llmmesh.Cost;
import dev.llmmesh.DeadlineExceededException;
import dev.llmmesh.ErrorKind;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshException;
import dev.llmmesh.MeshInternalException;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.NoRouteException;
import dev.llmmesh.NonRetryableException;
import dev.llmmesh.RetryableException;
import dev.llmmesh.StreamTruncatedException;
import dev.llmmesh.catalog.Catalog;
import dev.llmmesh.client.ErrorClassifier;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.event.MeshEvent;
import dev.llmmesh.event.MeshListener;
import dev.llmmesh.intercept.Interceptor;
import dev.llmmesh.observation.MeshMetricNames;
import dev.llmmesh.routing.HealthSnapshot;
import dev.llmmesh.routing.RouteFilter;
import dev.llmmesh.routing.RouterConfig;
import dev.llmmesh.routing.RoutingDecision;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
                        @Nullable ObservationRegistry observationRegistry, @Nullable ExecutorService executor) {
    }

    private static final class Slot {
        final LlmClient client;
        final ModelHealth health;
        final String id;

        Slot(LlmClient client, ModelHealth health) {
            this.client = client;
            this.health = health;
            this.id = client.descriptor().id();
        }
    }

    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private final List<Slot> slotList;
    private final List<Interceptor> callInterceptors;
    private final List<Interceptor> attemptInterceptors;
    private final Listeners listeners;
    private final List<RouteFilter> routeFilters;
    private final RouterConfig config;
    private final DefaultRouter router;
    private final Clock clock;
    private final Catalog catalog;
    private final StateStore stateStore;
    private final MeshMetrics metrics;
    private final @Nullable ObservationRegistry observations;
    private final ExecutorService executor;
    private final boolean ownsExecutor;
    private final AtomicBoolean closed = new AtomicBoolean();

    public DefaultMesh(Parts parts) {
        this.callInterceptors = parts.callInterceptors();
        this.attemptInterceptors = parts.attemptInterceptors();
        this.listeners = new Listeners(parts.listeners());
        this.routeFilters = parts.routeFilters();
        this.config = parts.routerConfig();
        this.router = new DefaultRouter(config, routeFilters);
        this.clock = parts.clock();
        this.catalog = parts.catalog();
        this.stateStore = parts.stateStore();
        this.metrics = new MeshMetrics(parts.meterRegistry());
        this.observations = parts.observationRegistry();
        for (LlmClient c : parts.clients()) {
            ModelHealth h = new ModelHealth(c.descriptor().id(), config.healthWindow(), config.latencyAlpha());
            slots.put(c.descriptor().id(), new Slot(c, h));
            metrics.healthGauge(c.descriptor(), h);
        }
        this.slotList = List.copyOf(slots.values());
        if (parts.executor() != null) {
            this.executor = parts.executor();
            this.ownsExecutor = false;
        } else {
            this.executor = Executors.newCachedThreadPool(daemonThreads());
            this.ownsExecutor = true;
        }
    }

    // ------------------------------------------------------------------ public API

    @Override
    public MeshResponse chat(ChatRequest request, CallContext context) {
        return execute(request, context, null);
    }

    @Override
    public CompletableFuture<MeshResponse> chatAsync(ChatRequest request, CallContext context) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(context, "context");
        ensureOpen();
        return CompletableFuture.supplyAsync(() -> execute(request, context, null), executor);
    }

    @Override
    public CompletableFuture<MeshResponse> stream(ChatRequest request, CallContext context,
                                                  StreamingChatResponseHandler handler) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(handler, "handler");
        ensureOpen();
        StreamSink sink = new StreamSink(handler);
        CompletableFuture<MeshResponse> future = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                sink.cancel();
                return super.cancel(mayInterruptIfRunning);
            }
        };
        executor.execute(() -> {
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
            }
        });
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
    public Catalog catalog() {
        return catalog;
    }

    @Override
    public List<HealthSnapshot> health() {
        return slotList.stream().map(s -> s.health.snapshot())
                .sorted(java.util.Comparator.comparing(HealthSnapshot::modelId)).toList();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (ownsExecutor) {
            executor.shutdownNow();
        }
        for (Slot s : slotList) {
            try {
                s.client.close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(DefaultMesh.class)
                        .warn("closing model {} failed: {}", s.id, e.getClass().getName());
            }
        }
        stateStore.close();
    }

    // ------------------------------------------------------------------ the call

    private MeshResponse execute(ChatRequest request, CallContext context, @Nullable StreamSink sink) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(context, "context");
        ensureOpen();
        long t0 = System.nanoTime();
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
            RealChain chain = RealChain.callChain(callInterceptors,
                    (c, r) -> route(c, r, sink), request, context, deadline, scope, streaming, clock);
            ChatResponse response = chain.proceed(request);
            if (scope.decision().isEmpty() && !listeners.isEmpty()) {
                metrics.decision("none", MeshMetricNames.OUTCOME_SHORT_CIRCUIT);
            }
            MeshResponse result = new MeshResponse(response, requestId, scope.finalModel(), scope.decision(),
                    scope.attempts(), scope.cost(), Duration.ofNanos(System.nanoTime() - t0), scope.citations(),
                    scope.verdicts());
            if (!listeners.isEmpty()) {
                listeners.fire(new MeshEvent.CallEnded(requestId, Optional.of(result), Optional.empty(),
                        result.latency()), MeshListener::callEnded);
            }
            return result;
        } catch (RuntimeException e) {
            if (obs != null) {
                obs.lowCardinalityKeyValue(MeshMetricNames.ERROR_TYPE, errorType(e)).error(e);
            }
            if (!listeners.isEmpty()) {
                MeshException me = e instanceof MeshException m ? m
                        : new MeshInternalException(ErrorKind.INTERNAL, e.getClass().getName(), e);
                listeners.fire(new MeshEvent.CallEnded(requestId, Optional.empty(), Optional.of(me),
                        Duration.ofNanos(System.nanoTime() - t0)), MeshListener::callEnded);
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

    /** The terminal of the call chain: plan, then attempt down the plan until one succeeds. */
    private ChatResponse route(RealChain chain, ChatRequest request, @Nullable StreamSink sink) {
        DefaultCallScope scope = chain.call();
        CallContext context = chain.context();
        Instant now = clock.instant();
        List<DefaultRouter.Candidate> candidates = new ArrayList<>(slotList.size());
        for (Slot s : slotList) {
            ModelDescriptor current = catalog.find(ModelDescriptor.class, s.id).orElse(s.client.descriptor());
            candidates.add(new DefaultRouter.Candidate(current, s.health.snapshot()));
        }
        RoutingDecision decision = router.route(scope.requestId(), request, context, sink != null, candidates, now);
        scope.decision(decision);
        if (!listeners.isEmpty()) {
            listeners.fire(new MeshEvent.RouteSelected(scope.requestId(), decision), MeshListener::routeSelected);
        }
        List<String> plan = decision.plan();
        String requested = request.modelName() != null ? request.modelName() : "auto";
        if (plan.isEmpty()) {
            metrics.decision(requested, MeshMetricNames.OUTCOME_EXHAUSTED);
            throw new NoRouteException("no registered model can serve this request: " + rejections(decision),
                    decision, List.of(), shortestCooldown(now), null);
        }
        MeshException last = null;
        String lastModel = null;
        int contextFloor = -1;
        int made = 0;
        for (String id : plan) {
            if (made >= config.maxAttempts()) {
                break;
            }
            Slot slot = slots.get(id);
            ModelDescriptor model = decision.candidate(id).map(c -> descriptorOf(slot)).orElseThrow();
            if (model.contextWindow() <= contextFloor) {
                continue; // after a context-length failure, only larger windows can help
            }
            if (!clock.instant().isBefore(chain.deadline())) {
                throw new DeadlineExceededException(chain.deadline(), lastModel, last);
            }
            if (deniedOnThisHop(scope.requestId(), model, request, context)) {
                continue;
            }
            if (last != null) {
                ErrorKind reason = last.kind();
                String from = lastModel;
                listeners.fire(new MeshEvent.FallbackTaken(scope.requestId(), from, id, reason),
                        MeshListener::fallbackTaken);
            }
            made++;
            int number = scope.nextAttemptNumber();
            long t0 = System.nanoTime();
            try {
                RealChain attempt = chain.attemptChain(attemptInterceptors, (c, r) -> callModel(slot, model, c, r, sink), model);
                ChatResponse response = attempt.proceed(request);
                Duration latency = Duration.ofNanos(System.nanoTime() - t0);
                scope.addAttempt(Attempt.success(number, id, latency));
                scope.succeeded(id, model.pricing().map(p -> p.cost(response.tokenUsage())).orElse(Cost.UNKNOWN));
                metrics.decision(model.modelName(), last == null ? MeshMetricNames.OUTCOME_SELECTED
                        : MeshMetricNames.OUTCOME_FALLBACK);
                return response;
            } catch (MeshException e) {
                Attempt failed = Attempt.failure(number, id, Duration.ofNanos(System.nanoTime() - t0), e.kind(),
                        e.getMessage() == null ? e.kind().code() : e.getMessage());
                scope.addAttempt(failed);
                if (!listeners.isEmpty()) {
                    listeners.fire(new MeshEvent.AttemptFailed(scope.requestId(), failed, e), MeshListener::attemptFailed);
                }
                last = e;
                lastModel = id;
                if (e instanceof ContextLengthExceededException) {
                    contextFloor = Math.max(contextFloor, model.contextWindow());
                } else if (e instanceof NonRetryableException nre && nre.deploymentBroken()) {
                    // this deployment is broken (auth, not found): another deployment may work
                } else if (!(e instanceof RetryableException) || (sink != null && sink.committed())) {
                    throw e; // bad request, policy, budget, truncated stream: no fallback
                }
            }
        }
        metrics.decision(requested, MeshMetricNames.OUTCOME_EXHAUSTED);
        if (last == null) {
            throw new NoRouteException("every planned model was refused on this hop: " + rejections(decision),
                    decision, scope.attempts(), shortestCooldown(now), null);
        }
        throw new NoRouteException(made + " attempt(s) failed, last on " + lastModel + ": " + last.kind().code(),
                decision, scope.attempts(), last.retryAfter().orElse(shortestCooldown(clock.instant())), last);
    }

    private ModelDescriptor descriptorOf(Slot slot) {
        return catalog.find(ModelDescriptor.class, slot.id).orElse(slot.client.descriptor());
    }

    /** Policy on every hop: re-checks the route filters for the model about to be called. */
    private boolean deniedOnThisHop(String requestId, ModelDescriptor model, ChatRequest request, CallContext context) {
        for (int i = 0; i < routeFilters.size(); i++) {
            RouteFilter f = routeFilters.get(i);
            Optional<String> reason = f.reject(model, request, context);
            if (reason.isPresent()) {
                listeners.fire(new MeshEvent.ModelDenied(requestId, model.id(), f.policyId(), reason.get()),
                        MeshListener::modelDenied);
                return true;
            }
        }
        return false;
    }

    /** The terminal of an attempt chain: the provider call, measured. */
    private ChatResponse callModel(Slot slot, ModelDescriptor model, RealChain chain, ChatRequest request,
                                   @Nullable StreamSink sink) {
        slot.health.started();
        long t0 = System.nanoTime();
        Observation obs = observations == null ? null
                : Observation.createNotStarted(MeshMetricNames.ATTEMPT_OBSERVATION, observations)
                .contextualName(MeshMetricNames.OPERATION_CHAT + " " + model.modelName())
                .lowCardinalityKeyValue(MeshMetricNames.OPERATION_NAME, MeshMetricNames.OPERATION_CHAT)
                .lowCardinalityKeyValue(MeshMetricNames.PROVIDER_NAME, model.provider())
                .lowCardinalityKeyValue(MeshMetricNames.REQUEST_MODEL, model.modelName())
                .highCardinalityKeyValue(MeshMetricNames.MESH_REQUEST_ID, chain.call().requestId())
                .start();
        try {
            ChatResponse response = sink == null ? slot.client.chat(request) : streamModel(slot, chain, request, sink);
            if (response == null) {
                throw new MeshInternalException(ErrorKind.INTERNAL, "model client " + slot.id + " returned null", null);
            }
            long nanos = System.nanoTime() - t0;
            slot.health.success(nanos);
            metrics.attempt(model, nanos, response, null,
                    model.pricing().map(p -> p.cost(response.tokenUsage())).orElse(Cost.UNKNOWN));
            if (obs != null && response.tokenUsage() != null) {
                obs.highCardinalityKeyValue(MeshMetricNames.USAGE_INPUT_TOKENS, String.valueOf(response.tokenUsage().inputTokenCount()))
                        .highCardinalityKeyValue(MeshMetricNames.USAGE_OUTPUT_TOKENS, String.valueOf(response.tokenUsage().outputTokenCount()));
            }
            return response;
        } catch (RuntimeException e) {
            MeshException m = ErrorClassifier.classify(e, slot.id);
            slot.health.failure(m, clock.instant());
            metrics.attempt(model, System.nanoTime() - t0, null, m, Cost.ZERO);
            if (obs != null) {
                obs.lowCardinalityKeyValue(MeshMetricNames.ERROR_TYPE, m.kind().code()).error(m);
            }
            throw m;
        } finally {
            slot.health.finished();
            if (obs != null) {
                obs.stop();
            }
        }
    }

    private ChatResponse streamModel(Slot slot, RealChain chain, ChatRequest request, StreamSink sink) {
        if (sink.committed()) {
            throw new IllegalStateException("cannot stream a second answer after content was delivered to the caller");
        }
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        AtomicInteger seen = new AtomicInteger();
        StreamingHandle handle = slot.client.stream(request, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String text) {
                onPartialResponse(new PartialResponse(text), null);
            }

            @Override
            public void onPartialResponse(PartialResponse partial, @Nullable PartialResponseContext ctx) {
                if (!done.isDone() && partial.text() != null && !partial.text().isEmpty()) {
                    seen.incrementAndGet();
                    sink.partial(partial.text(), chain.transformers());
                }
            }

            @Override
            public void onPartialToolCall(PartialToolCall call) {
                sink.toolCall(call);
            }

            @Override
            public void onCompleteToolCall(CompleteToolCall call) {
                sink.toolCall(call);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        sink.upstream(handle);
        long waitNanos = Duration.between(clock.instant(), chain.deadline()).toNanos();
        try {
            return done.get(Math.max(1, waitNanos), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            handle.cancel();
            MeshException timeout = RetryableException.timeout(slot.id, slot.id + ": stream exceeded the call deadline");
            throw sink.committed() ? new StreamTruncatedException(slot.id, sink.delivered(), timeout) : timeout;
        } catch (ExecutionException e) {
            MeshException cause = ErrorClassifier.classify(e.getCause(), slot.id);
            throw sink.committed() ? new StreamTruncatedException(slot.id, sink.delivered(), cause) : cause;
        } catch (InterruptedException e) {
            handle.cancel();
            Thread.currentThread().interrupt();
            throw new MeshInternalException(ErrorKind.CANCELLED, "stream cancelled by the caller", e);
        }
    }

    // ------------------------------------------------------------------ helpers

    private @Nullable Duration shortestCooldown(Instant now) {
        Duration best = null;
        for (Slot s : slotList) {
            Instant until = s.health.cooldownUntil();
            if (until != null && until.isAfter(now)) {
                Duration d = Duration.between(now, until);
                if (best == null || d.compareTo(best) < 0) {
                    best = d;
                }
            }
        }
        return best;
    }

    private static String rejections(RoutingDecision decision) {
        StringBuilder sb = new StringBuilder();
        decision.rejected().forEach(r -> sb.append(sb.length() == 0 ? "" : "; ").append(r.modelId()).append(" (")
                .append(r.rejection().orElse("")).append(')'));
        return sb.length() == 0 ? "no candidates" : sb.toString();
    }

    private static String errorType(Throwable e) {
        return e instanceof MeshException m ? m.kind().code() : MeshMetricNames.ERROR_OTHER;
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new MeshInternalException(ErrorKind.INTERNAL, "this mesh is closed", null);
        }
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
