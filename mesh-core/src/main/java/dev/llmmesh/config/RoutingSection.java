package dev.llmmesh.config;

import dev.llmmesh.routing.BackoffConfig;
import dev.llmmesh.routing.BreakerConfig;
import dev.llmmesh.routing.HedgeConfig;
import dev.llmmesh.routing.RouterConfig;
import dev.llmmesh.routing.RoutingStrategies;
import dev.llmmesh.routing.RoutingWeights;
import dev.llmmesh.routing.WhenAllUnhealthy;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the {@code routing:} section into a {@link RouterConfig}. Each key present overrides the corresponding
 * setting of the builder's current configuration; absent keys keep it. Model ids named in {@code priority},
 * {@code split} and {@code bulkhead} must be registered (in the file or on the builder). Stateless.
 */
final class RoutingSection {
    /** The strategies {@code routing.strategy} may name. */
    enum StrategyName {
        BALANCED, CHEAPEST, FASTEST, LEAST_BUSY, PRIORITY, WEIGHTED_SPLIT
    }

    private static final String POSITIVE = "a positive duration such as 30s";

    private RoutingSection() {
    }

    static RouterConfig read(ConfigNode r, RouterConfig current, Collection<String> modelIds) {
        RouterConfig.Builder b = current.toBuilder();
        strategy(r, b, current, modelIds);
        List<String> preferTags = r.stringList("preferTags");
        if (r.has("preferTags")) {
            b.preferTags(Set.copyOf(preferTags));
        }
        r.optionalInteger("maxAttempts", 1).ifPresent(b::maxAttempts);
        r.optionalInteger("healthWindow", 1).ifPresent(b::healthWindow);
        positive(r, "healthMaxAge").ifPresent(b::healthMaxAge);
        positive(r, "recoveryWindow").ifPresent(b::recoveryWindow);
        r.optionalNumber("latencyAlpha", "a number in (0, 1], such as 0.2", a -> a > 0 && a <= 1)
                .ifPresent(b::latencyAlpha);
        positive(r, "defaultTimeout").ifPresent(b::defaultTimeout);
        positive(r, "attemptTimeout").ifPresent(b::attemptTimeout);
        positive(r, "streamIdleTimeout").ifPresent(b::streamIdleTimeout);
        positive(r, "drainTimeout").ifPresent(b::drainTimeout);
        Optional<Integer> ejection = r.optionalInteger("maxEjectionPercent", 0);
        if (ejection.isPresent() && ejection.get() > 100) {
            throw r.error("maxEjectionPercent", "expected an integer in [0, 100], got " + ejection.get());
        }
        ejection.ifPresent(b::maxEjectionPercent);
        r.optionalEnum("whenAllUnhealthy", WhenAllUnhealthy.class).ifPresent(b::whenAllUnhealthy);
        r.optionalChild("backoff").ifPresent(n -> b.backoff(backoff(n, current.backoff())));
        r.optionalChild("retryBudget").ifPresent(n -> b.retryBudget(
                n.optionalNumber("ratio", "a number in [0, 1], such as 0.2", x -> x >= 0 && x <= 1)
                        .orElse(current.retryBudgetRatio()),
                n.integer("floor", current.retryBudgetFloor(), 0)));
        r.optionalChild("breaker").ifPresent(n -> breaker(n, b, current));
        r.optionalChild("bulkhead").ifPresent(n -> bulkheads(n, b, modelIds));
        r.optionalChild("hedging").ifPresent(n -> b.hedging(hedging(n)));
        r.requireNoUnknownKeys();
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw r.error(String.valueOf(e.getMessage()));
        }
    }

    private static void strategy(ConfigNode r, RouterConfig.Builder b, RouterConfig current,
                                 Collection<String> modelIds) {
        for (String key : List.of("weights", "priority", "split")) {
            if (!r.has(key)) {
                r.consume(key); // declares the key, so that typos of it get a suggestion
            }
        }
        Optional<StrategyName> named = r.optionalEnum("strategy", StrategyName.class);
        StrategyName strategy = named.orElse(r.has("priority") ? StrategyName.PRIORITY
                : r.has("split") ? StrategyName.WEIGHTED_SPLIT : StrategyName.BALANCED);
        requireOnlyWith(r, "weights", StrategyName.BALANCED, strategy);
        requireOnlyWith(r, "priority", StrategyName.PRIORITY, strategy);
        requireOnlyWith(r, "split", StrategyName.WEIGHTED_SPLIT, strategy);
        switch (strategy) {
            case BALANCED: {
                Optional<ConfigNode> weights = r.optionalChild("weights");
                if (weights.isPresent() || named.isPresent()) {
                    RoutingWeights w = weights.isPresent() ? weights(r, weights.get(), current.weights())
                            : current.weights();
                    b.weights(w).strategy(RoutingStrategies.balanced(w));
                }
                break;
            }
            case CHEAPEST:
                b.strategy(RoutingStrategies.cheapest());
                break;
            case FASTEST:
                b.strategy(RoutingStrategies.fastest());
                break;
            case LEAST_BUSY:
                b.strategy(RoutingStrategies.leastBusy());
                break;
            case PRIORITY: {
                if (!r.has("priority")) {
                    r.consume("priority");
                    throw r.error("priority", "required key is missing for strategy priority; list model ids in "
                            + "order of preference, e.g. priority: [primary, backup]");
                }
                List<String> order = r.stringList("priority");
                Set<String> seen = new LinkedHashSet<>();
                for (int i = 0; i < order.size(); i++) {
                    requireModel(r, "priority", i, order.get(i), modelIds);
                    if (!seen.add(order.get(i))) {
                        throw r.elementError("priority", i, "model \"" + order.get(i) + "\" is listed twice; list "
                                + "each model once");
                    }
                }
                if (order.isEmpty()) {
                    throw r.error("priority", "the list is empty; list model ids in order of preference");
                }
                b.strategy(RoutingStrategies.priority(order));
                break;
            }
            default: {
                if (!r.has("split")) {
                    r.consume("split");
                    throw r.error("split", "required key is missing for strategy weighted_split; give percentages "
                            + "by model id, e.g. split: {stable: 90, canary: 10}");
                }
                ConfigNode split = r.child("split");
                Map<String, Integer> percentages = new LinkedHashMap<>();
                for (String id : split.keys()) {
                    requireModel(split, id, modelIds);
                    percentages.put(id, split.integer(id, 0));
                }
                if (percentages.values().stream().mapToInt(Integer::intValue).sum() == 0) {
                    throw r.error("split", "the percentages are all 0 (or none are given); give at least one model "
                            + "a positive share");
                }
                b.strategy(RoutingStrategies.weightedSplit(percentages));
            }
        }
    }

    private static void requireOnlyWith(ConfigNode r, String key, StrategyName owner, StrategyName chosen) {
        if (r.has(key) && chosen != owner) {
            r.consume(key);
            throw r.error(key, "applies only to strategy " + lower(owner) + ", but the strategy is " + lower(chosen)
                    + "; remove it or set strategy: " + lower(owner));
        }
    }

    private static RoutingWeights weights(ConfigNode r, ConfigNode w, RoutingWeights now) {
        double cost = w.number("cost", now.cost(), 0);
        double latency = w.number("latency", now.latency(), 0);
        double success = w.number("success", now.success(), 0);
        double load = w.number("load", now.load(), 0);
        double preference = w.number("preference", now.preference(), 0);
        if (cost + latency + success + load + preference <= 0) {
            throw r.error("weights", "every weight is 0; give at least one a positive weight");
        }
        w.requireNoUnknownKeys();
        return new RoutingWeights(cost, latency, success, load, preference);
    }

    private static BackoffConfig backoff(ConfigNode n, BackoffConfig now) {
        Duration base = n.duration("base", now.base());
        double multiplier = n.number("multiplier", now.multiplier(), 1);
        Duration cap = n.duration("cap", now.cap());
        if (cap.compareTo(base) < 0) {
            throw n.error("cap", "must be >= base (" + base + "), got " + cap + "; raise cap or lower base");
        }
        n.requireNoUnknownKeys();
        return new BackoffConfig(base, multiplier, cap);
    }

    private static void breaker(ConfigNode n, RouterConfig.Builder b, RouterConfig current) {
        if (!n.bool("enabled", true)) {
            for (String key : n.keys()) {
                if (!key.equals("enabled")) {
                    n.consume(key);
                    throw n.error(key, "has no effect while enabled is false; remove it or enable the breaker");
                }
            }
            b.noBreaker();
            return;
        }
        BreakerConfig now = current.breaker().orElse(BreakerConfig.DEFAULT);
        String percent = "a number in (0, 100], such as 50";
        BreakerConfig breaker = new BreakerConfig(
                n.integer("windowSize", now.windowSize(), 1),
                n.integer("minimumCalls", now.minimumCalls(), 1),
                n.optionalNumber("failureRatePercent", percent, p -> p > 0 && p <= 100).map(Double::floatValue)
                        .orElse(now.failureRatePercent()),
                n.optionalNumber("slowCallRatePercent", percent, p -> p > 0 && p <= 100).map(Double::floatValue)
                        .orElse(now.slowCallRatePercent()),
                positive(n, "slowCallThreshold").orElse(now.slowCallThreshold()),
                positive(n, "waitInOpen").orElse(now.waitInOpen()),
                n.integer("halfOpenProbes", now.halfOpenProbes(), 1),
                n.duration("maxWaitInHalfOpen", now.maxWaitInHalfOpen()));
        n.requireNoUnknownKeys();
        b.breaker(breaker);
    }

    private static void bulkheads(ConfigNode n, RouterConfig.Builder b, Collection<String> modelIds) {
        for (String key : n.keys()) {
            if (key.equals("default")) {
                b.defaultBulkhead(n.integer("default", 1));
            } else {
                requireModel(n, key, modelIds);
                b.bulkhead(key, n.integer(key, 1));
            }
        }
    }

    private static HedgeConfig hedging(ConfigNode n) {
        Duration minDelay = n.duration("minDelay", Duration.ZERO);
        String delay = n.optionalString("delay").orElseThrow(() -> n.error("delay", "required key is missing; "
                + "give a fixed delay such as 2s, or p95 to hedge after the primary's p95 latency"));
        HedgeConfig hedging;
        if (delay.trim().equalsIgnoreCase("p95")) {
            hedging = HedgeConfig.atP95(minDelay);
        } else {
            Duration fixed = n.duration("delay");
            if (n.has("minDelay")) {
                throw n.error("minDelay", "applies only with delay: p95; remove it or set delay: p95");
            }
            hedging = HedgeConfig.after(fixed);
        }
        n.requireNoUnknownKeys();
        return hedging;
    }

    private static Optional<Duration> positive(ConfigNode n, String key) {
        Optional<Duration> d = n.optionalDuration(key);
        if (d.isPresent() && d.get().isZero()) {
            throw n.error(key, "expected " + POSITIVE + ", got 0");
        }
        return d;
    }

    private static void requireModel(ConfigNode n, String key, Collection<String> modelIds) {
        if (!modelIds.contains(key)) {
            n.consume(key);
            throw n.error(key, "no model has id \"" + key + "\"" + Suggestions.didYouMean(key, modelIds)
                    + "; model ids: " + String.join(", ", modelIds));
        }
    }

    private static void requireModel(ConfigNode n, String key, int index, String id, Collection<String> modelIds) {
        if (!modelIds.contains(id)) {
            throw n.elementError(key, index, "no model has id \"" + id + "\"" + Suggestions.didYouMean(id, modelIds)
                    + "; model ids: " + String.join(", ", modelIds));
        }
    }

    private static String lower(StrategyName s) {
        return s.name().toLowerCase(Locale.ROOT);
    }
}
