package dev.llmmesh.internal;

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
import dev.llmmesh.MeshException;
import dev.llmmesh.MeshInternalException;
import dev.llmmesh.NoRouteException;
import dev.llmmesh.NonRetryableException;
import dev.llmmesh.RetryableException;
import dev.llmmesh.StreamTruncatedException;
import dev.llmmesh.catalog.Catalog;
import dev.llmmesh.client.ErrorClassifier;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.event.MeshEvent;
import dev.llmmesh.event.MeshListener;
import dev.llmmesh.intercept.Interceptor;
import dev.llmmesh.observation.MeshMetricNames;
import dev.llmmesh.routing.CandidateReport;
import dev.llmmesh.routing.HedgeConfig;
import dev.llmmesh.routing.RouteFilter;
import dev.llmmesh.routing.RouterConfig;
import dev.llmmesh.routing.RoutingDecision;
import dev.llmmesh.routing.Sleeper;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The terminal of the call chain: plans with {@link DefaultRouter}, then attempts down the plan until one succeeds,
 * within the attempt cap, the mesh-wide retry budget and the call's deadline. Fallbacks to untried models go at once;
 * retries of a model already tried in the call wait a full-jitter backoff. Non-retryable errors end the call, except
 * auth/not-found (the deployment is broken: move on) and context-length (only larger windows are tried).
 */
final class CallRouter {
    private final Map<String, ModelRuntime> runtimes;
    private final List<ModelRuntime> runtimeList;
    private final List<Interceptor> attemptInterceptors;
    private final List<RouteFilter> routeFilters;
    private final RouterConfig config;
    private final DefaultRouter router;
    private final Listeners listeners;
    private final MeshMetrics metrics;
    private final @Nullable ObservationRegistry observations;
    private final Catalog catalog;
    private final Clock clock;
    private final Sleeper sleeper;
    private final ExecutorService executor;
    private final RetryBudget retryBudget;

    CallRouter(Map<String, ModelRuntime> runtimes, List<Interceptor> attemptInterceptors,
               List<RouteFilter> routeFilters, RouterConfig config, Listeners listeners, MeshMetrics metrics,
               @Nullable ObservationRegistry observations, Catalog catalog, Clock clock, Sleeper sleeper,
               ExecutorService executor) {
        this.runtimes = runtimes;
        this.runtimeList = List.copyOf(runtimes.values());
        this.attemptInterceptors = attemptInterceptors;
        this.routeFilters = routeFilters;
        this.config = config;
        this.router = new DefaultRouter(config, routeFilters);
        this.listeners = listeners;
        this.metrics = metrics;
        this.observations = observations;
        this.catalog = catalog;
        this.clock = clock;
        this.sleeper = sleeper;
        this.executor = executor;
        this.retryBudget = new RetryBudget(config.retryBudgetRatio(), config.retryBudgetFloor());
    }

    RetryBudget retryBudget() {
        return retryBudget;
    }

    /** The state of one call's walk down its plan. Used by the call's own thread only. */
    private static final class Walk {
        final Set<String> tried = new HashSet<>();
        final Set<String> excluded = new HashSet<>();
        @Nullable MeshException last;
        @Nullable String lastModel;
        int contextFloor = -1;
        int made;
        int retries;
    }

    /** What the provider call of one attempt left behind for the attempt's record. */
    private static final class Billing {
        boolean verdict;
        Cost cost = Cost.ZERO;
    }

    /** What one attempt came to. Exactly one of the three is set. */
    private record Outcome(@Nullable ChatResponse response, @Nullable MeshException error, @Nullable String skipped) {
        static Outcome ok(ChatResponse r) {
            return new Outcome(r, null, null);
        }

        static Outcome failed(MeshException e) {
            return new Outcome(null, e, null);
        }

        static Outcome skip(String why) {
            return new Outcome(null, null, why);
        }
    }

