package dev.llmmesh.internal;

import dev.llmmesh.MeshException;
import dev.llmmesh.NonRetryableException;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.routing.BreakerConfig;
import dev.llmmesh.routing.HealthSnapshot;
import dev.llmmesh.routing.RouterConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Everything the mesh keeps per model deployment: its client, health, circuit breaker (resilience4j, on the mesh
 * clock) and bulkhead. Thread-safe.
 */
final class ModelRuntime {
    final LlmClient client;
    final String id;
    final ModelHealth health;
    private final Clock clock;
    private final @Nullable CircuitBreaker breaker;
    private final @Nullable Duration waitInOpen;
    private final @Nullable Semaphore bulkhead;
    private final int bulkheadLimit;
    private volatile @Nullable Instant openUntil;
    private int consecutiveOpens;
    /** The rates of the pricing routed or billed last, each kept with the pricing it belongs to. */
    private volatile @Nullable CachedRates routingRates;
    private volatile @Nullable CachedRates billingRates;

    private final @Nullable MeshLog log;

    ModelRuntime(LlmClient client, RouterConfig config, Clock clock) {
        this(client, config, clock, null);
    }

    ModelRuntime(LlmClient client, RouterConfig config, Clock clock, @Nullable MeshLog log) {
        this.log = log;
        this.client = client;
        this.id = client.descriptor().id();
        this.clock = clock;
        this.health = new ModelHealth(id, config.healthWindow(), config.latencyAlpha(), config.healthMaxAge(),
                config.recoveryWindow());
        BreakerConfig b = config.breaker().orElse(null);
        if (b == null) {
            this.breaker = null;
            this.waitInOpen = null;
        } else {
            this.waitInOpen = b.waitInOpen();
            CircuitBreakerConfig cfg = CircuitBreakerConfig.custom()
                    .slidingWindow(b.windowSize(), b.minimumCalls(), CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                    .failureRateThreshold(b.failureRatePercent())
                    .slowCallRateThreshold(b.slowCallRatePercent())
                    .slowCallDurationThreshold(b.slowCallThreshold())
                    // the open period is kept here (openUntil, k × waitInOpen for the k-th consecutive opening) and
                    // enforced by the router, which asks for no permit before it ends; the breaker itself only waits
                    // 1 ms, so that a permit asked for after openUntil starts the half-open probes at once
                    .waitIntervalFunctionInOpenState(attempt -> 1L)
                    .permittedNumberOfCallsInHalfOpenState(b.halfOpenProbes())
                    .maxWaitDurationInHalfOpenState(b.maxWaitInHalfOpen())
                    .automaticTransitionFromOpenToHalfOpenEnabled(false)
                    .recordException(ModelRuntime::countsAgainstTheModel)
                    .clock(clock)
                    .build();
            this.breaker = CircuitBreaker.of("llm-mesh-" + id, cfg);
            this.breaker.getEventPublisher().onStateTransition(e -> onTransition(e.getStateTransition().getToState()));
        }
        OptionalInt limit = config.bulkhead(id);
        this.bulkheadLimit = limit.orElse(0);
        this.bulkhead = limit.isPresent() ? new Semaphore(limit.getAsInt()) : null;
    }

    /** Bad requests, policy denials and cancellations say nothing about the model's health. */
    static boolean countsAgainstTheModel(Throwable t) {
        if (t instanceof MeshException m) {
            return m.isRetryable() || (m instanceof NonRetryableException n && n.deploymentBroken());
        }
        return true;
    }

    private synchronized void onTransition(CircuitBreaker.State to) {
        if (to == CircuitBreaker.State.OPEN || to == CircuitBreaker.State.FORCED_OPEN) {
            consecutiveOpens++;
            openUntil = clock.instant().plus(waitInOpen.multipliedBy(consecutiveOpens));
            if (log != null) {
                log.breakerOpened(id, openUntil, consecutiveOpens);
            }
        } else if (to == CircuitBreaker.State.CLOSED) {
            boolean wasOpen = consecutiveOpens > 0;
            consecutiveOpens = 0;
            openUntil = null;
            if (log != null && wasOpen) {
                log.breakerClosed(id);
            }
        }
    }

    HealthSnapshot snapshot(Instant now) {
        return health.snapshot(now, breakerState());
    }

    /**
     * Rates derived from one pricing, kept together in one immutable object: a reader gets the rates of the pricing it
     * compared, never those another thread stored for a different pricing in between.
     */
    private record CachedRates(Object pricing, long @Nullable [] rates) {
    }

    /** What {@code usage} costs on {@code model}: exact, in integer picodollars when its prices allow. */
    dev.llmmesh.Cost bill(dev.llmmesh.client.ModelDescriptor model, dev.langchain4j.model.output.@Nullable TokenUsage usage) {
        dev.llmmesh.client.Pricing pricing = model.pricing().orElse(null);
        if (pricing == null) {
            return dev.llmmesh.Cost.UNKNOWN;
        }
        CachedRates cached = billingRates;
        if (cached == null || cached.pricing() != pricing) {
            cached = new CachedRates(pricing, pricing.exactPicoRates().orElse(null));
            billingRates = cached;
        }
        long[] r = cached.rates();
        if (r != null && usage != null) {
            try {
                return dev.llmmesh.client.Pricing.cost(r, dev.llmmesh.client.TokenCounts.of(usage));
            } catch (ArithmeticException e) {
                // beyond a long of picodollars: fall through to BigDecimal
            }
        }
        return pricing.cost(usage);
    }

    /**
     * {@link dev.llmmesh.client.Pricing#picoRates()} of {@code model}'s pricing (input, output), cached
     * while the pricing object is the same; null when the model has no price or its price is not exact in picodollars.
     */
    long @Nullable [] rates(dev.llmmesh.client.ModelDescriptor model) {
        dev.llmmesh.client.Pricing pricing = model.pricing().orElse(null);
        if (pricing == null) {
            return null;
        }
        CachedRates cached = routingRates;
        if (cached == null || cached.pricing() != pricing) {
            cached = new CachedRates(pricing, pricing.picoRates().orElse(null));
            routingRates = cached;
        }
        return cached.rates();
    }

    HealthSnapshot.BreakerState breakerState() {
        if (breaker == null) {
            return HealthSnapshot.BreakerState.DISABLED;
        }
        return switch (breaker.getState()) {
            case OPEN, FORCED_OPEN -> HealthSnapshot.BreakerState.OPEN;
            case HALF_OPEN -> HealthSnapshot.BreakerState.HALF_OPEN;
            default -> HealthSnapshot.BreakerState.CLOSED;
        };
    }

    /** Why the model may not be routed to now (cooldown, open breaker), or null when it may. */
    @Nullable String unhealthyReason(Instant now) {
        Instant cooldown = health.cooldownUntil();
        if (cooldown != null && now.isBefore(cooldown)) {
            return "cooling down until " + cooldown;
        }
        Instant open = openUntil;
        if (breaker != null && breakerState() == HealthSnapshot.BreakerState.OPEN && open != null && now.isBefore(open)) {
            return "circuit open until " + open;
        }
        return null;
    }

    /** When the model becomes routable again, if it is unhealthy now. */
    @Nullable Instant healthyAgainAt(Instant now) {
        Instant cooldown = health.cooldownUntil();
        Instant open = breakerState() == HealthSnapshot.BreakerState.OPEN ? openUntil : null;
        Instant best = null;
        for (Instant i : new Instant[] {cooldown, open}) {
            if (i != null && i.isAfter(now) && (best == null || i.isAfter(best))) {
                best = i;
            }
        }
        return best;
    }

    /** Takes a bulkhead slot; false when the model is at its concurrency limit. */
    boolean tryEnterBulkhead() {
        return bulkhead == null || bulkhead.tryAcquire();
    }

    void exitBulkhead() {
        if (bulkhead != null) {
            bulkhead.release();
        }
    }

    String bulkheadFullReason() {
        return "bulkhead full (" + bulkheadLimit + " calls in flight)";
    }

    int bulkheadLimit() {
        return bulkheadLimit;
    }

    /** Asks the breaker for a permit (in half-open, one of the probes); false when refused. */
    boolean tryAcquireBreaker() {
        return breaker == null || breaker.tryAcquirePermission();
    }

    void breakerSuccess(long nanos) {
        if (breaker != null) {
            breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
        }
    }

    void breakerFailure(long nanos, Throwable error) {
        if (breaker != null) {
            boolean probing = breaker.getState() == CircuitBreaker.State.HALF_OPEN;
            breaker.onError(nanos, TimeUnit.NANOSECONDS, error);
            if (probing && countsAgainstTheModel(error) && breaker.getState() == CircuitBreaker.State.HALF_OPEN) {
                // any failed probe re-opens at once (resilience4j would wait for all probes and compare rates)
                breaker.transitionToOpenState();
            }
        }
    }

    /** Gives back a permit of a call that ended without a verdict (cancelled, abandoned). */
    void breakerRelease() {
        if (breaker != null) {
            breaker.releasePermission();
        }
    }
}
