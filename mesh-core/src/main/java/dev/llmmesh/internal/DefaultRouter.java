package dev.llmmesh.internal;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.CallContext;
import dev.llmmesh.Cost;
import dev.llmmesh.client.Capability;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.routing.CandidateReport;
import dev.llmmesh.routing.HealthSnapshot;
import dev.llmmesh.routing.RouteFilter;
import dev.llmmesh.routing.RouterConfig;
import dev.llmmesh.routing.RoutingDecision;
import dev.llmmesh.routing.RoutingWeights;
import dev.llmmesh.routing.ScoreTerms;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Hard filters, then a weighted score over estimated cost, latency EWMA and recent success rate; the plan is the
 * surviving candidates by score, ties broken by id so equal inputs give equal plans.
 */
final class DefaultRouter {
    /** Output tokens assumed for the cost estimate when the request sets no max_tokens. */
    static final int DEFAULT_EXPECTED_OUTPUT = 512;

    private final RouterConfig config;
    private final List<RouteFilter> filters;

    DefaultRouter(RouterConfig config, List<RouteFilter> filters) {
        this.config = config;
        this.filters = filters;
    }

    /** A candidate for one decision: the descriptor as the catalog holds it now, and its health. */
    record Candidate(ModelDescriptor model, HealthSnapshot health) {
    }

    RoutingDecision route(String requestId, ChatRequest request, CallContext context, boolean streaming,
                          List<Candidate> candidates, Instant now) {
        int inputTokens = RequestFacts.estimateInputTokens(request);
        Integer requestedMax = request.maxOutputTokens();
        Set<Capability> needed = RequestFacts.requiredCapabilities(request, context, streaming);
        String pinned = request.modelName();

        List<Candidate> eligible = new ArrayList<>(candidates.size());
        List<CandidateReport> rejected = new ArrayList<>();
        for (Candidate c : candidates) {
            String reason = reject(c, request, context, needed, inputTokens, requestedMax, pinned, now);
            if (reason == null) {
                eligible.add(c);
            } else {
                rejected.add(new CandidateReport(c.model().id(), c.model().provider(), 0, Optional.empty(),
                        Optional.of(reason), c.health()));
            }
        }

        int n = eligible.size();
        Cost[] costs = new Cost[n];
        BigDecimal minCost = null;
        double minLatency = Double.NaN;
        for (int i = 0; i < n; i++) {
            ModelDescriptor m = eligible.get(i).model();
            int out = requestedMax != null ? requestedMax : Math.min(DEFAULT_EXPECTED_OUTPUT, m.maxOutputTokens());
            costs[i] = m.pricing().map(p -> p.cost(inputTokens, out, 0, 0)).orElse(Cost.UNKNOWN);
            if (costs[i].known() && (minCost == null || costs[i].usd().compareTo(minCost) < 0)) {
                minCost = costs[i].usd();
            }
            Optional<java.time.Duration> lat = eligible.get(i).health().latencyEwma();
            if (lat.isPresent()) {
                double nanos = Math.max(1, lat.get().toNanos());
                minLatency = Double.isNaN(minLatency) ? nanos : Math.min(minLatency, nanos);
            }
        }
        RoutingWeights w = config.weights();
        double total = w.cost() + w.latency() + w.success();
        double fastest = minLatency;
        List<CandidateReport> scored = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Candidate c = eligible.get(i);
            double costTerm;
            if (!costs[i].known()) {
                costTerm = 0; // unknown is not cheap
            } else if (costs[i].usd().signum() == 0 || minCost == null) {
                costTerm = 1;
            } else {
                costTerm = minCost.divide(costs[i].usd(), MathContext.DECIMAL64).doubleValue();
            }
            double latencyTerm = c.health().latencyEwma()
                    .map(d -> fastest / Math.max(1, d.toNanos())).orElse(1.0);
            double successTerm = c.health().successRate();
            double score = (w.cost() * costTerm + w.latency() * latencyTerm + w.success() * successTerm) / total;
            scored.add(new CandidateReport(c.model().id(), c.model().provider(), 0,
                    Optional.of(new ScoreTerms(score, costTerm, latencyTerm, successTerm, costs[i])),
                    Optional.empty(), c.health()));
        }
        scored.sort(Comparator.comparingDouble((CandidateReport r) -> r.score().orElseThrow().total()).reversed()
                .thenComparing(CandidateReport::modelId));
        List<CandidateReport> all = new ArrayList<>(candidates.size());
        for (int i = 0; i < scored.size(); i++) {
            CandidateReport r = scored.get(i);
            all.add(new CandidateReport(r.modelId(), r.provider(), i + 1, r.score(), r.rejection(), r.health()));
        }
        rejected.sort(Comparator.comparing(CandidateReport::modelId));
        all.addAll(rejected);
        return new RoutingDecision(requestId, all, inputTokens);
    }

    private @Nullable String reject(Candidate c, ChatRequest request, CallContext context, Set<Capability> needed,
                                    int inputTokens, @Nullable Integer requestedMax, @Nullable String pinned,
                                    Instant now) {
        ModelDescriptor m = c.model();
        if (!m.lifecycle().state().usable()) {
            return "lifecycle " + m.lifecycle().state().name().toLowerCase(Locale.ROOT);
        }
        if (pinned != null && !m.answersTo(pinned)) {
            return "request asks for model \"" + pinned + "\"";
        }
        if (!m.capabilities().containsAll(needed)) {
            Set<Capability> missing = EnumSet.copyOf(needed);
            missing.removeAll(m.capabilities());
            return "missing capabilities " + missing.stream().map(Capability::configName).toList();
        }
        int out = requestedMax != null ? requestedMax : 0;
        if (requestedMax != null && requestedMax > m.maxOutputTokens()) {
            return "max output " + m.maxOutputTokens() + " < requested " + requestedMax;
        }
        if (inputTokens + out > m.contextWindow()) {
            return "context window " + m.contextWindow() + " < needed " + (inputTokens + out)
                    + " (~" + inputTokens + " input + " + out + " output)";
        }
        if (!m.maxDataClass().admits(context.dataClass())) {
            return "data class " + context.dataClass().name().toLowerCase(Locale.ROOT) + " above model ceiling "
                    + m.maxDataClass().name().toLowerCase(Locale.ROOT);
        }
        if (c.health().coolingDownAt(now)) {
            return "cooling down until " + c.health().cooldownUntil().orElseThrow();
        }
        for (int i = 0; i < filters.size(); i++) {
            Optional<String> r = filters.get(i).reject(m, request, context);
            if (r.isPresent()) {
                return r.get();
            }
        }
        return null;
    }
}