    ChatResponse route(RealChain chain, ChatRequest request, @Nullable StreamSink sink) {
        DefaultCallScope scope = chain.call();
        CallContext context = chain.context();
        Instant now = clock.instant();
        List<DefaultRouter.Candidate> candidates = new ArrayList<>(runtimeList.size());
        for (ModelRuntime rt : runtimeList) {
            ModelDescriptor d = descriptor(rt);
            candidates.add(new DefaultRouter.Candidate(d, rt.snapshot(now), rt.unhealthyReason(now),
                    rt.bulkheadLimit(), rt.rates(d)));
        }
        RoutingDecision decision = router.route(scope.requestId(), request, context, sink != null, candidates, now,
                (modelId, r) -> listeners.fire(new MeshEvent.ModelDenied(scope.requestId(), modelId, r.policyId(),
                        r.reason()), MeshListener::modelDenied));
        scope.decision(decision);
        if (!listeners.isEmpty()) {
            listeners.fire(new MeshEvent.RouteSelected(scope.requestId(), decision), MeshListener::routeSelected);
        }
        List<String> plan = decision.plan();
        if (plan.isEmpty()) {
            metrics.decision(requested(request), MeshMetricNames.OUTCOME_EXHAUSTED);
            throw new NoRouteException("no registered model can serve this request: " + rejections(decision),
                    decision, List.of(), soonestHealthy(now), null);
        }
        retryBudget.enter();
        try {
            return walk(chain, request, sink, decision, plan);
        } finally {
            retryBudget.exit();
        }
    }

    private ChatResponse walk(RealChain chain, ChatRequest request, @Nullable StreamSink sink,
                              RoutingDecision decision, List<String> plan) {
        Walk w = new Walk();
        int maxAttempts = Math.min(config.maxAttempts(), chain.context().maxAttempts().orElse(Integer.MAX_VALUE));
        Optional<HedgeConfig> hedging = config.hedging();
        if (sink == null && hedging.isPresent() && plan.size() >= 2 && maxAttempts >= 2) {
            ChatResponse hedged = hedged(chain, request, plan, w, hedging.get());
            if (hedged != null) {
                return hedged;
            }
        }
        while (w.made < maxAttempts) {
            String id = next(plan, w);
            if (id == null) {
                break;
            }
            ModelRuntime rt = runtimes.get(id);
            ModelDescriptor model = descriptor(rt);
            if (model.contextWindow() <= w.contextFloor) {
                w.excluded.add(id); // after a context-length failure, only larger windows can help
                continue;
            }
            boolean retry = w.tried.contains(id);
            if (retry && rt.unhealthyReason(clock.instant()) != null) {
                w.excluded.add(id); // cooling down or open: waiting out a backoff for it would be wasted
                continue;
            }
            if (retry) {
                Duration pause = config.backoff().delay(w.retries++, ThreadLocalRandom.current().nextDouble());
                Duration left = Duration.between(clock.instant(), chain.deadline());
                pause(pause.compareTo(left) < 0 ? pause : left);
            }
            if (!clock.instant().isBefore(chain.deadline())) {
                throw new DeadlineExceededException(chain.deadline(), w.lastModel, w.last);
            }
            boolean budgeted = false;
            if (w.made > 0) {
                if (!retryBudget.tryAcquire()) {
                    metrics.count(MeshMetricNames.RETRY_BUDGET_EXHAUSTED);
                    throw exhausted(decision, chain, w, "retry budget exhausted (" + retryBudget.retrying()
                            + " retries in flight for " + retryBudget.active() + " active calls)");
                }
                budgeted = true;
            }
            try {
                Outcome o = attempt(chain, request, sink, rt, model, w.last, w.lastModel);
                if (o.skipped() != null) {
                    w.excluded.add(id);
                    continue;
                }
                w.made++;
                w.tried.add(id);
                if (o.response() != null) {
                    chain.call().answeredBy(id);
                    metrics.decision(model.modelName(), w.last == null ? MeshMetricNames.OUTCOME_SELECTED
                            : MeshMetricNames.OUTCOME_FALLBACK);
                    return o.response();
                }
                onFailure(o.error(), id, model, w, sink);
            } finally {
                if (budgeted) {
                    retryBudget.release();
                }
            }
        }
        throw exhausted(decision, chain, w, null);
    }

