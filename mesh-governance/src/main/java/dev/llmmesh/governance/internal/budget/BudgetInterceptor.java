package dev.llmmesh.governance.internal.budget;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmmesh.BudgetExceededException;
import dev.llmmesh.Cost;
import dev.llmmesh.Verdict;
import dev.llmmesh.governance.budget.BudgetConfig;
import dev.llmmesh.governance.budget.BudgetWindow;
import dev.llmmesh.governance.budget.CostEstimate;
import dev.llmmesh.governance.budget.StoreFailureMode;
import dev.llmmesh.intercept.CallScope;
import dev.llmmesh.intercept.Interceptor;
import dev.llmmesh.state.AddResult;
import dev.llmmesh.state.BoundedAdd;
import dev.llmmesh.state.StateStore;
import dev.llmmesh.state.StateStoreUnavailableException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import dev.llmmesh.client.TokenCounts;
import java.util.ArrayList;
import java.util.Optional;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reserve, call, settle. At admission the call's worst case is added to the "used" counter of every budget that
 * applies, in one all-or-nothing {@link StateStore#addAllWithinLimits} (so concurrent calls can never pass a check
 * together and overspend); after the call, whatever happened (answer, error, cancel, timeout), each counter is moved
 * from the reservation to the cost the mesh billed, and the billed cost is added to the "spent" counters, in one
 * more transaction. A billed cost that is unknown (a model without a price) settles at the reservation, never at zero.
 */
public final class BudgetInterceptor implements Interceptor {
    private static final Logger LOG = LoggerFactory.getLogger(BudgetInterceptor.class);

    private final BudgetConfig config;
    private final LimitResolver resolver;
    private final WorstCaseEstimator estimator;
    private final StateStore store;
    private final Clock clock;
    private final CallScope.Key<BigDecimal> reservedKey;
    private final AtomicLong settleFailures = new AtomicLong();
    private final Calibration calibration;
    private final AtomicLong ledgerFailures = new AtomicLong();

    public BudgetInterceptor(BudgetConfig config, LimitResolver resolver, WorstCaseEstimator estimator,
                             StateStore store, Clock clock, CallScope.Key<BigDecimal> reservedKey) {
        this(config, resolver, estimator, store, clock, reservedKey, new Calibration());
    }

    /** With {@code calibration} learning from every answered call (the estimator should share it). */
    public BudgetInterceptor(BudgetConfig config, LimitResolver resolver, WorstCaseEstimator estimator,
                             StateStore store, Clock clock, CallScope.Key<BigDecimal> reservedKey,
                             Calibration calibration) {
        this.calibration = calibration;
        this.config = config;
        this.resolver = resolver;
        this.estimator = estimator;
        this.store = store;
        this.clock = clock;
        this.reservedKey = reservedKey;
    }

    @Override
    public String name() {
        return "budgets";
    }

    /** Settlements the store refused (their reservations stay counted until the window ends: safe, not exact). */
    public long settleFailures() {
        return settleFailures.get();
    }

    @Override
    public ChatResponse intercept(Chain chain) {
        Instant now = clock.instant();
        List<AppliedLimit> limits = resolver.applicable(chain.context(), now);
        if (limits.isEmpty()) {
            return chain.proceed(chain.request());
        }
        CostEstimate estimate = estimator.estimate(chain.request(), chain.context(), chain.streaming());
        return reserveAndCall(chain, limits, now, estimate);
    }

    private ChatResponse reserveAndCall(Chain chain, List<AppliedLimit> limits, Instant now, CostEstimate estimate) {
        long reserve = Usd.nanosCeil(estimate.usd());
        List<BoundedAdd> adds = new ArrayList<>(limits.size());
        for (AppliedLimit l : limits) {
            adds.add(new BoundedAdd(l.usedKey(), reserve, l.limitNanos(), l.ttl()));
        }
        AddResult result;
        try {
            result = store.addAllWithinLimits(adds);
        } catch (RuntimeException e) {
            if (config.onStoreFailure() == StoreFailureMode.FAIL_CLOSED) {
                chain.call().addVerdict(new Verdict("budgets/store-unavailable", Verdict.Decision.DENY,
                        "budget state unknown; failing closed"));
                throw new StateStoreUnavailableException("budgets: the state store did not answer ("
                        + (e instanceof StateStoreUnavailableException ? e.getMessage() : e.getClass().getSimpleName())
                        + "), so spend is unknown and the call is refused (fail closed);"
                        + " set budgets.onStoreFailure: allow to admit calls without a reservation instead", e);
            }
            LOG.warn("budgets: state store unavailable ({}); admitting without a reservation", e.getClass().getName());
            chain.call().addVerdict(new Verdict("budgets/store-unavailable", Verdict.Decision.FLAG,
                    "budget state unknown; admitted without a reservation"));
            return chain.proceed(chain.request());
        }
        if (!result.applied()) {
            int i = result.violated().orElse(0);
            AppliedLimit l = limits.get(i);
            long used = result.values().get(i);
            chain.call().addVerdict(new Verdict("budgets/" + l.label(), Verdict.Decision.DENY,
                    "limit " + Usd.formatNanos(l.limitNanos()) + " " + windowText(l) + " reached"));
            throw exceeded(l, used, reserve, now);
        }
        chain.call().put(reservedKey, Usd.fromNanos(reserve));
        try {
            ChatResponse response = chain.proceed(chain.request());
            Optional<String> answeredBy = chain.call().answeredBy();
            if (answeredBy.isPresent() && response.tokenUsage() != null) {
                // settle actuals (below) and learn: a provider that billed beyond the allowance is reserved for that
                calibration.observe(answeredBy.get(), TokenCounts.of(response.tokenUsage()).output(),
                        estimate.outputTokens());
            }
            return response;
        } finally {
            settle(chain.call(), limits, reserve);
        }
    }

