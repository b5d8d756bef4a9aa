package dev.llmmesh.governance.ratelimit;

import dev.llmmesh.governance.budget.ScopeIdentity;
import dev.llmmesh.governance.budget.TokenEstimator;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The rate limits of a mesh. Immutable and thread-safe; build with {@link #builder()}.
 *
 * <p>Windows are fixed calendar minutes. A call counts one request and its estimated tokens (input estimate plus its
 * {@code max_tokens}, or {@link #assumedOutputTokens()} when it sets none) at admission; once the provider reports
 * usage, the token count is corrected to the real input plus output, so later calls in the same minute see it.
 *
 * <p>Defaults: no limits, 256 assumed output tokens, {@link TokenEstimator#DEFAULT}, {@link ScopeIdentity#defaults()},
 * and {@link RateLimitStoreFailure#LOCAL} with one instance.
 */
public final class RateLimitConfig {
    private final List<RateLimit> limits;
    private final List<ModelRateLimit> modelLimits;
    private final int assumedOutputTokens;
    private final ScopeIdentity identity;
    private final TokenEstimator tokenEstimator;
    private final RateLimitStoreFailure onStoreFailure;
    private final int instances;

    private RateLimitConfig(Builder b) {
        this.limits = List.copyOf(b.limits);
        this.modelLimits = List.copyOf(b.modelLimits);
        this.assumedOutputTokens = b.assumedOutputTokens;
        this.identity = b.identity;
        this.tokenEstimator = b.tokenEstimator;
        this.onStoreFailure = b.onStoreFailure;
        this.instances = b.instances;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Per-scope limits, checked once per call. */
    public List<RateLimit> limits() {
        return limits;
    }

    /** Per-model limits, checked on every attempt. */
    public List<ModelRateLimit> modelLimits() {
        return modelLimits;
    }

    /** Output tokens counted at admission for a request without {@code max_tokens}. */
    public int assumedOutputTokens() {
        return assumedOutputTokens;
    }

    /** How subjects are found in a call's context. */
    public ScopeIdentity identity() {
        return identity;
    }

    /** How input tokens are estimated at admission. */
    public TokenEstimator tokenEstimator() {
        return tokenEstimator;
    }

    /** What happens when the state store cannot answer. */
    public RateLimitStoreFailure onStoreFailure() {
        return onStoreFailure;
    }

    /** How many instances share the limits; with {@link RateLimitStoreFailure#LOCAL} each then allows 1/n. */
    public int instances() {
        return instances;
    }

    @Override
    public String toString() {
        return "RateLimitConfig{limits=" + limits + ", modelLimits=" + modelLimits + ", assumedOutputTokens="
                + assumedOutputTokens + ", onStoreFailure=" + onStoreFailure + ", instances=" + instances + '}';
    }

    /** Builds a {@link RateLimitConfig}. Not thread-safe. */
    public static final class Builder {
        private final List<RateLimit> limits = new ArrayList<>();
        private final List<ModelRateLimit> modelLimits = new ArrayList<>();
        private int assumedOutputTokens = 256;
        private ScopeIdentity identity = ScopeIdentity.defaults();
        private TokenEstimator tokenEstimator = TokenEstimator.DEFAULT;
        private RateLimitStoreFailure onStoreFailure = RateLimitStoreFailure.LOCAL;
        private int instances = 1;

        private Builder() {
        }

        /**
         * Adds a per-scope limit.
         *
         * @throws IllegalArgumentException if a limit for the same scope and subject was already added
         */
        public Builder limit(RateLimit limit) {
            Objects.requireNonNull(limit, "limit");
            for (RateLimit l : limits) {
                if (l.scope() == limit.scope() && l.subject().equals(limit.subject())) {
                    throw new IllegalArgumentException("duplicate rate limit for " + limit.scope().configName()
                            + limit.subject().map(s -> ":" + s).orElse(" (every subject)")
                            + "; put rpm and tpm in one limit");
                }
            }
            limits.add(limit);
            return this;
        }

        /**
         * Adds a per-model limit.
         *
         * @throws IllegalArgumentException if a limit for the same model was already added
         */
        public Builder modelLimit(ModelRateLimit limit) {
            Objects.requireNonNull(limit, "limit");
            for (ModelRateLimit l : modelLimits) {
                if (l.model().equals(limit.model())) {
                    throw new IllegalArgumentException("duplicate rate limit for model "
                            + limit.model().orElse("(every model)") + "; put rpm and tpm in one limit");
                }
            }
            modelLimits.add(limit);
            return this;
        }

        /**
         * Output tokens counted at admission for a request without {@code max_tokens}.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder assumedOutputTokens(int tokens) {
            if (tokens < 0) {
                throw new IllegalArgumentException("assumedOutputTokens must be >= 0, got " + tokens);
            }
            this.assumedOutputTokens = tokens;
            return this;
        }

        public Builder identity(ScopeIdentity identity) {
            this.identity = Objects.requireNonNull(identity, "identity");
            return this;
        }

        public Builder tokenEstimator(TokenEstimator estimator) {
            this.tokenEstimator = Objects.requireNonNull(estimator, "estimator");
            return this;
        }

        public Builder onStoreFailure(RateLimitStoreFailure mode) {
            this.onStoreFailure = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * How many instances of the service share the limits (for the local fallback share).
         *
         * @throws IllegalArgumentException if {@code n < 1}
         */
        public Builder instances(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("instances must be >= 1, got " + n);
            }
            this.instances = n;
            return this;
        }

        public RateLimitConfig build() {
            return new RateLimitConfig(this);
        }
    }
}
