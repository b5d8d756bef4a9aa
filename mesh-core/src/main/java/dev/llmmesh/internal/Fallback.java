package dev.llmmesh.internal;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmmesh.Attempt;
import dev.llmmesh.ConfigurationFailureException;
import dev.llmmesh.DeadlineExceededException;
import dev.llmmesh.ErrorKind;
import dev.llmmesh.MeshException;
import dev.llmmesh.MeshInternalException;
import dev.llmmesh.NoRouteException;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.observation.MeshMetricNames;
import dev.llmmesh.routing.CandidateReport;
import dev.llmmesh.routing.RouterConfig;
import dev.llmmesh.routing.RoutingDecision;
import dev.llmmesh.routing.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * Attempts down the plan until one succeeds, within the attempt cap, the mesh-wide retry budget and the call's
 * deadline. Fallbacks to untried models go at once; retries of a model already tried in the call wait a full-jitter
 * backoff. Non-retryable errors end the call, except auth/not-found (the deployment is broken: move on) and
 * context-length (only larger windows are tried). The last call stage: it runs attempts, it does not proceed.
 */
final class Fallback implements Stage<CallState> {
    private final CallPath.Attempts attempts;
    private final Deployments deployments;
    private final RouterConfig config;
    private final RetryBudget retryBudget;
    private final MeshMetrics metrics;
    private final Clock clock;
    private final Sleeper sleeper;

    Fallback(CallPath.Attempts attempts, Deployments deployments, RouterConfig config, RetryBudget retryBudget,
             MeshMetrics metrics, Clock clock, Sleeper sleeper) {
        this.attempts = attempts;
        this.deployments = deployments;
        this.config = config;
        this.retryBudget = retryBudget;
        this.metrics = metrics;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    @Override
    public String name() {
        return "fallback";
    }

    @Override
    public ChatResponse proceed(CallState x, Next<CallState> next) {
        Walk w = x.walk;
        RealChain chain = x.chain();
        int maxAttempts = Walk.maxAttempts(config, x.context);
        while (w.made < maxAttempts) {
            String id = w.next(x.plan);
            if (id == null) {
                break;
            }
            ModelRuntime rt = deployments.get(id);
            ModelDescriptor model = deployments.descriptor(rt);
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
                    throw exhausted(x, "retry budget exhausted (" + retryBudget.retrying()
                            + " retries in flight for " + retryBudget.active() + " active calls)");
                }
                budgeted = true;
            }
            try {
                Walk.Outcome o = attempts.run(x, rt, model, w.last, w.lastModel);
                if (o.skipped() != null) {
                    w.excluded.add(id);
                    continue;
                }
                w.made++;
                w.tried.add(id);
                if (o.response() != null) {
                    x.scope.answeredBy(id);
                    metrics.decision(model.modelName(), w.last == null ? MeshMetricNames.OUTCOME_SELECTED
                            : MeshMetricNames.OUTCOME_FALLBACK);
                    return o.response();
                }
                w.failed(o.error(), id, model, x.sink);
            } finally {
                if (budgeted) {
                    retryBudget.release();
                }
            }
        }
        throw exhausted(x, null);
    }

    private MeshException exhausted(CallState x, @Nullable String why) {
        Walk w = x.walk;
        RoutingDecision decision = x.decision();
        metrics.decision(RoutePlanning.requested(x.chain().request()), MeshMetricNames.OUTCOME_EXHAUSTED);
        Instant now = clock.instant();
        Duration retryAfter = deployments.soonestHealthy(now);
        if (w.last == null) {
            return new NoRouteException(why != null ? why : "every planned model was refused on this hop: "
                    + RoutePlanning.rejections(decision), decision, x.scope.attempts(), retryAfter, null);
        }
        if (why == null && configurationOnly(w, decision, now)) {
            return configurationFailure(x, decision);
        }
        String msg = (why != null ? why + "; " : "") + w.made + " attempt(s) failed, last on " + w.lastModel + ": "
                + w.last.kind().code();
        Duration hint = w.shortestRetryAfter;
        Duration shortest = hint == null ? retryAfter
                : retryAfter == null || hint.compareTo(retryAfter) < 0 ? hint : retryAfter;
        return new NoRouteException(msg, decision, x.scope.attempts(), shortest, w.last);
    }

    /**
     * Every failure was a configuration one, no planned model was left out for another reason (skipped), and no
     * untried model is cooling down or open (waiting may help then).
     */
    private boolean configurationOnly(Walk w, RoutingDecision decision, Instant now) {
        if (!w.onlyConfigurationFailures || w.made == 0) {
            return false;
        }
        for (String id : w.excluded) {
            if (!w.tried.contains(id)) {
                return false; // cooling down, breaker open, bulkhead full, denied on this hop, context too small
            }
        }
        for (CandidateReport r : decision.rejected()) {
            if (!w.tried.contains(r.modelId()) && deployments.get(r.modelId()).unhealthyReason(now) != null) {
                return false;
            }
        }
        return true;
    }

    private ConfigurationFailureException configurationFailure(CallState x, RoutingDecision decision) {
        Walk w = x.walk;
        List<Attempt> made = x.scope.attempts();
        Map<String, ErrorKind> byModel = new LinkedHashMap<>();
        for (Attempt a : made) {
            a.error().ifPresent(k -> byModel.putIfAbsent(a.modelId(), k));
        }
        StringBuilder sb = new StringBuilder("every model tried failed for a configuration reason: ");
        int i = 0;
        for (Map.Entry<String, ErrorKind> e : byModel.entrySet()) {
            sb.append(i++ == 0 ? "" : ", ").append(e.getKey()).append(" (").append(e.getValue().code()).append(')');
        }
        sb.append("; check each model's API key, model name and deployment");
        int untried = 0;
        for (String id : x.plan) {
            if (!w.tried.contains(id)) {
                untried++;
            }
        }
        if (untried > 0) {
            sb.append(" (").append(untried).append(" more planned model(s) not tried: attempt cap reached)");
        }
        return new ConfigurationFailureException(sb.toString(), decision, made, List.copyOf(byModel.keySet()), w.last);
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
}
