package dev.llmmesh.internal;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmmesh.ErrorKind;
import dev.llmmesh.MeshInternalException;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.event.MeshEvent;
import dev.llmmesh.event.MeshListener;
import dev.llmmesh.observation.MeshMetricNames;
import dev.llmmesh.routing.HedgeConfig;
import dev.llmmesh.routing.RouterConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * When hedging is configured (and the call is not a stream, has two planned models and two attempts): runs the
 * primary on the mesh's pool and, if it has not answered after the hedge delay (fixed, or the primary's p95), the
 * next planned model too; the first success wins and the other is cancelled. When neither succeeds, what was tried is
 * accounted in the walk and fallback goes on.
 */
final class Hedger implements Stage<CallState> {
    private final CallPath.Attempts attempts;
    private final Deployments deployments;
    private final RouterConfig config;
    private final RetryBudget retryBudget;
    private final Listeners listeners;
    private final MeshMetrics metrics;
    private final Clock clock;
    private final ExecutorService executor;

    Hedger(CallPath.Attempts attempts, Deployments deployments, RouterConfig config, RetryBudget retryBudget,
           Listeners listeners, MeshMetrics metrics, Clock clock, ExecutorService executor) {
        this.attempts = attempts;
        this.deployments = deployments;
        this.config = config;
        this.retryBudget = retryBudget;
        this.listeners = listeners;
        this.metrics = metrics;
        this.clock = clock;
        this.executor = executor;
    }

    @Override
    public String name() {
        return "hedger";
    }

    @Override
    public ChatResponse proceed(CallState x, Next<CallState> next) {
        Optional<HedgeConfig> hedging = config.hedging();
        if (!x.streaming() && hedging.isPresent() && x.plan.size() >= 2 && Walk.maxAttempts(config, x.context) >= 2) {
            ChatResponse hedged = hedged(x, hedging.get());
            if (hedged != null) {
                return hedged;
            }
        }
        return next.proceed(x);
    }

    /** Races the first two planned models; null when neither succeeded (the walk then goes on). */
    private @Nullable ChatResponse hedged(CallState x, HedgeConfig hedge) {
        Walk w = x.walk;
        String primaryId = x.plan.get(0);
        String hedgeId = x.plan.get(1);
        ModelRuntime primary = deployments.get(primaryId);
        ModelRuntime second = deployments.get(hedgeId);
        ModelDescriptor pm = deployments.descriptor(primary);
        ModelDescriptor sm = deployments.descriptor(second);
        Duration delay = hedge.delay().orElseGet(() -> {
            Duration p95 = primary.health.snapshot(clock.instant()).latencyP95().orElse(hedge.minDelay());
            return p95.compareTo(hedge.minDelay()) < 0 ? hedge.minDelay() : p95;
        });
        ExecutorCompletionService<Walk.Outcome> race = new ExecutorCompletionService<>(executor);
        Map<Future<Walk.Outcome>, String> ids = new HashMap<>();
        Future<Walk.Outcome> first = race.submit(() -> attempts.run(x, primary, pm, null, null));
        ids.put(first, primaryId);
        Future<Walk.Outcome> other = null;
        boolean budgeted = false;
        try {
            Future<Walk.Outcome> done = race.poll(Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
            if (done == null && retryBudget.tryAcquire()) {
                budgeted = true;
                metrics.count(MeshMetricNames.HEDGES);
                listeners.fire(new MeshEvent.HedgeStarted(x.scope.requestId(), primaryId, hedgeId, delay),
                        MeshListener::hedgeStarted);
                other = race.submit(() -> attempts.run(x, second, sm, null, null));
                ids.put(other, hedgeId);
            }
            int pending = other == null ? 1 : 2;
            List<Map.Entry<String, Walk.Outcome>> failures = new ArrayList<>(2);
            while (pending-- > 0) {
                Future<Walk.Outcome> f = done != null ? done : race.take();
                done = null;
                Walk.Outcome o = get(f);
                String id = ids.get(f);
                if (o.response() != null) {
                    Future<Walk.Outcome> loser = f == first ? other : first;
                    if (loser != null) {
                        loser.cancel(true); // the loser is cancelled; if it had already answered it is billed too
                    }
                    w.tried.add(id);
                    w.made++;
                    x.scope.answeredBy(id);
                    metrics.decision(deployments.descriptor(deployments.get(id)).modelName(),
                            f == first ? MeshMetricNames.OUTCOME_SELECTED : MeshMetricNames.OUTCOME_FALLBACK);
                    return o.response();
                }
                failures.add(Map.entry(id, o));
            }
            // nobody won: account for what was tried and let the walk go on
            for (Map.Entry<String, Walk.Outcome> e : failures) {
                String id = e.getKey();
                Walk.Outcome o = e.getValue();
                if (o.skipped() != null) {
                    w.excluded.add(id);
                } else {
                    w.made++;
                    w.tried.add(id);
                    w.failed(o.error(), id, deployments.descriptor(deployments.get(id)), null);
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

    private static Walk.Outcome get(Future<Walk.Outcome> f) throws InterruptedException {
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
}
