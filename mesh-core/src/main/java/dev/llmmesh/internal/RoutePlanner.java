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
import dev.llmmesh.routing.RoutingStrategy;
import dev.llmmesh.routing.ScoreTerms;
import dev.llmmesh.routing.WhenAllUnhealthy;
import java.math.BigDecimal;
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
 * The route planner: from every deployment's descriptor and health now, the plan of one call and the
 * {@link RoutingDecision} that explains it. Calls no model and keeps no state of its own.
 *
 * <p>Hard filters, then the strategy's score over normalised terms (estimated cost, latency EWMA, success rate, load,
 * preference); the plan is the surviving candidates by score, ties broken by id so equal inputs give equal plans.
 * Health filters (cooldown, open breaker) are capped by {@link RouterConfig#maxEjectionPercent()} and, when they leave
 * nothing, {@link RouterConfig#whenAllUnhealthy()} decides.
 */
final class RoutePlanner {
    /** Output tokens assumed for the cost estimate when the request sets no max_tokens. */
    static final int DEFAULT_EXPECTED_OUTPUT = 512;

    private final RouterConfig config;
    private final List<RouteFilter> filters;

    /** Told about every model a route filter refused while routing (the mesh turns these into listener events). */
    interface FilterRejections {
        void rejected(String modelId, RouteFilter.Rejection rejection);
    }

    RoutePlanner(RouterConfig config, List<RouteFilter> filters) {
        this.config = config;
        this.filters = filters;
    }

    /**
     * A candidate for one decision.
     *
     * @param model         the descriptor as the catalog holds it now
     * @param health        its health now
     * @param unhealthy     why it is ejected now (cooldown, open breaker), or null
     * @param bulkheadLimit its concurrency limit, 0 for none
     */
    record Candidate(ModelDescriptor model, HealthSnapshot health, @Nullable String unhealthy, int bulkheadLimit,
                     long @Nullable [] picoRates) {
    }

    RoutingDecision route(String requestId, ChatRequest request, CallContext context, boolean streaming,
                          List<Candidate> candidates, Instant now, FilterRejections onFilterRejection) {
        int inputTokens = RequestFacts.estimateInputTokens(request);
        Integer requestedMax = request.maxOutputTokens();
        Set<Capability> needed = RequestFacts.requiredCapabilities(request, context, streaming);
        String pinned = request.modelName();

        List<Candidate> eligible = new ArrayList<>(candidates.size());
        List<Candidate> ejected = new ArrayList<>();
        List<CandidateReport> rejected = new ArrayList<>();
        for (Candidate c : candidates) {
            String reason = reject(c, request, context, needed, inputTokens, requestedMax, pinned, onFilterRejection);
            if (reason != null) {
                rejected.add(rejection(c, reason));
            } else if (c.unhealthy() != null) {
                ejected.add(c);
            } else {
                eligible.add(c);
            }
        }
        // ejection cap: at most maxEjectionPercent of the candidates may be ejected; re-admit the least recently failed
        int mayEject = (int) Math.floor(candidates.size() * config.maxEjectionPercent() / 100.0);
        ejected.sort(Comparator.comparing((Candidate c) -> c.health().lastFailureAt().orElse(Instant.MIN))
                .thenComparing(c -> c.model().id()));
        List<String> notes = new ArrayList<>();
        while (ejected.size() > mayEject) {
            Candidate back = ejected.remove(0);
            eligible.add(back);
            notes.add(back.model().id());
        }
        if (eligible.isEmpty() && !ejected.isEmpty() && config.whenAllUnhealthy() == WhenAllUnhealthy.PROBE_LEAST_RECENTLY_FAILED) {
            Candidate probe = ejected.remove(0);
            eligible.add(probe);
            notes.add(probe.model().id());
        }
        for (Candidate c : ejected) {
            rejected.add(rejection(c, c.unhealthy()));
        }

        List<CandidateReport> scored = score(requestId, request, context, eligible, inputTokens, requestedMax, notes);
        List<CandidateReport> all = new ArrayList<>(candidates.size());
        for (int i = 0; i < scored.size(); i++) {
            CandidateReport r = scored.get(i);
            all.add(new CandidateReport(r.modelId(), r.provider(), i + 1, r.score(), r.rejection(), r.health(), r.note(),
                    r.readmitted()));
        }
        rejected.sort(Comparator.comparing(CandidateReport::modelId));
        all.addAll(rejected);
        return new RoutingDecision(requestId, all, inputTokens, config.strategy().name());
    }

    private List<CandidateReport> score(String requestId, ChatRequest request, CallContext context,
                                        List<Candidate> eligible, int inputTokens, @Nullable Integer requestedMax,
                                        List<String> readmitted) {
        int n = eligible.size();
        eligible.sort(Comparator.comparing(c -> c.model().id()));
        Cost[] costs = new Cost[n];
        double[] usd = new double[n];
        double minCost = Double.NaN;
        double minLatency = Double.NaN;
        ModelDescriptor[] modelArray = new ModelDescriptor[n];
        for (int i = 0; i < n; i++) {
            Candidate c = eligible.get(i);
            ModelDescriptor m = c.model();
            modelArray[i] = m;
            int out = requestedMax != null ? requestedMax : Math.min(DEFAULT_EXPECTED_OUTPUT, m.maxOutputTokens());
            long[] rates = c.picoRates();
            if (rates != null) {
                // integer picodollars: exact, and far cheaper than BigDecimal on the per-call path
                long pico = Math.addExact(Math.multiplyExact((long) inputTokens, rates[0]),
                        Math.multiplyExact((long) out, rates[1]));
                costs[i] = Cost.usd(BigDecimal.valueOf(pico, 12));
                usd[i] = pico / 1e12;
            } else {
                costs[i] = m.pricing().map(p -> p.cost(inputTokens, out, 0, 0)).orElse(Cost.UNKNOWN);
                usd[i] = costs[i].known() ? costs[i].usd().doubleValue() : Double.NaN;
            }
            if (costs[i].known() && (Double.isNaN(minCost) || usd[i] < minCost)) {
                minCost = usd[i];
            }
            Optional<java.time.Duration> lat = c.health().latencyEwma();
            if (lat.isPresent()) {
                double nanos = Math.max(1, lat.get().toNanos());
                minLatency = Double.isNaN(minLatency) ? nanos : Math.min(minLatency, nanos);
            }
        }
        List<ModelDescriptor> models = List.of(modelArray);
        double fastest = minLatency;
        Set<String> prefer = config.preferTags();
        RoutingStrategy strategy = config.strategy();
        List<CandidateReport> scored = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Candidate c = eligible.get(i);
            double costTerm;
            if (!costs[i].known()) {
                costTerm = 0; // unknown is not cheap
            } else if (usd[i] <= 0 || Double.isNaN(minCost)) {
                costTerm = 1;
            } else {
                costTerm = minCost / usd[i];
            }
            Optional<java.time.Duration> ewma = c.health().latencyEwma();
            double latencyTerm = ewma.isPresent() ? fastest / Math.max(1, ewma.get().toNanos()) : 1.0;
            double successTerm = c.health().successRate();
            int inFlight = c.health().inFlight();
            double loadTerm = c.bulkheadLimit() > 0
                    ? Math.max(0, 1.0 - inFlight / (double) c.bulkheadLimit()) : 1.0 / (1 + inFlight);
            double preferenceTerm = prefer.isEmpty() || hasAny(c.model().tags(), prefer) ? 1 : 0;
            ScoreTerms terms = new ScoreTerms(0, costTerm, latencyTerm, successTerm, loadTerm, preferenceTerm, costs[i]);
            double total = strategy.score(new RoutingStrategy.Input(c.model(), terms, models, request, context, requestId));
            boolean back = readmitted.contains(c.model().id());
            String note = back ? "re-admitted although " + c.unhealthy() : "";
            scored.add(new CandidateReport(c.model().id(), c.model().provider(), 0, Optional.of(terms.withTotal(total)),
                    Optional.empty(), c.health(), note, back));
        }
        scored.sort(Comparator.comparingDouble((CandidateReport r) -> r.score().orElseThrow().total()).reversed()
                .thenComparing(CandidateReport::modelId));
        return scored;
    }

    private static boolean hasAny(Set<String> tags, Set<String> wanted) {
        for (String t : tags) {
            if (wanted.contains(t)) {
                return true;
            }
        }
        return false;
    }

    private static CandidateReport rejection(Candidate c, String reason) {
        return new CandidateReport(c.model().id(), c.model().provider(), 0, Optional.empty(), Optional.of(reason),
                c.health(), "", false);
    }

    private @Nullable String reject(Candidate c, ChatRequest request, CallContext context, Set<Capability> needed,
                                    int inputTokens, @Nullable Integer requestedMax, @Nullable String pinned,
                                    FilterRejections onFilterRejection) {
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
        for (int i = 0; i < filters.size(); i++) {
            Optional<RouteFilter.Rejection> r = filters.get(i).check(m, request, context);
            if (r.isPresent()) {
                onFilterRejection.rejected(m.id(), r.get());
                return r.get().reason();
            }
        }
        return null;
    }
}
