package dev.llmmesh.routing;

import java.time.Duration;
import java.util.Objects;

/**
 * The router's settings. Immutable; build with {@link #builder()}, start from {@link #defaults()}.
 *
 * <p>Defaults: balanced weights, at most 3 attempts per call, a health window of the last 20 outcomes, latency EWMA
 * weight 0.2 for each new sample, a default call timeout of 60 s.
 *
 * @param weights        how the score terms count
 * @param maxAttempts    the most attempts (primary plus fallbacks) one call may make
 * @param healthWindow   how many recent outcomes per model the success rate is computed over
 * @param latencyAlpha   the EWMA weight of each new latency sample, in (0, 1]
 * @param defaultTimeout the deadline of a call whose {@link dev.llmmesh.CallContext} sets none
 */
public record RouterConfig(RoutingWeights weights, int maxAttempts, int healthWindow, double latencyAlpha,
                           Duration defaultTimeout) {

    public RouterConfig {
        Objects.requireNonNull(weights, "weights");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("routing.maxAttempts must be >= 1, got " + maxAttempts);
        }
        if (healthWindow < 1) {
            throw new IllegalArgumentException("routing.healthWindow must be >= 1, got " + healthWindow);
        }
        if (!(latencyAlpha > 0 && latencyAlpha <= 1)) {
            throw new IllegalArgumentException("routing.latencyAlpha must be in (0, 1], got " + latencyAlpha);
        }
        Objects.requireNonNull(defaultTimeout, "defaultTimeout");
        if (defaultTimeout.isNegative() || defaultTimeout.isZero()) {
            throw new IllegalArgumentException("routing.defaultTimeout must be positive, got " + defaultTimeout);
        }
    }

    public static RouterConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().weights(weights).maxAttempts(maxAttempts).healthWindow(healthWindow)
                .latencyAlpha(latencyAlpha).defaultTimeout(defaultTimeout);
    }

    /** Builds a {@link RouterConfig}; every setter is validated by {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private RoutingWeights weights = RoutingWeights.BALANCED;
        private int maxAttempts = 3;
        private int healthWindow = 20;
        private double latencyAlpha = 0.2;
        private Duration defaultTimeout = Duration.ofSeconds(60);

        private Builder() {
        }

        public Builder weights(RoutingWeights weights) {
            this.weights = weights;
            return this;
        }

        public Builder weights(double cost, double latency, double success) {
            this.weights = new RoutingWeights(cost, latency, success);
            return this;
        }

        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        public Builder healthWindow(int outcomes) {
            this.healthWindow = outcomes;
            return this;
        }

        public Builder latencyAlpha(double alpha) {
            this.latencyAlpha = alpha;
            return this;
        }

        public Builder defaultTimeout(Duration timeout) {
            this.defaultTimeout = timeout;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the setting when a value is out of range
         */
        public RouterConfig build() {
            return new RouterConfig(weights, maxAttempts, healthWindow, latencyAlpha, defaultTimeout);
        }
    }
}
