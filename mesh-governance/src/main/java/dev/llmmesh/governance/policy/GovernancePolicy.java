package dev.llmmesh.governance.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Federated governance rules: the org baseline, domain overlays (each naming its member teams) and team overlays.
 * An overlay may only tighten what the layers above it say, unless the baseline delegates the setting; a loosening
 * overlay is rejected by {@link Builder#build()} with a {@link PolicyConflictException} naming both rules. Immutable
 * and thread-safe; the effective policy of each team is computed once and cached.
 *
 * <pre>{@code
 * GovernancePolicy policy = GovernancePolicy.builder()
 *     .baseline(PolicyRules.builder().denyModels("gpt-3.5-turbo").maxOutputTokens(4096)
 *         .delegate(PolicySetting.MAX_OUTPUT_TOKENS).build())
 *     .domain("payments", Set.of("checkout"), PolicyRules.builder().allowProviders("azure", "local").build())
 *     .team("checkout", PolicyRules.builder().denyModels("experimental-*").build())
 *     .build();
 * System.out.println(policy.effectivePolicy("checkout").explain());
 * }</pre>
 */
public final class GovernancePolicy {
    /** The {@code mesh.yaml} path of the baseline layer. */
    public static final String BASELINE_PATH = "governance.baseline";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** One layer: its id ({@code org}, {@code domain:x}, {@code team:y}), its config path and its rules. */
    record Layer(String id, String path, PolicyRules rules) {
    }

    private final PolicyRules baseline;
    private final Map<String, PolicyRules> domains;
    private final Map<String, Set<String>> domainTeams;
    private final Map<String, String> teamDomain;
    private final Map<String, PolicyRules> teams;
    private final EffectivePolicy baselineEffective;
    private final Map<String, EffectivePolicy> cache = new ConcurrentHashMap<>();

    private GovernancePolicy(Builder b) {
        this.baseline = b.baseline;
        this.domains = Map.copyOf(b.domains);
        Map<String, Set<String>> dt = new LinkedHashMap<>();
        b.domainTeams.forEach((k, v) -> dt.put(k, Set.copyOf(v)));
        this.domainTeams = Map.copyOf(dt);
        this.teamDomain = Map.copyOf(b.teamDomain);
        this.teams = Map.copyOf(b.teams);
        this.baselineEffective = new EffectivePolicy(Optional.empty(), List.of(baselineLayer()));
        // validate every overlay now, so a loosening one fails at load
        for (String d : domains.keySet()) {
            new EffectivePolicy(Optional.empty(), List.of(baselineLayer(), domainLayer(d)));
        }
        Set<String> all = new LinkedHashSet<>(teams.keySet());
        all.addAll(teamDomain.keySet());
        for (String t : all) {
            cache.put(t, compute(t));
        }
    }

    /** A policy with an empty baseline and no overlays: only the built-in defaults apply. */
    public static GovernancePolicy permissive() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The org baseline. */
    public PolicyRules baseline() {
        return baseline;
    }

    /** Domain overlays by name. */
    public Map<String, PolicyRules> domains() {
        return domains;
    }

    /** Team overlays by name. */
    public Map<String, PolicyRules> teams() {
        return teams;
    }

    /** The domain {@code team} belongs to, if any. */
    public Optional<String> domainOf(String team) {
        return Optional.ofNullable(teamDomain.get(team));
    }

    /**
     * The policy that applies to {@code team}: baseline, then its domain's overlay, then its own. A team no layer
     * names gets the baseline.
     */
    public EffectivePolicy effectivePolicy(String team) {
        Objects.requireNonNull(team, "team");
        EffectivePolicy p = cache.get(team);
        if (p != null) {
            return p;
        }
        return baselineEffective;
    }

    /** The policy for a call without a team: the baseline. */
    public EffectivePolicy baselinePolicy() {
        return baselineEffective;
    }

    /** The policy for an optional team. */
    public EffectivePolicy effectivePolicy(Optional<String> team) {
        return team.map(this::effectivePolicy).orElse(baselineEffective);
    }

    private EffectivePolicy compute(String team) {
        List<Layer> layers = new ArrayList<>();
        layers.add(baselineLayer());
        String domain = teamDomain.get(team);
        if (domain != null) {
            layers.add(domainLayer(domain));
        }
        PolicyRules own = teams.get(team);
        if (own != null) {
            layers.add(new Layer("team:" + team, "governance.teams." + team, own));
        }
        return new EffectivePolicy(Optional.of(team), layers);
    }

    private Layer baselineLayer() {
        return new Layer("org", BASELINE_PATH, baseline);
    }

    private Layer domainLayer(String d) {
        return new Layer("domain:" + d, "governance.domains." + d, domains.get(d));
    }

    @Override
    public String toString() {
        return "GovernancePolicy{domains=" + domainTeams + ", teams=" + teams.keySet() + "}";
    }

    /** Builds a {@link GovernancePolicy}. Not thread-safe. */
    public static final class Builder {
        private PolicyRules baseline = PolicyRules.EMPTY;
        private final Map<String, PolicyRules> domains = new LinkedHashMap<>();
        private final Map<String, Set<String>> domainTeams = new LinkedHashMap<>();
        private final Map<String, String> teamDomain = new LinkedHashMap<>();
        private final Map<String, PolicyRules> teams = new LinkedHashMap<>();

        private Builder() {
        }

        /** The org baseline (the only layer that may delegate settings). */
        public Builder baseline(PolicyRules rules) {
            this.baseline = Objects.requireNonNull(rules, "rules");
            return this;
        }

        /**
         * A domain overlay, applying to {@code teams}.
         *
         * @throws IllegalArgumentException if the name is invalid or already used, a team already belongs to
         *                                  another domain, or the overlay delegates settings
         */
        public Builder domain(String name, Set<String> teams, PolicyRules rules) {
            String path = "governance.domains." + name;
            checkName(name, path);
            if (domains.containsKey(name)) {
                throw new IllegalArgumentException(path + ": domain \"" + name + "\" is defined twice");
            }
            noDelegation(rules, path);
            for (String t : teams) {
                checkName(t, path + ".teams");
                String other = teamDomain.putIfAbsent(t, name);
                if (other != null) {
                    throw new IllegalArgumentException(path + ".teams: team \"" + t + "\" already belongs to domain \""
                            + other + "\"; a team belongs to at most one domain");
                }
            }
            domains.put(name, Objects.requireNonNull(rules, "rules"));
            domainTeams.put(name, new LinkedHashSet<>(teams));
            return this;
        }

        /**
         * A team overlay.
         *
         * @throws IllegalArgumentException if the name is invalid or already used, or the overlay delegates
         */
        public Builder team(String name, PolicyRules rules) {
            String path = "governance.teams." + name;
            checkName(name, path);
            if (teams.containsKey(name)) {
                throw new IllegalArgumentException(path + ": team \"" + name + "\" is defined twice");
            }
            noDelegation(rules, path);
            teams.put(name, Objects.requireNonNull(rules, "rules"));
            return this;
        }

        /**
         * Validates every overlay against the layers above it.
         *
         * @throws PolicyConflictException naming the loosening rule and the rule it would loosen
         */
        public GovernancePolicy build() {
            return new GovernancePolicy(this);
        }

        private static void checkName(String name, String path) {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(path + ": \"" + name + "\" is not a valid name (letters, digits, "
                        + "'.', '_' or '-', at most 64 characters)");
            }
        }

        private static void noDelegation(PolicyRules rules, String path) {
            if (!rules.delegated().isEmpty()) {
                throw new IllegalArgumentException(path + ".delegate: only the baseline may delegate settings");
            }
        }
    }
}
