package dev.llmmesh.governance.policy;

import dev.llmmesh.DataClass;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.governance.guardrail.GuardrailAction;
import dev.llmmesh.governance.pii.EntityType;
import dev.llmmesh.governance.pii.PiiAction;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The policy that applies to one team: the built-in defaults, the org baseline, the team's domain overlay and the
 * team's own overlay, folded into one set of values, each remembering the rule(s) it came from ({@link #explain()}).
 * Immutable and thread-safe; obtain from {@link GovernancePolicy#effectivePolicy(String)}.
 *
 * <p>Folding: the baseline replaces the built-in defaults; an overlay then tightens (allow-lists intersect, deny
 * lists add up, limits and thresholds take the smaller value, flags the stricter one, PII and guardrail actions the
 * stricter action), except for settings the baseline delegates, which the nearest layer sets freely. A value that
 * would loosen is rejected when the policy is built, with a {@link PolicyConflictException}.
 */
public final class EffectivePolicy {
    static final String DEFAULT_LAYER = "default";
    static final String DEFAULT_PATH = "built-in default";

    /** One layer of an allow-list. */
    record AllowLayer(Set<String> entries, RuleSource source) {
    }

    /** A value and where it came from. */
    record Sourced<T>(T value, RuleSource source) {
    }

    private final Optional<String> team;
    private final List<String> layerIds;
    private final Map<PolicySetting, List<AllowLayer>> allows = new LinkedHashMap<>();
    private final Map<PolicySetting, Map<String, RuleSource>> denies = new LinkedHashMap<>();
    private final Map<String, Sourced<DataClass>> ceilings = new LinkedHashMap<>();
    private final Map<String, Sourced<PiiAction>> pii = new LinkedHashMap<>();
    private final Map<PolicySetting, Sourced<?>> scalars = new LinkedHashMap<>();
    private final Map<String, RuleSource> denyPatterns = new LinkedHashMap<>();
    private String foldingPath = "";
    private final Map<String, ModelChecks> modelChecks = new ConcurrentHashMap<>();
    private static final int MAX_CACHED_MODELS = 4096;

    /** Folds {@code layers} (baseline first) onto the built-in defaults; throws on a loosening overlay. */
    EffectivePolicy(Optional<String> team, List<GovernancePolicy.Layer> layers) {
        this.team = team;
        List<String> ids = new ArrayList<>();
        ids.add(DEFAULT_LAYER);
        layers.forEach(l -> ids.add(l.id()));
        this.layerIds = List.copyOf(ids);
        for (PolicySetting s : List.of(PolicySetting.MODELS_ALLOW, PolicySetting.PROVIDERS_ALLOW,
                PolicySetting.REGIONS_ALLOW, PolicySetting.TOOLS_ALLOW)) {
            allows.put(s, new ArrayList<>());
        }
        for (PolicySetting s : List.of(PolicySetting.MODELS_DENY, PolicySetting.PROVIDERS_DENY,
                PolicySetting.REGIONS_DENY, PolicySetting.DENY_KEYWORDS)) {
            denies.put(s, new LinkedHashMap<>());
        }
        applyDefaults();
        Set<PolicySetting> delegated = layers.isEmpty() ? Set.of() : layers.get(0).rules().delegated();
        for (int i = 0; i < layers.size(); i++) {
            GovernancePolicy.Layer l = layers.get(i);
            fold(l, i == 0, delegated);
        }
    }

    // ------------------------------------------------------------------ folding

    private void applyDefaults() {
        scalar(PolicySetting.ALLOW_LOGPROBS, Boolean.FALSE, def(PolicySetting.ALLOW_LOGPROBS));
        scalar(PolicySetting.ALLOW_LOGIT_BIAS, Boolean.FALSE, def(PolicySetting.ALLOW_LOGIT_BIAS));
        scalar(PolicySetting.INJECTION_THRESHOLD, 0.8, def(PolicySetting.INJECTION_THRESHOLD));
        scalar(PolicySetting.INJECTION_ACTION, GuardrailAction.WARN, def(PolicySetting.INJECTION_ACTION));
        scalar(PolicySetting.DENY_LIST_ACTION, GuardrailAction.BLOCK, def(PolicySetting.DENY_LIST_ACTION));
        scalar(PolicySetting.PII_LEAK_ACTION, GuardrailAction.WARN, def(PolicySetting.PII_LEAK_ACTION));
        scalar(PolicySetting.JSON_SCHEMA_ACTION, GuardrailAction.WARN, def(PolicySetting.JSON_SCHEMA_ACTION));
        scalar(PolicySetting.SYSTEM_PROMPT_ECHO_ACTION, GuardrailAction.WARN,
                def(PolicySetting.SYSTEM_PROMPT_ECHO_ACTION));
        for (EntityType t : EntityType.BUILT_IN) {
            PiiAction a = t.equals(EntityType.API_KEY) || t.equals(EntityType.URL_CREDENTIALS)
                    ? PiiAction.MASK : PiiAction.PSEUDONYMIZE;
            pii.put(t.name(), new Sourced<>(a, new RuleSource(DEFAULT_LAYER, DEFAULT_PATH, PolicySetting.PII,
                    t.configName())));
        }
    }

    private static RuleSource def(PolicySetting s) {
        return new RuleSource(DEFAULT_LAYER, DEFAULT_PATH, s);
    }

    private void scalar(PolicySetting s, Object value, RuleSource source) {
        scalars.put(s, new Sourced<>(value, source));
    }

    private void fold(GovernancePolicy.Layer l, boolean baseline, Set<PolicySetting> delegated) {
        this.foldingPath = l.path();
        PolicyRules r = l.rules();
        Function<PolicySetting, RuleSource> src = s -> new RuleSource(l.id(), l.path() + "." + s.path(), s);
        // deny lists: always additive
        r.modelsDeny().forEach(e -> denies.get(PolicySetting.MODELS_DENY).putIfAbsent(e,
                src.apply(PolicySetting.MODELS_DENY)));
        r.providersDeny().forEach(e -> denies.get(PolicySetting.PROVIDERS_DENY).putIfAbsent(e,
                src.apply(PolicySetting.PROVIDERS_DENY)));
        r.regionsDeny().forEach(e -> denies.get(PolicySetting.REGIONS_DENY).putIfAbsent(e,
                src.apply(PolicySetting.REGIONS_DENY)));
        r.denyKeywords().forEach(e -> denies.get(PolicySetting.DENY_KEYWORDS).putIfAbsent(e,
                src.apply(PolicySetting.DENY_KEYWORDS)));
        r.denyPatterns().forEach(e -> denyPatterns.putIfAbsent(e, src.apply(PolicySetting.DENY_PATTERNS)));
        // allow-lists
        allow(PolicySetting.MODELS_ALLOW, r.modelsAllow(), src, baseline, delegated, PolicySetting.MODELS_DENY);
        allow(PolicySetting.PROVIDERS_ALLOW, r.providersAllow(), src, baseline, delegated,
                PolicySetting.PROVIDERS_DENY);
        allow(PolicySetting.REGIONS_ALLOW, r.regionsAllow(), src, baseline, delegated, PolicySetting.REGIONS_DENY);
        allow(PolicySetting.TOOLS_ALLOW, r.toolsAllow(), src, baseline, delegated, null);
        // data-class ceilings, per model name
        for (Map.Entry<String, DataClass> e : r.dataClassCeiling().entrySet()) {
            RuleSource s = new RuleSource(l.id(), l.path() + ".dataClassCeiling." + e.getKey(),
                    PolicySetting.DATA_CLASS_CEILING, e.getKey());
            Sourced<DataClass> current = ceilings.get(e.getKey());
            Sourced<DataClass> all = ceilings.get("*");
            boolean free = baseline || delegated.contains(PolicySetting.DATA_CLASS_CEILING);
            if (!free) {
                Sourced<DataClass> bound = current != null ? current : all;
                if (bound != null && e.getValue().ordinal() > bound.value().ordinal()) {
                    throw conflict(s, bound.source(), "ceiling " + name(e.getValue()) + " for \"" + e.getKey()
                            + "\" is looser than " + bound.source().rulePath() + " = " + name(bound.value()));
                }
            }
            if (free || current == null || e.getValue().ordinal() < current.value().ordinal()) {
                ceilings.put(e.getKey(), new Sourced<>(e.getValue(), s));
            }
        }
        // PII actions, per type
        for (Map.Entry<String, PiiAction> e : r.pii().entrySet()) {
            String item = e.getKey().toLowerCase(Locale.ROOT);
            RuleSource s = new RuleSource(l.id(), l.path() + ".pii." + item, PolicySetting.PII, item);
            Sourced<PiiAction> current = pii.get(e.getKey());
            boolean free = baseline || delegated.contains(PolicySetting.PII);
            if (!free && current != null && e.getValue().strictness() < current.value().strictness()) {
                throw conflict(s, current.source(), e.getValue().configName() + " is looser than "
                        + current.source().rulePath() + " = " + current.value().configName());
            }
            if (free || current == null || e.getValue().strictness() > current.value().strictness()) {
                pii.put(e.getKey(), new Sourced<>(e.getValue(), s));
            }
        }
        // scalars
        tighten(PolicySetting.MAX_INPUT_CHARS, r.maxInputChars(), src, baseline, delegated,
                Comparator.<Integer>naturalOrder().reversed());
        tighten(PolicySetting.MAX_OUTPUT_TOKENS, r.maxOutputTokens(), src, baseline, delegated,
                Comparator.<Integer>naturalOrder().reversed());
        tighten(PolicySetting.ALLOW_LOGPROBS, r.allowLogprobs(), src, baseline, delegated,
                Comparator.<Boolean>naturalOrder().reversed());
        tighten(PolicySetting.ALLOW_LOGIT_BIAS, r.allowLogitBias(), src, baseline, delegated,
                Comparator.<Boolean>naturalOrder().reversed());
        tighten(PolicySetting.INJECTION_THRESHOLD, r.injectionThreshold(), src, baseline, delegated,
                Comparator.<Double>naturalOrder().reversed());
        Comparator<GuardrailAction> action = Comparator.comparingInt(GuardrailAction::strictness);
        tighten(PolicySetting.INJECTION_ACTION, r.injectionAction(), src, baseline, delegated, action);
        tighten(PolicySetting.DENY_LIST_ACTION, r.denyListAction(), src, baseline, delegated, action);
        tighten(PolicySetting.PII_LEAK_ACTION, r.piiLeakAction(), src, baseline, delegated, action);
        tighten(PolicySetting.JSON_SCHEMA_ACTION, r.jsonSchemaAction(), src, baseline, delegated, action);
        tighten(PolicySetting.SYSTEM_PROMPT_ECHO_ACTION, r.systemPromptEchoAction(), src, baseline, delegated,
                action);
    }

    /** Folds one scalar; {@code strictness} orders values from loose to strict. */
    private <T> void tighten(PolicySetting setting, Optional<T> value, Function<PolicySetting, RuleSource> src,
                             boolean baseline, Set<PolicySetting> delegated, Comparator<T> strictness) {
        if (value.isEmpty()) {
            return;
        }
        RuleSource s = src.apply(setting);
        @SuppressWarnings("unchecked")
        Sourced<T> current = (Sourced<T>) scalars.get(setting);
        boolean free = baseline || delegated.contains(setting);
        if (!free && current != null && strictness.compare(value.get(), current.value()) < 0) {
            throw conflict(s, current.source(), display(value.get()) + " is looser than "
                    + current.source().rulePath() + " = " + display(current.value()));
        }
        if (free || current == null || strictness.compare(value.get(), current.value()) > 0) {
            scalars.put(setting, new Sourced<>(value.get(), s));
        }
    }

    private void allow(PolicySetting setting, Optional<Set<String>> entries, Function<PolicySetting, RuleSource> src,
                       boolean baseline, Set<PolicySetting> delegated, @Nullable PolicySetting denySetting) {
        if (entries.isEmpty()) {
            return;
        }
        RuleSource s = src.apply(setting);
        List<AllowLayer> layers = allows.get(setting);
        boolean free = baseline || delegated.contains(setting);
        if (!free) {
            for (String e : entries.get()) {
                for (AllowLayer al : layers) {
                    if (!covered(al.entries(), e)) {
                        throw conflict(s, al.source(), "allows \"" + e + "\", which " + al.source().rulePath()
                                + " does not allow");
                    }
                }
                if (denySetting != null) {
                    RuleSource denied = denies.get(denySetting).get(e);
                    if (denied != null && !denied.layer().equals(s.layer())) {
                        throw conflict(s, denied, "allows \"" + e + "\", which " + denied.rulePath() + " denies");
                    }
                }
            }
        } else if (delegated.contains(setting) && !baseline) {
            layers.clear();
        }
        layers.add(new AllowLayer(entries.get(), s));
    }

    private static boolean covered(Set<String> list, String entry) {
        if (list.contains(entry) || list.contains("*")) {
            return true;
        }
        String literal = entry.endsWith("*") ? entry.substring(0, entry.length() - 1) : entry;
        for (String l : list) {
            if (l.endsWith("*") && literal.startsWith(l.substring(0, l.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    private PolicyConflictException conflict(RuleSource overlay, RuleSource parent, String problem) {
        String parentPath = parent.rulePath();
        if (parent.layer().equals(DEFAULT_LAYER)) {
            parentPath = GovernancePolicy.BASELINE_PATH + overlay.rulePath().substring(foldingPath.length());
            problem = problem.replace(DEFAULT_PATH, parentPath + " (unset, so the built-in default)");
        }
        String message = problem + "; an overlay may only tighten " + overlay.setting().path()
                + " unless the baseline delegates it (governance.baseline.delegate: [" + overlay.setting().path()
                + "])";
        return new PolicyConflictException(overlay.rulePath(), parentPath, message);
    }

    // ------------------------------------------------------------------ queries

    /** The team this policy is for; empty for the baseline alone. */
    public Optional<String> team() {
        return team;
    }

    /** The layers folded, outermost first: {@code default}, {@code org}, {@code domain:..}, {@code team:..}. */
    public List<String> layers() {
        return layerIds;
    }

    /** Why {@code model} may not serve a call of class {@code callClass} for this team, or empty when it may. */
    public Optional<Denial> checkModel(ModelDescriptor model, DataClass callClass) {
        // the answer depends only on this (immutable) policy, the descriptor and the data class: computed once per
        // model and class (the route filter asks for every candidate of every call), recomputed when the model's
        // descriptor is replaced
        ModelChecks checks = modelChecks.get(model.id());
        if (checks == null || checks.model != model) {
            if (modelChecks.size() >= MAX_CACHED_MODELS) {
                modelChecks.clear();
            }
            checks = new ModelChecks(model);
            modelChecks.put(model.id(), checks);
        }
        int i = callClass.ordinal();
        Optional<Denial> d = checks.results.get(i);
        if (d == null) {
            d = computeCheckModel(model, callClass);
            checks.results.set(i, d);
        }
        return d;
    }

    /** The cached answers of {@link #checkModel} for one descriptor, per data class. */
    private static final class ModelChecks {
        final ModelDescriptor model;
        final AtomicReferenceArray<Optional<Denial>> results = new AtomicReferenceArray<>(DataClass.values().length);

        ModelChecks(ModelDescriptor model) {
            this.model = model;
        }
    }

    private Optional<Denial> computeCheckModel(ModelDescriptor model, DataClass callClass) {
        for (Map.Entry<String, RuleSource> e : denies.get(PolicySetting.MODELS_DENY).entrySet()) {
            if (matches(e.getKey(), model)) {
                return deny(e.getValue(), "model " + model.id() + " is denied by " + e.getValue().policyId());
            }
        }
        for (AllowLayer al : allows.get(PolicySetting.MODELS_ALLOW)) {
            if (al.entries().stream().noneMatch(e -> matches(e, model))) {
                return deny(al.source(), "model " + model.id() + " is not in the allow-list "
                        + al.source().policyId());
            }
        }
        String provider = model.provider().toLowerCase(Locale.ROOT);
        RuleSource p = denies.get(PolicySetting.PROVIDERS_DENY).get(provider);
        if (p != null) {
            return deny(p, "provider " + provider + " is denied by " + p.policyId());
        }
        for (AllowLayer al : allows.get(PolicySetting.PROVIDERS_ALLOW)) {
            if (!al.entries().contains(provider)) {
                return deny(al.source(), "provider " + provider + " is not in the allow-list "
                        + al.source().policyId());
            }
        }
        Optional<String> region = model.region().map(r -> r.toLowerCase(Locale.ROOT));
        if (region.isPresent()) {
            RuleSource r = denies.get(PolicySetting.REGIONS_DENY).get(region.get());
            if (r != null) {
                return deny(r, "region " + region.get() + " of model " + model.id() + " is denied by "
                        + r.policyId());
            }
        }
        for (AllowLayer al : allows.get(PolicySetting.REGIONS_ALLOW)) {
            if (region.isEmpty() || !al.entries().contains(region.get())) {
                return deny(al.source(), "region " + region.orElse("(undeclared)") + " of model " + model.id()
                        + " is not in the allow-list " + al.source().policyId());
            }
        }
        Optional<Sourced<DataClass>> ceiling = policyCeiling(model);
        if (ceiling.isPresent() && !ceiling.get().value().admits(callClass)) {
            return deny(ceiling.get().source(), "data class " + name(callClass) + " is above the ceiling "
                    + name(ceiling.get().value()) + " that " + ceiling.get().source().policyId() + " sets for model "
                    + model.id());
        }
        return Optional.empty();
    }

    /** The highest data class {@code model} may receive for this team: its own ceiling, lowered by policy. */
    public DataClass ceilingFor(ModelDescriptor model) {
        DataClass own = model.maxDataClass();
        return policyCeiling(model).map(Sourced::value).filter(c -> c.ordinal() < own.ordinal()).orElse(own);
    }

    private Optional<Sourced<DataClass>> policyCeiling(ModelDescriptor model) {
        Sourced<DataClass> best = null;
        for (Map.Entry<String, Sourced<DataClass>> e : ceilings.entrySet()) {
            if (matches(e.getKey(), model) && (best == null || e.getValue().value().ordinal() < best.value().ordinal())) {
                best = e.getValue();
            }
        }
        return Optional.ofNullable(best);
    }

    /** Why a request may not offer or call {@code tool}, or empty when it may. */
    public Optional<Denial> checkTool(String tool) {
        for (AllowLayer al : allows.get(PolicySetting.TOOLS_ALLOW)) {
            if (!covered(al.entries(), tool)) {
                return deny(al.source(), "tool " + tool + " is not in the allow-list " + al.source().policyId());
            }
        }
        return Optional.empty();
    }

    /** The required handling of values of {@code type}: policy, else {@link PiiAction#PSEUDONYMIZE}. */
    public PiiAction piiAction(EntityType type) {
        Sourced<PiiAction> s = pii.get(type.name());
        return s == null ? PiiAction.PSEUDONYMIZE : s.value();
    }

    /** The rule behind {@link #piiAction(EntityType)}, e.g. policy id {@code org/pii.email}. */
    public RuleSource piiSource(EntityType type) {
        Sourced<PiiAction> s = pii.get(type.name());
        return s == null ? new RuleSource(DEFAULT_LAYER, DEFAULT_PATH, PolicySetting.PII, type.configName())
                : s.source();
    }

    public Optional<Integer> maxInputChars() {
        return Optional.ofNullable((Integer) value(PolicySetting.MAX_INPUT_CHARS));
    }

    public Optional<Integer> maxOutputTokens() {
        return Optional.ofNullable((Integer) value(PolicySetting.MAX_OUTPUT_TOKENS));
    }

    public boolean allowLogprobs() {
        return (Boolean) Objects.requireNonNull(value(PolicySetting.ALLOW_LOGPROBS));
    }

    public boolean allowLogitBias() {
        return (Boolean) Objects.requireNonNull(value(PolicySetting.ALLOW_LOGIT_BIAS));
    }

    public double injectionThreshold() {
        return (Double) Objects.requireNonNull(value(PolicySetting.INJECTION_THRESHOLD));
    }

    /** The action of a guardrail setting ({@code INJECTION_ACTION}, {@code PII_LEAK_ACTION}...). */
    public GuardrailAction action(PolicySetting setting) {
        Object v = value(setting);
        if (!(v instanceof GuardrailAction a)) {
            throw new IllegalArgumentException(setting.path() + " is not a guardrail action setting");
        }
        return a;
    }

    /** Keywords the input may not contain (lower case). */
    public Set<String> denyKeywords() {
        return Set.copyOf(denies.get(PolicySetting.DENY_KEYWORDS).keySet());
    }

    /** Each deny-list keyword with the rule that added it. */
    public Map<String, RuleSource> denyKeywordSources() {
        return Map.copyOf(denies.get(PolicySetting.DENY_KEYWORDS));
    }

    /** Each deny-list pattern with the rule that added it. */
    public Map<String, RuleSource> denyPatternSources() {
        return Map.copyOf(denyPatterns);
    }

    /** Regular expressions the input may not match. */
    public List<String> denyPatterns() {
        return List.copyOf(denyPatterns.keySet());
    }

    /** The rule(s) that set {@code setting}'s effective value; a default source when no layer set it. */
    public List<RuleSource> sources(PolicySetting setting) {
        if (allows.containsKey(setting)) {
            return allows.get(setting).stream().map(AllowLayer::source).toList();
        }
        if (denies.containsKey(setting)) {
            return denies.get(setting).values().stream().distinct().toList();
        }
        if (setting == PolicySetting.DENY_PATTERNS) {
            return denyPatterns.values().stream().distinct().toList();
        }
        if (setting == PolicySetting.PII) {
            return pii.values().stream().map(Sourced::source).distinct().toList();
        }
        if (setting == PolicySetting.DATA_CLASS_CEILING) {
            return ceilings.values().stream().map(Sourced::source).distinct().toList();
        }
        Sourced<?> s = scalars.get(setting);
        return s == null ? List.of() : List.of(s.source());
    }

    /** The policy id of the rule behind a scalar or action setting (e.g. {@code team:x/maxOutputTokens}). */
    public String policyId(PolicySetting setting) {
        List<RuleSource> s = sources(setting);
        return s.isEmpty() ? DEFAULT_LAYER + "/" + setting.path() : s.get(s.size() - 1).policyId();
    }

    private @Nullable Object value(PolicySetting s) {
        Sourced<?> v = scalars.get(s);
        return v == null ? null : v.value();
    }

    /**
     * One line per setting: the effective value and where it came from, e.g.
     * {@code models.deny = [gpt-4o]  <- org/models.deny (governance.baseline.models.deny)}.
     */
    public String explain() {
        StringBuilder sb = new StringBuilder();
        sb.append("effective policy for ").append(team.map(t -> "team " + t).orElse("the baseline"))
                .append(" (layers: ").append(String.join(" <- ", layerIds)).append(")\n");
        for (PolicySetting s : PolicySetting.values()) {
            if (s == PolicySetting.PII) {
                pii.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  %-34s = %s  <- %s%n",
                        "pii." + k.toLowerCase(Locale.ROOT), v.value().configName(), v.source())));
                continue;
            }
            if (s == PolicySetting.DATA_CLASS_CEILING) {
                ceilings.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  %-34s = %s  <- %s%n",
                        "dataClassCeiling." + k, name(v.value()), v.source())));
                continue;
            }
            String value = describe(s);
            if (value == null) {
                continue;
            }
            sb.append(String.format(Locale.ROOT, "  %-34s = %s%n", s.path(), value));
        }
        return sb.toString();
    }

    private @Nullable String describe(PolicySetting s) {
        if (allows.containsKey(s)) {
            List<AllowLayer> ls = allows.get(s);
            if (ls.isEmpty()) {
                return null;
            }
            StringBuilder b = new StringBuilder();
            for (AllowLayer al : ls) {
                b.append(b.length() == 0 ? "" : " and ").append(new TreeSet<>(al.entries()))
                        .append("  <- ").append(al.source());
            }
            return b.toString();
        }
        if (denies.containsKey(s) || s == PolicySetting.DENY_PATTERNS) {
            Map<String, RuleSource> m = s == PolicySetting.DENY_PATTERNS ? denyPatterns : denies.get(s);
            if (m.isEmpty()) {
                return null;
            }
            StringBuilder b = new StringBuilder();
            new TreeSet<>(m.keySet()).forEach(k -> b.append(b.length() == 0 ? "" : ", ").append(k).append("  <- ")
                    .append(m.get(k)));
            return b.toString();
        }
        if (s == PolicySetting.PII) {
            StringBuilder b = new StringBuilder();
            pii.forEach((k, v) -> b.append(b.length() == 0 ? "" : "; ").append(k.toLowerCase(Locale.ROOT))
                    .append(' ').append(v.value().configName()).append("  <- ").append(v.source()));
            return b.toString();
        }
        if (s == PolicySetting.DATA_CLASS_CEILING) {
            if (ceilings.isEmpty()) {
                return null;
            }
            StringBuilder b = new StringBuilder();
            ceilings.forEach((k, v) -> b.append(b.length() == 0 ? "" : "; ").append(k).append(' ')
                    .append(name(v.value())).append("  <- ").append(v.source()));
            return b.toString();
        }
        Sourced<?> v = scalars.get(s);
        return v == null ? null : display(v.value()) + "  <- " + v.source();
    }

    @Override
    public String toString() {
        return "EffectivePolicy{" + String.join(" <- ", layerIds) + "}";
    }

    // ------------------------------------------------------------------ helpers

    private static Optional<Denial> deny(RuleSource source, String reason) {
        return Optional.of(new Denial(source.policyId(), reason));
    }

    /** Whether a policy name (id, model name, alias, prefix with {@code *}, or {@code *}) matches {@code model}. */
    static boolean matches(String entry, ModelDescriptor model) {
        if (entry.equals("*")) {
            return true;
        }
        if (entry.endsWith("*")) {
            String prefix = entry.substring(0, entry.length() - 1);
            return model.id().startsWith(prefix) || model.modelName().startsWith(prefix)
                    || model.aliases().stream().anyMatch(a -> a.startsWith(prefix));
        }
        return model.answersTo(entry);
    }

    private static String name(DataClass c) {
        return c.name().toLowerCase(Locale.ROOT);
    }

    private static String display(Object v) {
        if (v instanceof GuardrailAction a) {
            return a.configName();
        }
        if (v instanceof PiiAction a) {
            return a.configName();
        }
        return String.valueOf(v);
    }
}
