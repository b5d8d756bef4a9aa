package dev.llmmesh.governance.internal.budget;

import dev.llmmesh.CallContext;
import dev.llmmesh.governance.budget.BudgetConfig;
import dev.llmmesh.governance.budget.BudgetLimit;
import dev.llmmesh.governance.budget.BudgetWindow;
import dev.llmmesh.governance.budget.Scope;
import dev.llmmesh.governance.budget.ScopeIdentity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Finds the limits that apply to a call and the counters of their current windows. Immutable, thread-safe. */
public final class LimitResolver {
    /** How long a window's counters outlive the window, so that late settlements still find them. */
    static final Duration GRACE = Duration.ofHours(1);

    private final BudgetConfig config;
    private final ScopeIdentity identity;

    public LimitResolver(BudgetConfig config) {
        this.config = config;
        this.identity = config.identity();
    }

    /** The limits that apply to {@code context} at {@code now}, in configuration order. */
    public List<AppliedLimit> applicable(CallContext context, Instant now) {
        List<BudgetLimit> limits = config.limits();
        if (limits.isEmpty()) {
            return List.of();
        }
        List<AppliedLimit> out = new ArrayList<>(limits.size());
        for (BudgetLimit l : limits) {
            Optional<String> subject = subjectFor(l, context);
            if (subject.isEmpty()) {
                continue;
            }
            BudgetWindow w = l.window();
            Instant start = w.start(now, config.zone());
            Optional<Instant> end = w.end(now, config.zone());
            // "each" and "one" limits on the same subject are different limits: they must not share counters
            String base = "budget/" + l.scope().configName() + (l.subject().isPresent() ? "/one/" : "/each/")
                    + StoreKeys.part(l.scope(), subject.get()) + "/" + w.configName() + "/" + start.getEpochSecond();
            Duration ttl = end.map(e -> Duration.between(now, e).plus(GRACE)).orElse(config.totalRetention());
            out.add(new AppliedLimit(l, label(l.scope(), subject.get(), w), base + "/used", base + "/spent",
                    Usd.nanosFloor(l.usd()), end, ttl));
        }
        return out;
    }

    /** Whether any limit applies to {@code context} (whatever the time). */
    public boolean anyApplies(CallContext context) {
        for (BudgetLimit l : config.limits()) {
            if (subjectFor(l, context).isPresent()) {
                return true;
            }
        }
        return false;
    }

    private Optional<String> subjectFor(BudgetLimit l, CallContext context) {
        Optional<String> subject = identity.subject(l.scope(), context);
        if (subject.isEmpty()) {
            return subject;
        }
        if (l.subject().isPresent() && !l.subject().get().equals(subject.get())) {
            return Optional.empty();
        }
        return subject;
    }

    /** {@code org/day}, {@code team:search/day}, {@code apiKey:3f2a9c1e0b7d/minute}. */
    static String label(Scope scope, String subject, BudgetWindow window) {
        String who;
        if (scope == Scope.ORG) {
            who = "org";
        } else if (scope == Scope.API_KEY) {
            who = "apiKey:" + subject.substring(0, Math.min(12, subject.length()));
        } else {
            who = scope.configName() + ":" + subject;
        }
        return who + "/" + window.configName();
    }
}