    /** Decides whether the walk goes on after a failure; throws when it must not. */
    private void onFailure(MeshException e, String id, ModelDescriptor model, Walk w, @Nullable StreamSink sink) {
        w.last = e;
        w.lastModel = id;
        if (sink != null && sink.committed()) {
            throw e; // content reached the caller: never replayed
        }
        if (e instanceof ContextLengthExceededException) {
            w.contextFloor = Math.max(w.contextFloor, model.contextWindow());
            w.excluded.add(id);
        } else if (e instanceof NonRetryableException n && n.deploymentBroken()) {
            w.excluded.add(id); // no retries on a broken deployment; another deployment may work
        } else if (!(e instanceof RetryableException)) {
            throw e; // bad request, content policy, quota, policy, budget, truncated stream: no fallback
        }
    }

    /** The next model: untried ones in plan order first, then models to retry. Null when none is left. */
    private static @Nullable String next(List<String> plan, Walk w) {
        for (String id : plan) {
            if (!w.excluded.contains(id) && !w.tried.contains(id)) {
                return id;
            }
        }
        for (String id : plan) {
            if (!w.excluded.contains(id)) {
                return id;
            }
        }
        return null;
    }

    private NoRouteException exhausted(RoutingDecision decision, RealChain chain, Walk w, @Nullable String why) {
        metrics.decision(requested(chain.request()), MeshMetricNames.OUTCOME_EXHAUSTED);
        Instant now = clock.instant();
        Duration retryAfter = soonestHealthy(now);
        if (w.last == null) {
            return new NoRouteException(why != null ? why : "every planned model was refused on this hop: "
                    + rejections(decision), decision, chain.call().attempts(), retryAfter, null);
        }
        String msg = (why != null ? why + "; " : "") + w.made + " attempt(s) failed, last on " + w.lastModel + ": "
                + w.last.kind().code();
        return new NoRouteException(msg, decision, chain.call().attempts(),
                w.last.retryAfter().orElse(retryAfter), w.last);
    }

    /**
     * One attempt on one model: re-checks health and policy for this hop, takes bulkhead and breaker permits, runs
     * the attempt chain, and gives every permit back whatever happens.
     */
    private Outcome attempt(RealChain chain, ChatRequest request, @Nullable StreamSink sink, ModelRuntime rt,
                            ModelDescriptor model, @Nullable MeshException previous, @Nullable String previousModel) {
        DefaultCallScope scope = chain.call();
        Instant now = clock.instant();
        String unhealthy = rt.unhealthyReason(now);
        if (unhealthy != null && !scope.decision().flatMap(d -> d.candidate(rt.id)).map(CandidateReport::readmitted).orElse(false)) {
            return Outcome.skip(unhealthy);
        }
        for (int i = 0; i < routeFilters.size(); i++) {
            Optional<RouteFilter.Rejection> r = routeFilters.get(i).check(model, request, chain.context());
            if (r.isPresent()) {
                listeners.fire(new MeshEvent.ModelDenied(scope.requestId(), model.id(), r.get().policyId(),
                        r.get().reason()), MeshListener::modelDenied);
                return Outcome.skip(r.get().reason());
            }
        }
        if (!rt.tryEnterBulkhead()) {
            return Outcome.skip(rt.bulkheadFullReason());
        }
        try {
            if (!rt.tryAcquireBreaker()) {
                return Outcome.skip("circuit breaker refused a permit");
            }
            if (previous != null && previousModel != null && !listeners.isEmpty()) {
                listeners.fire(new MeshEvent.FallbackTaken(scope.requestId(), previousModel, model.id(), previous.kind()),
                        MeshListener::fallbackTaken);
            }
            int number = scope.nextAttemptNumber();
            Instant t0 = clock.instant();
            Billing billing = new Billing();
            try {
                RealChain attemptChain = chain.attemptChain(attemptInterceptors,
                        (c, r) -> callModel(rt, model, c, r, sink, billing), model);
                ChatResponse response = attemptChain.proceed(request);
                scope.addAttempt(Attempt.success(number, model.id(), Duration.between(t0, clock.instant()), billing.cost));
                return Outcome.ok(response);
            } catch (MeshException e) {
                Attempt failed = Attempt.failure(number, model.id(), Duration.between(t0, clock.instant()), e.kind(),
                        e.getMessage() == null ? e.kind().code() : e.getMessage(), billing.cost);
                scope.addAttempt(failed);
                if (!listeners.isEmpty()) {
                    listeners.fire(new MeshEvent.AttemptFailed(scope.requestId(), failed, e), MeshListener::attemptFailed);
                }
                return Outcome.failed(e);
            } finally {
                if (!billing.verdict) {
                    rt.breakerRelease(); // ended before the provider gave a verdict: the permit goes back
                }
            }
        } finally {
            rt.exitBulkhead();
        }
    }

