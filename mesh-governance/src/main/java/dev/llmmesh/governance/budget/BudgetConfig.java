package dev.llmmesh.governance.budget;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The budgets of a mesh: the limits, the time zone their windows align to, and what happens when a cost cannot be
 * estimated or the state store is down. Immutable and thread-safe; build with {@link #builder()}.
 *
 * <p>Defaults: no limits, windows in UTC, models without a price rejected, fail closed when the store is down, no
 * output-token clamp (a request without {@code max_tokens} reserves the model's maximum output), the
 * {@link TokenEstimator#DEFAULT} estimator, {@link ScopeIdentity#defaults()}, and agent-run totals kept 30 days.
 */
public final class BudgetConfig {
    private final List<BudgetLimit> limits;
    private final ZoneId zone;
    private final Optional<BigDecimal> unpricedReservation;
    private final StoreFailureMode onStoreFailure;
    private final Optional<Integer> maxOutputTokens;
    private final Map<String, Integer> teamMaxOutputTokens;
    private final ScopeIdentity identity;
    private final TokenEstimator tokenEstimator;
    private final Duration totalRetention;
    private final Optional<SpendLedger> ledger;

    private BudgetConfig(Builder b) {
        this.limits = List.copyOf(b.limits);
        this.zone = b.zone;
        this.unpricedReservation = Optional.ofNullable(b.unpricedReservation);
        this.onStoreFailure = b.onStoreFailure;
        this.maxOutputTokens = Optional.ofNullable(b.maxOutputTokens);
        this.teamMaxOutputTokens = Map.copyOf(b.teamMaxOutputTokens);
        this.identity = b.identity;
        this.tokenEstimator = b.tokenEstimator;
        this.totalRetention = b.totalRetention;
        this.ledger = Optional.ofNullable(b.ledger);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The limits, in the order given. */
    public List<BudgetLimit> limits() {
        return limits;
    }

    /** The time zone windows align to. */
    public ZoneId zone() {
        return zone;
    }

    /**
     * What a call reserves for a candidate model that has no price; empty means such models are rejected (never
     * routed to while a budget applies), because an unknown cost is never free.
     */
    public Optional<BigDecimal> unpricedReservation() {
        return unpricedReservation;
    }

    /** What happens when the state store cannot answer. */
    public StoreFailureMode onStoreFailure() {
        return onStoreFailure;
    }

    /** The org-wide cap on output tokens per call, applied to requests and to reservations. */
    public Optional<Integer> maxOutputTokens() {
        return maxOutputTokens;
    }

    /** Per-team caps on output tokens per call; they override {@link #maxOutputTokens()} for that team. */
    public Map<String, Integer> teamMaxOutputTokens() {
        return teamMaxOutputTokens;
    }

    /** The output-token cap for a call of {@code team}, if any. */
    public Optional<Integer> maxOutputTokensFor(Optional<String> team) {
        if (team.isPresent() && teamMaxOutputTokens.containsKey(team.get())) {
            return Optional.of(teamMaxOutputTokens.get(team.get()));
        }
        return maxOutputTokens;
    }

    /** How subjects are found in a call's context. */
    public ScopeIdentity identity() {
        return identity;
    }

    /** How input tokens are estimated before the call. */
    public TokenEstimator tokenEstimator() {
        return tokenEstimator;
    }

    /** The durable record of spend counters are rebuilt from when the state store loses them, if set. */
    public Optional<SpendLedger> ledger() {
        return ledger;
    }

    /** How long the counters of {@link BudgetWindow#TOTAL} limits are kept after they were created. */
    public Duration totalRetention() {
        return totalRetention;
    }

    @Override
    public String toString() {
        return "BudgetConfig{limits=" + limits + ", zone=" + zone + ", unpricedReservation="
                + unpricedReservation.map(BigDecimal::toPlainString).orElse("reject") + ", onStoreFailure="
                + onStoreFailure + ", maxOutputTokens=" + maxOutputTokens + ", teamMaxOutputTokens="
                + teamMaxOutputTokens + ", identity=" + identity + '}';
    }

    /** Builds a {@link BudgetConfig}. Not thread-safe. */
    public static final class Builder {
        private final List<BudgetLimit> limits = new ArrayList<>();
        private ZoneId zone = ZoneOffset.UTC;
        private BigDecimal unpricedReservation;
        private StoreFailureMode onStoreFailure = StoreFailureMode.FAIL_CLOSED;
        private Integer maxOutputTokens;
        private final Map<String, Integer> teamMaxOutputTokens = new LinkedHashMap<>();
        private ScopeIdentity identity = ScopeIdentity.defaults();
        private TokenEstimator tokenEstimator = TokenEstimator.DEFAULT;
        private Duration totalRetention = Duration.ofDays(30);
        private SpendLedger ledger;

        private Builder() {
        }

        /**
         * The durable record of spend (e.g. {@link FileSpendLedger}): every settled call is recorded there, and when
         * the state store loses its counters (Redis flushed or restarted empty) they are rebuilt from it before any
         * call is admitted. Required when budgets run on a shared store; without it an in-memory store starts from 0
         * with its process.
         */
        public Builder ledger(SpendLedger ledger) {
            this.ledger = Objects.requireNonNull(ledger, "ledger");
            return this;
        }

        /**
         * Adds a limit.
         *
         * @throws IllegalArgumentException if an identical limit (same scope, subject and window) was already added
         */
        public Builder limit(BudgetLimit limit) {
            Objects.requireNonNull(limit, "limit");
            for (BudgetLimit l : limits) {
                if (l.scope() == limit.scope() && l.subject().equals(limit.subject()) && l.window() == limit.window()) {
                    throw new IllegalArgumentException("duplicate budget for " + limit.describe()
                            + "; keep one limit per scope, subject and window");
                }
            }
            limits.add(limit);
            return this;
        }

        /** Adds limits. */
        public Builder limits(List<BudgetLimit> limits) {
            limits.forEach(this::limit);
            return this;
        }

        /** The time zone windows align to (midnight, first of the month). */
        public Builder zone(ZoneId zone) {
            this.zone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        /**
         * Candidate models without a price reserve {@code usd} (and settle at it when the cost stays unknown).
         *
         * @throws IllegalArgumentException if {@code usd} is not positive
         */
        public Builder unpricedReservation(BigDecimal usd) {
            Objects.requireNonNull(usd, "usd");
            if (usd.signum() <= 0) {
                throw new IllegalArgumentException("unpricedReservation must be > 0 (an unknown cost is never free), "
                        + "got " + usd.toPlainString() + "; call rejectUnpricedModels() to reject instead");
            }
            this.unpricedReservation = usd;
            return this;
        }

        /** Models without a price are never routed to while a budget applies to the call (the default). */
        public Builder rejectUnpricedModels() {
            this.unpricedReservation = null;
            return this;
        }

        /** What happens when the state store cannot answer. */
        public Builder onStoreFailure(StoreFailureMode mode) {
            this.onStoreFailure = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Caps output tokens per call for every team: a request with no or a larger {@code max_tokens} is sent with
         * the cap (or the model's maximum output, if smaller), and reserves accordingly.
         *
         * @throws IllegalArgumentException if {@code tokens < 1}
         */
        public Builder maxOutputTokens(int tokens) {
            this.maxOutputTokens = requirePositive(tokens, "maxOutputTokens");
            return this;
        }

        /**
         * Caps output tokens per call for {@code team}, overriding {@link #maxOutputTokens(int)}.
         *
         * @throws IllegalArgumentException if {@code team} is blank or {@code tokens < 1}
         */
        public Builder teamMaxOutputTokens(String team, int tokens) {
            Objects.requireNonNull(team, "team");
            if (team.isBlank()) {
                throw new IllegalArgumentException("team must not be blank");
            }
            teamMaxOutputTokens.put(team, requirePositive(tokens, "teamMaxOutputTokens." + team));
            return this;
        }

        /** How subjects are found in a call's context (API key attribute, agent run attribute, key-id pepper). */
        public Builder identity(ScopeIdentity identity) {
            this.identity = Objects.requireNonNull(identity, "identity");
            return this;
        }

        /** How input tokens are estimated before the call. */
        public Builder tokenEstimator(TokenEstimator estimator) {
            this.tokenEstimator = Objects.requireNonNull(estimator, "estimator");
            return this;
        }

        /**
         * How long counters of {@link BudgetWindow#TOTAL} limits live.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder totalRetention(Duration retention) {
            Objects.requireNonNull(retention, "retention");
            if (retention.isNegative() || retention.isZero()) {
                throw new IllegalArgumentException("totalRetention must be positive, got " + retention);
            }
            this.totalRetention = retention;
            return this;
        }

        public BudgetConfig build() {
            return new BudgetConfig(this);
        }

        private static int requirePositive(int tokens, String what) {
            if (tokens < 1) {
                throw new IllegalArgumentException(what + " must be >= 1, got " + tokens);
            }
            return tokens;
        }
    }
}
