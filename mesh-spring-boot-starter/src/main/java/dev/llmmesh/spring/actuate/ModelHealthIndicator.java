package dev.llmmesh.spring.actuate;

import dev.llmmesh.Mesh;
import dev.llmmesh.routing.HealthSnapshot;
import dev.llmmesh.routing.HealthSnapshot.BreakerState;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The health of one model of the mesh, from the router's own view ({@link Mesh#health()}):
 * <ul>
 *   <li>{@code DOWN} while its circuit breaker is open: the router does not call it;</li>
 *   <li>{@link #DEGRADED} while it is cooling down (a provider's Retry-After), while its breaker is half-open
 *       (probing), or when its success rate in the health window is below {@code degradedBelow};</li>
 *   <li>{@code UP} otherwise (also before its first call).</li>
 * </ul>
 * Details: breaker state, cooldown end, success rate and samples, latency EWMA and p95, calls in flight, last failure.
 * No secret and no prompt text. Thread-safe; each {@link #health()} reads a fresh snapshot.
 */
public final class ModelHealthIndicator implements HealthIndicator {
    /**
     * A model that still answers but not at its best. Boot's default status order does not know it, so it neither
     * lowers the aggregate nor maps to an HTTP error; add it to {@code management.endpoint.health.status.order}
     * (e.g. {@code DOWN,OUT_OF_SERVICE,DEGRADED,UP,UNKNOWN}) to rank it.
     */
    public static final Status DEGRADED = new Status("DEGRADED", "the model answers, but is cooling down, probing or "
            + "failing often");

    private final Mesh mesh;
    private final String modelId;
    private final double degradedBelow;
    private final Clock clock;

    /**
     * @param degradedBelow success rate under which the model is {@link #DEGRADED}, in [0, 1]
     * @throws IllegalArgumentException if {@code degradedBelow} is outside [0, 1]
     */
    public ModelHealthIndicator(Mesh mesh, String modelId, double degradedBelow, Clock clock) {
        this.mesh = Objects.requireNonNull(mesh, "mesh");
        this.modelId = Objects.requireNonNull(modelId, "modelId");
        if (!(degradedBelow >= 0 && degradedBelow <= 1)) {
            throw new IllegalArgumentException("degradedBelow must be in [0, 1], got " + degradedBelow);
        }
        this.degradedBelow = degradedBelow;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Health health() {
        Optional<HealthSnapshot> found = mesh.health().stream().filter(h -> h.modelId().equals(modelId)).findFirst();
        if (found.isEmpty()) {
            return Health.unknown().withDetail("reason", "the mesh no longer lists this model").build();
        }
        HealthSnapshot h = found.get();
        Instant now = clock.instant();
        Health.Builder b;
        if (h.breaker() == BreakerState.OPEN) {
            b = Health.down().withDetail("reason", "circuit breaker open: not routed to until it half-opens");
        } else if (h.coolingDownAt(now)) {
            b = Health.status(DEGRADED).withDetail("reason", "cooling down after the provider asked to wait");
        } else if (h.breaker() == BreakerState.HALF_OPEN) {
            b = Health.status(DEGRADED).withDetail("reason", "circuit breaker half-open: probing");
        } else if (h.samples() > 0 && h.successRate() < degradedBelow) {
            b = Health.status(DEGRADED).withDetail("reason", String.format(Locale.ROOT,
                    "success rate %.2f below %.2f", h.successRate(), degradedBelow));
        } else {
            b = Health.up();
        }
        return b.withDetails(details(h, now)).build();
    }

    static Map<String, Object> details(HealthSnapshot h, Instant now) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("breaker", h.breaker().name());
        d.put("coolingDown", h.coolingDownAt(now));
        h.cooldownUntil().filter(now::isBefore).ifPresent(t -> d.put("cooldownUntil", t.toString()));
        d.put("samples", h.samples());
        d.put("successRate", h.successRate());
        h.latencyEwma().ifPresent(l -> d.put("latencyEwmaMs", l.toMillis()));
        h.latencyP95().ifPresent(l -> d.put("latencyP95Ms", l.toMillis()));
        d.put("inFlight", h.inFlight());
        h.lastFailureAt().ifPresent(t -> d.put("lastFailureAt", t.toString()));
        return d;
    }
}
