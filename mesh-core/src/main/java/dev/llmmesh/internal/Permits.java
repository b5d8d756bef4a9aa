package dev.llmmesh.internal;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmmesh.event.MeshEvent;
import dev.llmmesh.event.MeshListener;
import dev.llmmesh.routing.CandidateReport;
import dev.llmmesh.routing.RouteFilter;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Re-checks health and the route filters (policy) for the model of this hop, takes its bulkhead slot and a breaker
 * permit, and gives both back whatever happens; the breaker permit goes back unused when the attempt ended without a
 * verdict from the provider. A model refused here is skipped (not an attempt).
 */
final class Permits implements Stage<AttemptState> {
    private final List<RouteFilter> routeFilters;
    private final Listeners listeners;
    private final Clock clock;

    Permits(List<RouteFilter> routeFilters, Listeners listeners, Clock clock) {
        this.routeFilters = routeFilters;
        this.listeners = listeners;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "permits";
    }

    @Override
    public ChatResponse proceed(AttemptState a, Next<AttemptState> next) {
        ModelRuntime rt = a.rt;
        DefaultCallScope scope = a.call.scope;
        String unhealthy = rt.unhealthyReason(clock.instant());
        if (unhealthy != null
                && !scope.decision().flatMap(d -> d.candidate(rt.id)).map(CandidateReport::readmitted).orElse(false)) {
            return skip(a, unhealthy);
        }
        for (int i = 0; i < routeFilters.size(); i++) {
            Optional<RouteFilter.Rejection> r = routeFilters.get(i).check(a.model, a.call.request, a.call.context);
            if (r.isPresent()) {
                listeners.fire(new MeshEvent.ModelDenied(scope.requestId(), a.model.id(), r.get().policyId(),
                        r.get().reason()), MeshListener::modelDenied);
                return skip(a, r.get().reason());
            }
        }
        if (!rt.tryEnterBulkhead()) {
            return skip(a, rt.bulkheadFullReason());
        }
        try {
            if (!rt.tryAcquireBreaker()) {
                return skip(a, "circuit breaker refused a permit");
            }
            try {
                return next.proceed(a);
            } finally {
                if (!a.verdict) {
                    rt.breakerRelease(); // ended before the provider gave a verdict: the permit goes back
                }
            }
        } finally {
            rt.exitBulkhead();
        }
    }

    private static ChatResponse skip(AttemptState a, String why) {
        a.skipped = why;
        return null;
    }
}
