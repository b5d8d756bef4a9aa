package dev.llmmesh.routing;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The router's and the resilience layer's settings. Immutable and thread-safe; build with {@link #builder()}, start
 * from {@link #defaults()}, copy with {@link #toBuilder()}.
 *
 * <p>Defaults (each documented on its builder method): balanced strategy with equal weights; at most 3 attempts per
 * call; full-jitter backoff 100 ms ×2 capped at 2 s; retry budget 20% of active calls, floor 3; a 60 s call
 * deadline and no separate per-attempt timeout; circuit breaker per model with {@link BreakerConfig#DEFAULT}; no
 * bulkheads; fail fast when every model is unhealthy; no hedging; a 60 s idle timeout for streams; a 30 s drain on close; no ejection cap;
 * health over the last 20 outcomes within 5 minutes, forgotten after 30 s without an outcome; latency EWMA weight 0.2.
 */
public final class RouterConfig {
    private final @Nullable RoutingStrategy explicitStrategy;
    private final RoutingStrategy strategy;
    private final RoutingWeights weights;
    private final int maxAttempts;
    private final int healthWindow;
    private final Duration healthMaxAge;
    private final Duration recoveryWindow;
    private final double latencyAlpha;
    private final Duration defaultTimeout;
    private final @Nullable Duration attemptTimeout;
    private final BackoffConfig backoff;
    private final double retryBudgetRatio;
    private final int retryBudgetFloor;
    private final @Nullable BreakerConfig breaker;
    private final @Nullable Integer defaultBulkhead;
    private final Map<String, Integer> bulkheads;
    private final WhenAllUnhealthy whenAllUnhealthy;
    private final @Nullable HedgeConfig hedging;
    private final Duration streamIdleTimeout;
    private final Duration drainTimeout;
    private final int maxEjectionPercent;
    private final Set<String> preferTags;

    private RouterConfig(Builder b) {
        this.weights = b.weights;
        this.explicitStrategy = b.strategy;
        this.strategy = b.strategy != null ? b.strategy : RoutingStrategies.balanced(b.weights);
        this.maxAttempts = b.maxAttempts;
        this.healthWindow = b.healthWindow;
        this.healthMaxAge = b.healthMaxAge;
        this.recoveryWindow = b.recoveryWindow;
        this.latencyAlpha = b.latencyAlpha;
        this.defaultTimeout = b.defaultTimeout;
        this.attemptTimeout = b.attemptTimeout;
        this.backoff = b.backoff;
        this.retryBudgetRatio = b.retryBudgetRatio;
        this.retryBudgetFloor = b.retryBudgetFloor;
        this.breaker = b.breaker;
        this.defaultBulkhead = b.defaultBulkhead;
        this.bulkheads = Map.copyOf(b.bulkheads);
        this.whenAllUnhealthy = b.whenAllUnhealthy;
        this.hedging = b.hedging;
        this.streamIdleTimeout = b.streamIdleTimeout;
        this.drainTimeout = b.drainTimeout;
        this.maxEjectionPercent = b.maxEjectionPercent;
        this.preferTags = Set.copyOf(b.preferTags);
    }

    public static RouterConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.strategy = explicitStrategy; // a derived balanced strategy follows later weight changes
        b.weights = weights;
        b.maxAttempts = maxAttempts;
        b.healthWindow = healthWindow;
        b.healthMaxAge = healthMaxAge;
        b.recoveryWindow = recoveryWindow;
        b.latencyAlpha = latencyAlpha;
        b.defaultTimeout = defaultTimeout;
        b.attemptTimeout = attemptTimeout;
        b.backoff = backoff;
        b.retryBudgetRatio = retryBudgetRatio;
        b.retryBudgetFloor = retryBudgetFloor;
        b.breaker = breaker;
        b.defaultBulkhead = defaultBulkhead;
        b.bulkheads.putAll(bulkheads);
        b.whenAllUnhealthy = whenAllUnhealthy;
        b.hedging = hedging;
        b.streamIdleTimeout = streamIdleTimeout;
        b.drainTimeout = drainTimeout;
        b.maxEjectionPercent = maxEjectionPercent;
        b.preferTags = preferTags;
        return b;
    }

    public RoutingStrategy strategy() {
        return strategy;
    }

    public RoutingWeights weights() {
        return weights;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public int healthWindow() {
        return healthWindow;
    }

    public Duration healthMaxAge() {
        return healthMaxAge;
    }

    /**
     * A model with no outcome for this long starts afresh: its older outcomes and latency no longer count, so a model
     * demoted by one slow call or one error is tried again and earns its place back (default 30 s).
     */
    public Duration recoveryWindow() {
        return recoveryWindow;
    }

    public double latencyAlpha() {
        return latencyAlpha;
    }

    public Duration defaultTimeout() {
        return defaultTimeout;
    }

    public Optional<Duration> attemptTimeout() {
        return Optional.ofNullable(attemptTimeout);
    }

    public BackoffConfig backoff() {
        return backoff;
    }

    public double retryBudgetRatio() {
        return retryBudgetRatio;
    }

    public int retryBudgetFloor() {
        return retryBudgetFloor;
    }

    /** The circuit breaker settings; empty when breakers are disabled. */
    public Optional<BreakerConfig> breaker() {
        return Optional.ofNullable(breaker);
    }

    /** The concurrent-call limit of {@code modelId}, if it has a bulkhead. */
    public OptionalInt bulkhead(String modelId) {
        Integer v = bulkheads.getOrDefault(modelId, defaultBulkhead);
        return v == null ? OptionalInt.empty() : OptionalInt.of(v);
    }

    public WhenAllUnhealthy whenAllUnhealthy() {
        return whenAllUnhealthy;
    }

    public Optional<HedgeConfig> hedging() {
        return Optional.ofNullable(hedging);
    }

    public Duration streamIdleTimeout() {
        return streamIdleTimeout;
    }

    /** How long {@code close()} waits for calls in flight before abandoning them (default 30 s). */
    public Duration drainTimeout() {
        return drainTimeout;
    }

    public int maxEjectionPercent() {
        return maxEjectionPercent;
    }

    public Set<String> preferTags() {
        return preferTags;
    }

    @Override
    public String toString() {
        return "RouterConfig{strategy=" + strategy.name() + ", maxAttempts=" + maxAttempts + ", backoff=" + backoff
                + ", retryBudget=" + retryBudgetRatio + "/" + retryBudgetFloor + ", breaker=" + breaker
                + ", hedging=" + hedging + ", defaultTimeout=" + defaultTimeout + '}';
    }

    /** Builds a {@link RouterConfig}. Every setter validates at once. Not thread-safe. */
    public static final class Builder {
        private @Nullable RoutingStrategy strategy;
        private RoutingWeights weights = RoutingWeights.BALANCED;
        private int maxAttempts = 3;
        private int healthWindow = 20;
        private Duration healthMaxAge = Duration.ofMinutes(5);
        private Duration recoveryWindow = Duration.ofSeconds(30);
        private double latencyAlpha = 0.2;
        private Duration defaultTimeout = Duration.ofSeconds(60);
        private @Nullable Duration attemptTimeout;
        private BackoffConfig backoff = BackoffConfig.DEFAULT;
        private double retryBudgetRatio = 0.2;
        private int retryBudgetFloor = 3;
        private @Nullable BreakerConfig breaker = BreakerConfig.DEFAULT;
        private @Nullable Integer defaultBulkhead;
        private final Map<String, Integer> bulkheads = new LinkedHashMap<>();
        private WhenAllUnhealthy whenAllUnhealthy = WhenAllUnhealthy.FAIL_FAST;
        private @Nullable HedgeConfig hedging;
        private Duration streamIdleTimeout = Duration.ofSeconds(60);
        private Duration drainTimeout = Duration.ofSeconds(30);
        private int maxEjectionPercent = 100;
        private Set<String> preferTags = Set.of();

        private Builder() {
        }

        /** The scoring strategy (default: balanced over {@link #weights}). */
        public Builder strategy(RoutingStrategy strategy) {
            this.strategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /** Weights of the balanced strategy (default: all 1). */
        public Builder weights(RoutingWeights weights) {
            this.weights = Objects.requireNonNull(weights, "weights");
            return this;
        }

        /**
         * Weights of the balanced strategy for cost, latency and success (load and preference stay 1).
         *
         * @throws IllegalArgumentException if a weight is negative or all are zero
         */
        public Builder weights(double cost, double latency, double success) {
            this.weights = new RoutingWeights(cost, latency, success);
            return this;
        }

        /**
         * The most upstream attempts one call may make, fallbacks and retries included (default 3).
         *
         * @throws IllegalArgumentException if {@code maxAttempts < 1}
         */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("routing.maxAttempts must be >= 1, got " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * How many recent outcomes per model the success rate and p95 are computed over (default 20).
         *
         * @throws IllegalArgumentException if {@code outcomes < 1}
         */
        public Builder healthWindow(int outcomes) {
            if (outcomes < 1) {
                throw new IllegalArgumentException("routing.healthWindow must be >= 1, got " + outcomes);
            }
            this.healthWindow = outcomes;
            return this;
        }

        /**
         * Outcomes older than this no longer count towards health (default 5 minutes).
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder healthMaxAge(Duration maxAge) {
            this.healthMaxAge = positive(maxAge, "routing.healthMaxAge");
            return this;
        }

        /**
         * A model that has had no outcome for this long (because the router stopped choosing it after a slow call or
         * an error) is scored afresh: its older outcomes and its latency EWMA are forgotten, so it is tried again and
         * earns its place back by its next measurements (default 30 s). Cooldowns and open breakers are unaffected.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder recoveryWindow(Duration window) {
            this.recoveryWindow = positive(window, "routing.recoveryWindow");
            return this;
        }

        /**
         * EWMA weight of each new latency sample (default 0.2).
         *
         * @throws IllegalArgumentException if not in (0, 1]
         */
        public Builder latencyAlpha(double alpha) {
            if (!(alpha > 0 && alpha <= 1)) {
                throw new IllegalArgumentException("routing.latencyAlpha must be in (0, 1], got " + alpha);
            }
            this.latencyAlpha = alpha;
            return this;
        }

        /**
         * The deadline of a call whose context sets none: it covers every attempt and backoff (default 60 s).
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder defaultTimeout(Duration timeout) {
            this.defaultTimeout = positive(timeout, "routing.defaultTimeout");
            return this;
        }

        /**
         * The most one attempt may take (default: only the call deadline bounds it).
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder attemptTimeout(Duration timeout) {
            this.attemptTimeout = positive(timeout, "routing.attemptTimeout");
            return this;
        }

        /** Backoff between retries of models already tried in the call (default {@link BackoffConfig#DEFAULT}). */
        public Builder backoff(BackoffConfig backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /**
         * The mesh-wide retry budget: concurrent retries (attempts after a call's first) may be at most
         * {@code max(floor, ratio × active calls)} (default 0.2 and 3).
         *
         * @throws IllegalArgumentException if ratio is not in [0, 1] or floor &lt; 0
         */
        public Builder retryBudget(double ratio, int floor) {
            if (!(ratio >= 0 && ratio <= 1)) {
                throw new IllegalArgumentException("routing.retryBudget.ratio must be in [0, 1], got " + ratio);
            }
            if (floor < 0) {
                throw new IllegalArgumentException("routing.retryBudget.floor must be >= 0, got " + floor);
            }
            this.retryBudgetRatio = ratio;
            this.retryBudgetFloor = floor;
            return this;
        }

        /** Circuit breaker settings for every model (default {@link BreakerConfig#DEFAULT}). */
        public Builder breaker(BreakerConfig breaker) {
            this.breaker = Objects.requireNonNull(breaker, "breaker");
            return this;
        }

        /** Turns circuit breakers off. */
        public Builder noBreaker() {
            this.breaker = null;
            return this;
        }

        /**
         * A concurrent-call limit for every model without its own (default: none).
         *
         * @throws IllegalArgumentException if {@code maxConcurrent < 1}
         */
        public Builder defaultBulkhead(int maxConcurrent) {
            this.defaultBulkhead = atLeastOne(maxConcurrent, "routing.bulkhead.default");
            return this;
        }

        /**
         * A concurrent-call limit for {@code modelId}: beyond it, calls fall back to other models.
         *
         * @throws IllegalArgumentException if {@code maxConcurrent < 1}
         */
        public Builder bulkhead(String modelId, int maxConcurrent) {
            bulkheads.put(Objects.requireNonNull(modelId, "modelId"),
                    atLeastOne(maxConcurrent, "routing.bulkhead." + modelId));
            return this;
        }

        /** What to do when every model is cooling down or open (default fail fast). */
        public Builder whenAllUnhealthy(WhenAllUnhealthy behaviour) {
            this.whenAllUnhealthy = Objects.requireNonNull(behaviour, "behaviour");
            return this;
        }

        /** Turns hedging on (default off). */
        public Builder hedging(HedgeConfig hedging) {
            this.hedging = Objects.requireNonNull(hedging, "hedging");
            return this;
        }

        /**
         * A stream with no chunk for this long is aborted (default 60 s).
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder streamIdleTimeout(Duration timeout) {
            this.streamIdleTimeout = positive(timeout, "routing.streamIdleTimeout");
            return this;
        }

        /**
         * How long {@link dev.llmmesh.Mesh#close()} waits for calls in flight to finish (default 30 s). New calls are
         * refused with {@link dev.llmmesh.MeshClosedException} from the moment close begins; calls still running when
         * the timeout ends are abandoned (their clients closed) and fail with it too.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder drainTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "routing.drainTimeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("routing.drainTimeout must be >= 0, got " + timeout);
            }
            this.drainTimeout = timeout;
            return this;
        }

        /**
         * At most this share of the models may be ejected (cooling down or open) at once; beyond it the router keeps
         * routing to the least recently failed of them (default 100: no cap).
         *
         * @throws IllegalArgumentException if not in [0, 100]
         */
        public Builder maxEjectionPercent(int percent) {
            if (percent < 0 || percent > 100) {
                throw new IllegalArgumentException("routing.maxEjectionPercent must be in [0, 100], got " + percent);
            }
            this.maxEjectionPercent = percent;
            return this;
        }

        /** Tags a model scores its preference term for (default none: every model scores 1). */
        public Builder preferTags(Set<String> tags) {
            this.preferTags = Set.copyOf(tags);
            return this;
        }

        public RouterConfig build() {
            return new RouterConfig(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + d);
            }
            return d;
        }

        private static int atLeastOne(int v, String name) {
            if (v < 1) {
                throw new IllegalArgumentException(name + " must be >= 1, got " + v);
            }
            return v;
        }
    }
}
