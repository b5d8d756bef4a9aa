package dev.llmmesh.spring.actuate;

import dev.llmmesh.Attempt;
import dev.llmmesh.Mesh;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.routing.CandidateReport;
import dev.llmmesh.routing.HealthSnapshot;
import dev.llmmesh.routing.RoutingDecision;
import dev.llmmesh.spring.MeshActivity;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code llmmesh} Actuator endpoint ({@code /actuator/llmmesh} over HTTP once exposed with
 * {@code management.endpoints.web.exposure.include=llmmesh}): the catalog of models with their health, the most recent
 * calls with their routing decisions, and the spend per team since startup. {@code /actuator/llmmesh/{requestId}}
 * shows one recent call with its decision as a table. Shows no prompt, answer, user name or secret. Thread-safe.
 */
@Endpoint(id = "llmmesh")
public class MeshEndpoint {
    private final Mesh mesh;
    private final MeshActivity activity;
    private final Clock clock;

    public MeshEndpoint(Mesh mesh, MeshActivity activity, Clock clock) {
        this.mesh = Objects.requireNonNull(mesh, "mesh");
        this.activity = Objects.requireNonNull(activity, "activity");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Catalog, health, recent decisions and spend per team. */
    @ReadOperation
    public Map<String, Object> mesh() {
        Instant now = clock.instant();
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> catalog = new LinkedHashMap<>();
        catalog.put("summary", mesh.catalog().summary());
        Map<String, HealthSnapshot> health = new LinkedHashMap<>();
        mesh.health().forEach(h -> health.put(h.modelId(), h));
        List<Map<String, Object>> models = new ArrayList<>();
        for (ModelDescriptor m : mesh.catalog().all(ModelDescriptor.class)) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("id", m.id());
            e.put("provider", m.provider());
            e.put("model", m.modelName());
            e.put("description", m.description());
            e.put("capabilities", m.capabilities().stream().map(c -> c.name().toLowerCase(Locale.ROOT)).sorted()
                    .toList());
            e.put("contextWindow", m.contextWindow());
            e.put("maxOutputTokens", m.maxOutputTokens());
            m.pricing().ifPresent(p -> e.put("pricingPerMillionUsd", Map.of("input", p.inputPerMillion(),
                    "output", p.outputPerMillion())));
            m.region().ifPresent(r -> e.put("region", r));
            e.put("maxDataClass", m.maxDataClass().name().toLowerCase(Locale.ROOT));
            e.put("owner", m.owner().domain() + "/" + m.owner().team());
            e.put("lifecycle", m.lifecycle().state().name().toLowerCase(Locale.ROOT));
            HealthSnapshot h = health.get(m.id());
            if (h != null) {
                e.put("health", ModelHealthIndicator.details(h, now));
            }
            models.add(e);
        }
        catalog.put("models", models);
        out.put("catalog", catalog);
        List<Map<String, Object>> recent = new ArrayList<>();
        activity.recentCalls().forEach(c -> recent.add(call(c, false)));
        out.put("recentDecisions", recent);
        Map<String, Object> spend = new LinkedHashMap<>();
        activity.spendByTeam().forEach((team, s) -> spend.put(team, Map.of("calls", s.calls(), "failed", s.failed(),
                "usd", s.usd(), "unpriced", s.unpriced())));
        out.put("spendByTeam", spend);
        return out;
    }

    /** One recent call with its whole decision (every candidate, its score terms or rejection, and the table). */
    @ReadOperation
    public @Nullable Map<String, Object> call(@Selector String requestId) {
        return activity.recentCalls().stream().filter(c -> c.requestId().equals(requestId)).findFirst()
                .map(c -> call(c, true)).orElse(null);
    }

    private static Map<String, Object> call(MeshActivity.RecentCall c, boolean full) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("requestId", c.requestId());
        e.put("at", c.at().toString());
        e.put("team", c.team().orElse(MeshActivity.NO_TEAM));
        c.decision().ifPresent(d -> {
            e.put("strategy", d.strategy());
            e.put("plan", d.plan());
            d.primary().ifPresent(p -> e.put("primary", p));
            Map<String, String> rejected = new LinkedHashMap<>();
            d.rejected().forEach(r -> rejected.put(r.modelId(), r.rejection().orElse("")));
            e.put("rejected", rejected);
        });
        c.modelId().ifPresent(m -> e.put("model", m));
        e.put("fallback", c.fellBack());
        List<Map<String, Object>> attempts = new ArrayList<>();
        for (Attempt a : c.attempts()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", a.modelId());
            m.put("latencyMs", a.latency().toMillis());
            a.error().ifPresent(k -> m.put("error", k.name().toLowerCase(Locale.ROOT)));
            attempts.add(m);
        }
        e.put("attempts", attempts);
        e.put("billedUsd", c.billed().usd());
        e.put("priceKnown", c.billed().known());
        e.put("durationMs", c.duration().toMillis());
        c.error().ifPresent(x -> e.put("error", x));
        if (full) {
            c.decision().ifPresent(d -> {
                e.put("candidates", candidates(d));
                e.put("table", d.toTable());
            });
        }
        return e;
    }

    private static List<Map<String, Object>> candidates(RoutingDecision d) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (CandidateReport r : d.candidates()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", r.modelId());
            m.put("provider", r.provider());
            m.put("rank", r.rank());
            r.score().ifPresent(s -> {
                m.put("score", s.total());
                m.put("estimatedCostUsd", s.estimatedCost().usd());
            });
            r.rejection().ifPresent(x -> m.put("rejection", x));
            if (!r.note().isEmpty()) {
                m.put("note", r.note());
            }
            out.add(m);
        }
        return out;
    }
}
