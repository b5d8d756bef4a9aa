package dev.llmmesh.governance.budget;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.CallContext;
import dev.llmmesh.MeshBuilder;
import dev.llmmesh.MeshPlugin;
import dev.llmmesh.governance.internal.budget.AppliedLimit;
import dev.llmmesh.governance.internal.budget.BudgetInterceptor;
import dev.llmmesh.governance.internal.budget.Calibration;
import dev.llmmesh.governance.internal.budget.LimitResolver;
import dev.llmmesh.governance.internal.budget.OutputClampInterceptor;
import dev.llmmesh.governance.internal.budget.UnpricedModelFilter;
import dev.llmmesh.governance.internal.budget.Usd;
import dev.llmmesh.governance.internal.budget.WorstCaseEstimator;
import dev.llmmesh.intercept.CallScope;
import dev.llmmesh.state.BoundedAdd;
import dev.llmmesh.state.InMemoryStateStore;
import dev.llmmesh.state.StateStore;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Budgets with reserve-then-settle accounting, as a {@link MeshPlugin}:
 * <pre>{@code
 * BudgetPlugin budgets = BudgetPlugin.of(BudgetConfig.builder()
 *     .limit(BudgetLimit.org(BudgetWindow.MONTH, new BigDecimal("5000")))
 *     .limit(BudgetLimit.each(Scope.TEAM, BudgetWindow.DAY, new BigDecimal("25")))
 *     .zone(ZoneId.of("Europe/Paris"))
 *     .build());
 * Mesh mesh = Mesh.builder().addModel(model).install(budgets).build();
 * }</pre>
 *
 * <p>Installing registers a call interceptor (reserve the worst case in every applicable budget at once, call, settle
 * to the billed cost), an attempt interceptor when output tokens are capped, and, when models without a price are
 * rejected, a route filter that keeps them away from budgeted calls. A call over any budget fails with a
 * {@link dev.llmmesh.BudgetExceededException} naming the budget ({@code team:search/day}), the limit, the window and
 * when it resets, before any model is called. Install it after the audit plugin, so that denials are audited.
 *
 * <p>The plugin uses the mesh's {@link StateStore} and clock: set your own store on the builder before installing.
 * Overspend is bounded by the estimate error of calls in flight: a call whose real cost exceeds its reservation (an
 * input-token estimate that was too low) is settled at its real cost.
 *
 * <p>Thread-safe. Install once, on one builder.
 */
public final class BudgetPlugin implements MeshPlugin {
    /** The amount a call reserved, in USD, in its {@link CallScope} (for the audit log). */
    public static final CallScope.Key<BigDecimal> RESERVED_USD = CallScope.Key.of("budgets.reservedUsd", BigDecimal.class);

    private final BudgetConfig config;
    private final LimitResolver resolver;
    private volatile @Nullable Installed installed;

    private record Installed(StateStore store, Clock clock, WorstCaseEstimator estimator, BudgetInterceptor interceptor) {
    }

    private BudgetPlugin(BudgetConfig config) {
        this.config = config;
        this.resolver = new LimitResolver(config);
    }

    /** A plugin enforcing {@code config}. */
    public static BudgetPlugin of(BudgetConfig config) {
        return new BudgetPlugin(Objects.requireNonNull(config, "config"));
    }

    /** The configuration. */
    public BudgetConfig config() {
        return config;
    }

    /**
     * @throws IllegalStateException if this plugin was already installed
     */
    @Override
    public synchronized void install(MeshBuilder builder) {
        if (installed != null) {
            throw new IllegalStateException("this BudgetPlugin is already installed on a mesh builder; "
                    + "create one plugin per mesh");
        }
        StateStore store = builder.stateStore();
        Clock clock = builder.clock();
        Calibration calibration = new Calibration();
        WorstCaseEstimator estimator = new WorstCaseEstimator(builder.catalog(), builder::routing, config, calibration);
        BudgetInterceptor interceptor = new BudgetInterceptor(config, resolver, estimator, store, clock, RESERVED_USD,
                calibration);
        if (config.unpricedReservation().isEmpty() && !config.limits().isEmpty()) {
            builder.addRouteFilter(new UnpricedModelFilter(resolver));
        }
        builder.addCallInterceptor(interceptor);
        registerReseeder(store, clock);
        if (config.maxOutputTokens().isPresent() || !config.teamMaxOutputTokens().isEmpty()) {
            builder.addAttemptInterceptor(new OutputClampInterceptor(config));
        }
        installed = new Installed(store, clock, estimator, interceptor);
    }

