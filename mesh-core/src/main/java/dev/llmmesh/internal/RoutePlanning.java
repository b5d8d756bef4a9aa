package dev.llmmesh.internal;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmmesh.NoRouteException;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.event.MeshEvent;
import dev.llmmesh.event.MeshListener;
import dev.llmmesh.observation.MeshMetricNames;
import dev.llmmesh.routing.RoutingDecision;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Plans the call with the {@link RoutePlanner} over every deployment's health now, records the decision, and fails
 * with {@link NoRouteException} when no model can serve the request. The rest of the call counts as active in the
 * mesh-wide retry budget.
 */
final class RoutePlanning implements Stage<CallState> {
    private final RoutePlanner planner;
    private final Deployments deployments;
    private final RetryBudget retryBudget;
    private final Listeners listeners;
    private final MeshMetrics metrics;
    private final Clock clock;

    RoutePlanning(RoutePlanner planner, Deployments deployments, RetryBudget retryBudget, Listeners listeners,
                  MeshMetrics metrics, Clock clock) {
        this.planner = planner;
        this.deployments = deployments;
        this.retryBudget = retryBudget;
        this.listeners = listeners;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "route planning";
    }

    @Override
    public ChatResponse proceed(CallState x, Next<CallState> next) {
        DefaultCallScope scope = x.scope;
        Instant now = clock.instant();
        List<ModelRuntime> all = deployments.all();
        List<RoutePlanner.Candidate> candidates = new ArrayList<>(all.size());
        for (ModelRuntime rt : all) {
            ModelDescriptor d = deployments.descriptor(rt);
            candidates.add(new RoutePlanner.Candidate(d, rt.snapshot(now), rt.unhealthyReason(now),
                    rt.bulkheadLimit(), rt.rates(d)));
        }
        RoutingDecision decision = planner.route(scope.requestId(), x.request, x.context, x.streaming(), candidates,
                now, (modelId, r) -> listeners.fire(new MeshEvent.ModelDenied(scope.requestId(), modelId,
                        r.policyId(), r.reason()), MeshListener::modelDenied));
        scope.decision(decision);
        if (!listeners.isEmpty()) {
            listeners.fire(new MeshEvent.RouteSelected(scope.requestId(), decision), MeshListener::routeSelected);
        }
        List<String> plan = decision.plan();
        if (plan.isEmpty()) {
            metrics.decision(requested(x.request), MeshMetricNames.OUTCOME_EXHAUSTED);
            throw new NoRouteException("no registered model can serve this request: " + rejections(decision),
                    decision, List.of(), deployments.soonestHealthy(now), null);
        }
        x.decision = decision;
        x.plan = plan;
        retryBudget.enter();
        try {
            return next.proceed(x);
        } finally {
            retryBudget.exit();
        }
    }

    /** The model the request asked for, or {@code auto}: the tag of decision meters. */
    static String requested(ChatRequest request) {
        return request.modelName() != null ? request.modelName() : "auto";
    }

    /** Every rejected candidate and why, for error messages. */
    static String rejections(RoutingDecision decision) {
        StringBuilder sb = new StringBuilder();
        decision.rejected().forEach(r -> sb.append(sb.length() == 0 ? "" : "; ").append(r.modelId()).append(" (")
                .append(r.rejection().orElse("")).append(')'));
        return sb.length() == 0 ? "no candidates" : sb.toString();
    }
}
