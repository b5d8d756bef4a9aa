package dev.llmmesh.internal;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmmesh.DeadlineExceededException;
import dev.llmmesh.ErrorKind;
import dev.llmmesh.MeshInternalException;
import dev.llmmesh.NoRouteException;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.observation.MeshMetricNames;
import dev.llmmesh.routing.RouterConfig;
import dev.llmmesh.routing.RoutingDecision;
import dev.llmmesh.routing.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

    private NoRouteException exhausted(CallState x, @Nullable String why) {
        Walk w = x.walk;
        RoutingDecision decision = x.decision();
        metrics.decision(RoutePlanning.requested(x.chain().request()), MeshMetricNames.OUTCOME_EXHAUSTED);
        Instant now = clock.instant();
        Duration retryAfter = deployments.soonestHealthy(now);
        if (w.last == null) {
            return new NoRouteException(why != null ? why : "every planned model was refused on this hop: "
                    + RoutePlanning.rejections(decision), decision, x.scope.attempts(), retryAfter, null);
        }
        String msg = (why != null ? why + "; " : "") + w.made + " attempt(s) failed, last on " + w.lastModel + ": "
                + w.last.kind().code();
        return new NoRouteException(msg, decision, x.scope.attempts(), w.last.retryAfter().orElse(retryAfter), w.last);
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