    /** The terminal of an attempt chain: the provider call, measured, with health and breaker updated. */
    private ChatResponse callModel(ModelRuntime rt, ModelDescriptor model, RealChain chain, ChatRequest request,
                                   @Nullable StreamSink sink, Billing billing) {
        rt.health.started();
        Instant t0 = clock.instant();
        Observation obs = observations == null ? null
                : Observation.createNotStarted(MeshMetricNames.ATTEMPT_OBSERVATION, observations)
                .contextualName(MeshMetricNames.OPERATION_CHAT + " " + model.modelName())
                .lowCardinalityKeyValue(MeshMetricNames.OPERATION_NAME, MeshMetricNames.OPERATION_CHAT)
                .lowCardinalityKeyValue(MeshMetricNames.PROVIDER_NAME, MeshMetricNames.otelProviderName(model.provider()))
                .lowCardinalityKeyValue(MeshMetricNames.REQUEST_MODEL, model.modelName())
                .highCardinalityKeyValue(MeshMetricNames.MESH_REQUEST_ID, chain.call().requestId())
                .start();
        try {
            Duration left = Duration.between(t0, chain.deadline());
            Duration timeout = config.attemptTimeout().filter(t -> t.compareTo(left) < 0).orElse(left);
            ChatResponse response = sink == null ? rt.client.chat(request, timeout)
                    : streamModel(rt, chain, request, sink, t0, billing);
            if (response == null) {
                throw new MeshInternalException(ErrorKind.INTERNAL, "model client " + rt.id + " returned null", null);
            }
            long nanos = Duration.between(t0, clock.instant()).toNanos();
            rt.health.success(nanos, clock.instant());
            rt.breakerSuccess(nanos);
            billing.verdict = true;
            Cost cost = rt.bill(model, response.tokenUsage());
            billing.cost = cost;
            chain.call().bill(cost);
            metrics.attempt(model, nanos, response, null, cost);
            if (obs != null && response.tokenUsage() != null) {
                obs.highCardinalityKeyValue(MeshMetricNames.USAGE_INPUT_TOKENS, String.valueOf(response.tokenUsage().inputTokenCount()))
                        .highCardinalityKeyValue(MeshMetricNames.USAGE_OUTPUT_TOKENS, String.valueOf(response.tokenUsage().outputTokenCount()));
            }
            return response;
        } catch (RuntimeException e) {
            MeshException m = ErrorClassifier.classify(e, rt.id);
            long nanos = Duration.between(t0, clock.instant()).toNanos();
            if (m.kind() != ErrorKind.CANCELLED) {
                if (ModelRuntime.countsAgainstTheModel(m)) {
                    rt.health.failure(m, nanos, clock.instant());
                }
                rt.breakerFailure(nanos, m);
                billing.verdict = true;
            }
            metrics.attempt(model, nanos, null, m, Cost.ZERO);
            if (obs != null) {
                obs.lowCardinalityKeyValue(MeshMetricNames.ERROR_TYPE, m.kind().code()).error(m);
            }
            throw m;
        } finally {
            rt.health.finished();
            if (obs != null) {
                obs.stop();
            }
        }
    }

    /**
     * The error for a stream cut after content reached the caller: carries the partial usage (estimated input,
     * output counted from the streamed characters) and bills it to the call.
     */
    private StreamTruncatedException truncated(ModelRuntime rt, RealChain chain, ChatRequest request, StreamSink sink,
                                               long streamedChars, MeshException cause, Billing billing) {
        dev.langchain4j.model.output.TokenUsage usage = billPartial(rt, chain, request, streamedChars, billing);
        return new StreamTruncatedException(rt.id, sink.delivered(), usage, billing.cost, cause);
    }