    /**
     * Where every budget that applies to {@code context} stands now, in configuration order.
     *
     * @throws IllegalStateException if the plugin is not installed yet
     * @throws dev.llmmesh.state.StateStoreUnavailableException if the store cannot answer
     */
    public List<BudgetStatus> status(CallContext context) {
        Installed in = requireInstalled();
        List<BudgetStatus> out = new ArrayList<>();
        for (AppliedLimit l : resolver.applicable(context, in.clock.instant())) {
            out.add(new BudgetStatus(l.label(), l.limit(), l.limit().usd(), Usd.fromNanos(in.store.getCounter(l.usedKey())),
                    Usd.fromNanos(in.store.getCounter(l.spentKey())), l.resetsAt()));
        }
        return List.copyOf(out);
    }

    /**
     * What a call of {@code request} in {@code context} would reserve now.
     *
     * @throws IllegalStateException if the plugin is not installed yet
     * @throws dev.llmmesh.PolicyDeniedException if only models without a price could serve it and those are rejected
     */
    public CostEstimate estimate(ChatRequest request, CallContext context, boolean streaming) {
        return requireInstalled().estimator.estimate(request, context, streaming);
    }

    /**
     * Records spend made outside the mesh (or reseeds counters from a ledger after the store lost them) in every
     * budget that applies to {@code context}, without a limit check.
     *
     * @throws IllegalArgumentException if {@code usd} is negative
     * @throws IllegalStateException if the plugin is not installed yet
     */
    public void recordSpend(CallContext context, BigDecimal usd) {
        Objects.requireNonNull(usd, "usd");
        if (usd.signum() < 0) {
            throw new IllegalArgumentException("spend must be >= 0, got " + usd.toPlainString());
        }
        Installed in = requireInstalled();
        long nanos = Usd.nanos(usd);
        List<BoundedAdd> adds = new ArrayList<>();
        for (AppliedLimit l : resolver.applicable(context, in.clock.instant())) {
            adds.add(new BoundedAdd(l.usedKey(), nanos, Long.MAX_VALUE, l.ttl()));
            adds.add(new BoundedAdd(l.spentKey(), nanos, Long.MAX_VALUE, l.ttl()));
        }
        if (!adds.isEmpty()) {
            try {
                in.store.addAllWithinLimits(adds);
            } finally {
                in.interceptor.record(adds);
            }
        }
    }

    /**
     * With a ledger, the store rebuilds the budget counters from it whenever it finds them lost (an in-memory store:
     * now, at start). Without one, a store that can lose its state (anything but the in-memory store) refuses to
     * answer after a loss, so budgets fail closed rather than start again from zero.
     */
    private void registerReseeder(StateStore store, Clock clock) {
        if (config.limits().isEmpty()) {
            return;
        }
        Optional<SpendLedger> ledger = config.ledger();
        if (ledger.isPresent()) {
            store.onStateLost(() -> ledger.get().totals(clock.instant()));
        } else if (!(store instanceof InMemoryStateStore)) {
            store.onStateLost(() -> {
                throw new IllegalStateException("budgets: the shared state store has no budget counters (it was "
                        + "flushed, restarted empty, or is new) and no spend ledger is configured, so spend is "
                        + "unknown; set budgets.ledger (BudgetConfig.Builder.ledger) to rebuild the counters from it");
            });
        }
    }

    /** Settlements the store refused since the mesh was built; their reservations stay counted until windows end. */
    public long settleFailures() {
        Installed in = installed;
        return in == null ? 0 : in.interceptor.settleFailures();
    }

    private Installed requireInstalled() {
        Installed in = installed;
        if (in == null) {
            throw new IllegalStateException("install this BudgetPlugin on a MeshBuilder first");
        }
        return in;
    }

    @Override
    public String toString() {
        return "BudgetPlugin" + config;
    }
}