    private void settle(CallScope call, List<AppliedLimit> limits, long reserve) {
        try {
            Cost billed = call.billed();
            long billedNanos = Usd.nanos(billed.usd());
            long actual = billed.known() ? billedNanos : Math.max(reserve, billedNanos);
            long delta = actual - reserve;
            List<BoundedAdd> adds = new ArrayList<>(limits.size() * 2);
            List<BoundedAdd> settled = new ArrayList<>(limits.size() * 2);
            for (AppliedLimit l : limits) {
                adds.add(new BoundedAdd(l.usedKey(), delta, Long.MAX_VALUE, l.ttl()));
                adds.add(new BoundedAdd(l.spentKey(), actual, Long.MAX_VALUE, l.ttl()));
                settled.add(new BoundedAdd(l.usedKey(), actual, Long.MAX_VALUE, l.ttl()));
                settled.add(new BoundedAdd(l.spentKey(), actual, Long.MAX_VALUE, l.ttl()));
            }
            // the store first, then the durable record: a store lost before the settle is reseeded without this
            // call and then settled by it; one lost after it finds this call in the record (written just after)
            try {
                store.addAllWithinLimits(adds);
            } finally {
                record(settled);
            }
        } catch (RuntimeException e) {
            settleFailures.incrementAndGet();
            LOG.warn("budgets: settling a reservation failed ({}); it stays counted until its window ends",
                    e.getClass().getName());
        }
    }

    /** Writes settled amounts to the ledger, if one is configured; a failure is logged, never thrown. */
    public void record(List<BoundedAdd> settled) {
        if (config.ledger().isEmpty()) {
            return;
        }
        try {
            config.ledger().get().record(settled, clock.instant());
        } catch (RuntimeException e) {
            ledgerFailures.incrementAndGet();
            LOG.warn("budgets: writing the spend ledger failed ({}); this spend is not in the durable record",
                    e.getClass().getName());
        }
    }

    /** Ledger writes that failed. */
    public long ledgerFailures() {
        return ledgerFailures.get();
    }

    private BudgetExceededException exceeded(AppliedLimit l, long used, long reserve, Instant now) {
        long spent;
        try {
            spent = store.getCounter(l.spentKey());
        } catch (RuntimeException e) {
            spent = -1;
        }
        StringBuilder m = new StringBuilder("budget ").append(l.label()).append(" exceeded: limit ")
                .append(Usd.formatNanos(l.limitNanos())).append(' ').append(windowText(l)).append(", used ")
                .append(Usd.formatNanos(used));
        if (spent >= 0 && spent < used) {
            m.append(" (spent ").append(Usd.formatNanos(spent)).append(" + reserved by calls in flight ")
                    .append(Usd.formatNanos(used - spent)).append(')');
        }
        m.append(", this call may cost up to ").append(Usd.formatNanos(reserve)).append("; ");
        if (l.resetsAt().isPresent()) {
            Instant at = l.resetsAt().get();
            m.append("resets at ").append(at).append(" (in ").append(Durations.human(Duration.between(now, at)))
                    .append(", ").append(config.zone().getId()).append(" ").append(l.limit().window().configName())
                    .append(" window)");
        } else {
            m.append("this budget does not reset");
        }
        return new BudgetExceededException(l.label(), m.toString(), l.resetsAt().orElse(null));
    }

    private static String windowText(AppliedLimit l) {
        return l.limit().window() == BudgetWindow.TOTAL ? "in total" : "per " + l.limit().window().configName();
    }
}