    /** Bills the usage of a stream that ended early: estimated input, output counted from the streamed characters. */
    private dev.langchain4j.model.output.TokenUsage billPartial(ModelRuntime rt, RealChain chain, ChatRequest request,
                                                              long streamedChars, Billing billing) {
        ModelDescriptor model = descriptor(rt);
        int in = RequestFacts.estimateInputTokens(request);
        int out = (int) ((streamedChars + 3) / 4);
        Cost cost = model.pricing().map(p -> p.cost(in, out, 0, 0)).orElse(Cost.UNKNOWN);
        billing.cost = cost;
        chain.call().bill(cost);
        return new dev.langchain4j.model.output.TokenUsage(in, out);
    }

    /** Streams one attempt; holds nothing back itself (transformers may), enforces the deadline and idle timeout. */
    private ChatResponse streamModel(ModelRuntime rt, RealChain chain, ChatRequest request, StreamSink sink, Instant t0,
                                     Billing billing) {
        if (sink.committed()) {
            throw new IllegalStateException("cannot stream a second answer after content was delivered to the caller");
        }
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        AtomicInteger seen = new AtomicInteger();
        AtomicLong lastChunkNanos = new AtomicLong(System.nanoTime());
        AtomicLong chars = new AtomicLong();
        StreamingHandle handle = rt.client.stream(request, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String text) {
                onPartialResponse(new PartialResponse(text), null);
            }

            @Override
            public void onPartialResponse(PartialResponse partial, @Nullable PartialResponseContext ctx) {
                if (!done.isDone() && partial.text() != null && !partial.text().isEmpty()) {
                    if (seen.incrementAndGet() == 1) {
                        rt.health.firstChunk(Duration.between(t0, clock.instant()).toNanos());
                    }
                    lastChunkNanos.set(System.nanoTime());
                    chars.addAndGet(partial.text().length());
                    sink.partial(partial.text(), chain.transformers());
                }
            }

            @Override
            public void onPartialToolCall(PartialToolCall call) {
                lastChunkNanos.set(System.nanoTime());
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
        long idle = config.streamIdleTimeout().toNanos();
        try {
            while (true) {
                long left = Duration.between(clock.instant(), chain.deadline()).toNanos();
                if (left <= 0) {
                    handle.cancel();
                    MeshException timeout = RetryableException.timeout(rt.id, rt.id + ": stream exceeded the call deadline");
                    throw sink.committed() ? truncated(rt, chain, request, sink, chars.get(), timeout, billing) : timeout;
                }
                try {
                    return done.get(Math.min(left, idle), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    if (System.nanoTime() - lastChunkNanos.get() >= idle) {
                        handle.cancel();
                        MeshException timeout = RetryableException.timeout(rt.id, rt.id + ": stream idle for "
                                + config.streamIdleTimeout());
                        throw sink.committed() ? truncated(rt, chain, request, sink, chars.get(), timeout, billing) : timeout;
                    }
                }
            }
        } catch (ExecutionException e) {
            MeshException cause = ErrorClassifier.classify(e.getCause(), rt.id);
            throw sink.committed() ? truncated(rt, chain, request, sink, chars.get(), cause, billing) : cause;
        } catch (InterruptedException e) {
            handle.cancel();
            Thread.currentThread().interrupt();
            billPartial(rt, chain, request, chars.get(), billing); // the provider produced what was streamed: bill it
            throw new MeshInternalException(ErrorKind.CANCELLED, "stream cancelled by the caller", e);
        }
    }

    /**
     * Runs the primary and, if it has not answered after the hedge delay, the next candidate too; the first success
     * wins and the other is cancelled. Returns null when neither succeeded (the walk then goes on).
     */
    private @Nullable ChatResponse hedged(RealChain chain, ChatRequest request, List<String> plan, Walk w,
                                          HedgeConfig hedge) {
        String primaryId = plan.get(0);
        String hedgeId = plan.get(1);
        ModelRuntime primary = runtimes.get(primaryId);
        ModelRuntime second = runtimes.get(hedgeId);
        ModelDescriptor pm = descriptor(primary);
        ModelDescriptor sm = descriptor(second);
        Duration delay = hedge.delay().orElseGet(() -> {
            Duration p95 = primary.health.snapshot(clock.instant()).latencyP95().orElse(hedge.minDelay());
            return p95.compareTo(hedge.minDelay()) < 0 ? hedge.minDelay() : p95;
        });
        ExecutorCompletionService<Outcome> race = new ExecutorCompletionService<>(executor);
        Map<Future<Outcome>, String> ids = new java.util.HashMap<>();
        Future<Outcome> first = race.submit(() -> attempt(chain, request, null, primary, pm, null, null));
        ids.put(first, primaryId);
        Future<Outcome> other = null;
        boolean budgeted = false;
        try {
            Future<Outcome> done = race.poll(Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
            if (done == null && retryBudget.tryAcquire()) {
                budgeted = true;
                metrics.count(MeshMetricNames.HEDGES);
                listeners.fire(new MeshEvent.HedgeStarted(chain.call().requestId(), primaryId, hedgeId, delay),
                        MeshListener::hedgeStarted);
                other = race.submit(() -> attempt(chain, request, null, second, sm, null, null));
                ids.put(other, hedgeId);
            }
            int pending = other == null ? 1 : 2;
            List<Map.Entry<String, Outcome>> failures = new ArrayList<>(2);
            while (pending-- > 0) {
                Future<Outcome> f = done != null ? done : race.take();
                done = null;
                Outcome o = get(f);
                String id = ids.get(f);
                if (o.response() != null) {
                    Future<Outcome> loser = f == first ? other : first;
                    if (loser != null) {
                        loser.cancel(true); // the loser is cancelled; if it had already answered it is billed too
                    }
                    w.tried.add(id);
                    w.made++;
                    chain.call().answeredBy(id);
                    metrics.decision(descriptor(runtimes.get(id)).modelName(),
                            f == first ? MeshMetricNames.OUTCOME_SELECTED : MeshMetricNames.OUTCOME_FALLBACK);
                    return o.response();
                }
                failures.add(Map.entry(id, o));
            }
            // nobody won: account for what was tried and let the walk go on
            for (Map.Entry<String, Outcome> e : failures) {
                String id = e.getKey();
                Outcome o = e.getValue();
                if (o.skipped() != null) {
                    w.excluded.add(id);
                } else {
                    w.made++;
                    w.tried.add(id);
                    onFailure(o.error(), id, descriptor(runtimes.get(id)), w, null);
                }
            }
            return null;
        } catch (InterruptedException e) {
            first.cancel(true);
            if (other != null) {
                other.cancel(true);
            }
            Thread.currentThread().interrupt();
            throw new MeshInternalException(ErrorKind.CANCELLED, "call interrupted while hedging", e);
        } finally {
            if (budgeted) {
                retryBudget.release();
            }
        }
    }

    private static Outcome get(Future<Outcome> f) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new MeshInternalException(ErrorKind.INTERNAL, "hedged attempt failed", c);
        }
    }

    private void pause(Duration d) {
        if (d.isNegative() || d.isZero()) {
            return;
        }
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MeshInternalException(ErrorKind.CANCELLED, "call interrupted during backoff", e);
        }
    }

    private ModelDescriptor descriptor(ModelRuntime rt) {
        return catalog.find(ModelDescriptor.class, rt.id).orElse(rt.client.descriptor());
    }

    private @Nullable Duration soonestHealthy(Instant now) {
        Duration best = null;
        for (ModelRuntime rt : runtimeList) {
            Instant until = rt.healthyAgainAt(now);
            if (until != null) {
                Duration d = Duration.between(now, until);
                if (best == null || d.compareTo(best) < 0) {
                    best = d;
                }
            }
        }
        return best;
    }

    private static String requested(ChatRequest request) {
        return request.modelName() != null ? request.modelName() : "auto";
    }

    private static String rejections(RoutingDecision decision) {
        StringBuilder sb = new StringBuilder();
        decision.rejected().forEach(r -> sb.append(sb.length() == 0 ? "" : "; ").append(r.modelId()).append(" (")
                .append(r.rejection().orElse("")).append(')'));
        return sb.length() == 0 ? "no candidates" : sb.toString();
    }
}
