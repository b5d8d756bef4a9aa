package dev.llmmesh.governance.policy;

import dev.llmmesh.DataClass;
import dev.llmmesh.governance.guardrail.GuardrailAction;
import dev.llmmesh.governance.pii.EntityType;
import dev.llmmesh.governance.pii.PiiAction;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * The rules of one policy layer (the org baseline, a domain overlay or a team overlay). Every setting is optional:
 * an unset setting inherits from the layers above. Immutable and thread-safe; build with {@link #builder()}.
 *
 * <p>Model, provider and region lists hold names; a model entry matches a deployment by id, provider model name or
 * alias, and may end with {@code *} to match a prefix ({@code gpt-4*}).
 */
public final class PolicyRules {
    /** A layer that sets nothing. */
    public static final PolicyRules EMPTY = builder().build();

    private final @Nullable Set<String> modelsAllow;
    private final Set<String> modelsDeny;
    private final @Nullable Set<String> providersAllow;
    private final Set<String> providersDeny;
    private final @Nullable Set<String> regionsAllow;
    private final Set<String> regionsDeny;
    private final Map<String, DataClass> dataClassCeiling;
    private final Map<String, PiiAction> pii;
    private final @Nullable Integer maxInputChars;
    private final @Nullable Integer maxOutputTokens;
    private final @Nullable Set<String> toolsAllow;
    private final @Nullable Boolean allowLogprobs;
    private final @Nullable Boolean allowLogitBias;
    private final @Nullable Double injectionThreshold;
    private final @Nullable GuardrailAction injectionAction;
    private final Set<String> denyKeywords;
    private final List<String> denyPatterns;
    private final @Nullable GuardrailAction denyListAction;
    private final @Nullable GuardrailAction piiLeakAction;
    private final @Nullable GuardrailAction jsonSchemaAction;
    private final @Nullable GuardrailAction systemPromptEchoAction;
    private final Set<PolicySetting> delegated;

    private PolicyRules(Builder b) {
        this.modelsAllow = b.modelsAllow == null ? null : Set.copyOf(b.modelsAllow);
        this.modelsDeny = Set.copyOf(b.modelsDeny);
        this.providersAllow = b.providersAllow == null ? null : Set.copyOf(b.providersAllow);
        this.providersDeny = Set.copyOf(b.providersDeny);
        this.regionsAllow = b.regionsAllow == null ? null : Set.copyOf(b.regionsAllow);
        this.regionsDeny = Set.copyOf(b.regionsDeny);
        this.dataClassCeiling = Map.copyOf(b.dataClassCeiling);
        this.pii = Map.copyOf(b.pii);
        this.maxInputChars = b.maxInputChars;
        this.maxOutputTokens = b.maxOutputTokens;
        this.toolsAllow = b.toolsAllow == null ? null : Set.copyOf(b.toolsAllow);
        this.allowLogprobs = b.allowLogprobs;
        this.allowLogitBias = b.allowLogitBias;
        this.injectionThreshold = b.injectionThreshold;
        this.injectionAction = b.injectionAction;
        this.denyKeywords = Set.copyOf(b.denyKeywords);
        this.denyPatterns = List.copyOf(b.denyPatterns);
        this.denyListAction = b.denyListAction;
        this.piiLeakAction = b.piiLeakAction;
        this.jsonSchemaAction = b.jsonSchemaAction;
        this.systemPromptEchoAction = b.systemPromptEchoAction;
        this.delegated = b.delegated.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(b.delegated));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Models this layer allows; empty when it does not restrict them. */
    public Optional<Set<String>> modelsAllow() {
        return Optional.ofNullable(modelsAllow);
    }

    /** Models this layer denies (always added to the layers above). */
    public Set<String> modelsDeny() {
        return modelsDeny;
    }

    public Optional<Set<String>> providersAllow() {
        return Optional.ofNullable(providersAllow);
    }

    public Set<String> providersDeny() {
        return providersDeny;
    }

    public Optional<Set<String>> regionsAllow() {
        return Optional.ofNullable(regionsAllow);
    }

    public Set<String> regionsDeny() {
        return regionsDeny;
    }

    /** Highest data class per model name (id, model name, alias, prefix with {@code *}, or {@code *} for all). */
    public Map<String, DataClass> dataClassCeiling() {
        return dataClassCeiling;
    }

    /** Required PII handling per entity type name (e.g. {@code EMAIL}). */
    public Map<String, PiiAction> pii() {
        return pii;
    }

    public Optional<Integer> maxInputChars() {
        return Optional.ofNullable(maxInputChars);
    }

    public Optional<Integer> maxOutputTokens() {
        return Optional.ofNullable(maxOutputTokens);
    }

    /** Tools a request may offer the model; empty when not restricted. */
    public Optional<Set<String>> toolsAllow() {
        return Optional.ofNullable(toolsAllow);
    }

    public Optional<Boolean> allowLogprobs() {
        return Optional.ofNullable(allowLogprobs);
    }

    public Optional<Boolean> allowLogitBias() {
        return Optional.ofNullable(allowLogitBias);
    }

    public Optional<Double> injectionThreshold() {
        return Optional.ofNullable(injectionThreshold);
    }

    public Optional<GuardrailAction> injectionAction() {
        return Optional.ofNullable(injectionAction);
    }

    public Set<String> denyKeywords() {
        return denyKeywords;
    }

    public List<String> denyPatterns() {
        return denyPatterns;
    }

    public Optional<GuardrailAction> denyListAction() {
        return Optional.ofNullable(denyListAction);
    }

    public Optional<GuardrailAction> piiLeakAction() {
        return Optional.ofNullable(piiLeakAction);
    }

    public Optional<GuardrailAction> jsonSchemaAction() {
        return Optional.ofNullable(jsonSchemaAction);
    }

    public Optional<GuardrailAction> systemPromptEchoAction() {
        return Optional.ofNullable(systemPromptEchoAction);
    }

    /** Settings overlays may set freely (only meaningful on the baseline). */
    public Set<PolicySetting> delegated() {
        return delegated;
    }

    /** Whether this layer sets {@code setting}. */
    public boolean sets(PolicySetting setting) {
        return switch (setting) {
            case MODELS_ALLOW -> modelsAllow != null;
            case MODELS_DENY -> !modelsDeny.isEmpty();
            case PROVIDERS_ALLOW -> providersAllow != null;
            case PROVIDERS_DENY -> !providersDeny.isEmpty();
            case REGIONS_ALLOW -> regionsAllow != null;
            case REGIONS_DENY -> !regionsDeny.isEmpty();
            case DATA_CLASS_CEILING -> !dataClassCeiling.isEmpty();
            case PII -> !pii.isEmpty();
            case MAX_INPUT_CHARS -> maxInputChars != null;
            case MAX_OUTPUT_TOKENS -> maxOutputTokens != null;
            case TOOLS_ALLOW -> toolsAllow != null;
            case ALLOW_LOGPROBS -> allowLogprobs != null;
            case ALLOW_LOGIT_BIAS -> allowLogitBias != null;
            case INJECTION_THRESHOLD -> injectionThreshold != null;
            case INJECTION_ACTION -> injectionAction != null;
            case DENY_KEYWORDS -> !denyKeywords.isEmpty();
            case DENY_PATTERNS -> !denyPatterns.isEmpty();
            case DENY_LIST_ACTION -> denyListAction != null;
            case PII_LEAK_ACTION -> piiLeakAction != null;
            case JSON_SCHEMA_ACTION -> jsonSchemaAction != null;
            case SYSTEM_PROMPT_ECHO_ACTION -> systemPromptEchoAction != null;
        };
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("PolicyRules{");
        for (PolicySetting s : PolicySetting.values()) {
            if (sets(s)) {
                sb.append(sb.length() > 12 ? ", " : "").append(s.path());
            }
        }
        return sb.append('}').toString();
    }

    /** Builds {@link PolicyRules}. Each setter validates at once. Not thread-safe. */
    public static final class Builder {
        private @Nullable Set<String> modelsAllow;
        private final Set<String> modelsDeny = new LinkedHashSet<>();
        private @Nullable Set<String> providersAllow;
        private final Set<String> providersDeny = new LinkedHashSet<>();
        private @Nullable Set<String> regionsAllow;
        private final Set<String> regionsDeny = new LinkedHashSet<>();
        private final Map<String, DataClass> dataClassCeiling = new LinkedHashMap<>();
        private final Map<String, PiiAction> pii = new LinkedHashMap<>();
        private @Nullable Integer maxInputChars;
        private @Nullable Integer maxOutputTokens;
        private @Nullable Set<String> toolsAllow;
        private @Nullable Boolean allowLogprobs;
        private @Nullable Boolean allowLogitBias;
        private @Nullable Double injectionThreshold;
        private @Nullable GuardrailAction injectionAction;
        private final Set<String> denyKeywords = new LinkedHashSet<>();
        private final java.util.List<String> denyPatterns = new java.util.ArrayList<>();
        private @Nullable GuardrailAction denyListAction;
        private @Nullable GuardrailAction piiLeakAction;
        private @Nullable GuardrailAction jsonSchemaAction;
        private @Nullable GuardrailAction systemPromptEchoAction;
        private final Set<PolicySetting> delegated = EnumSet.noneOf(PolicySetting.class);

        private Builder() {
        }

        /**
         * Only these models may be used (an allow-list; replaces any earlier call).
         *
         * @throws IllegalArgumentException if a name is blank
         */
        public Builder allowModels(String... models) {
            this.modelsAllow = names("models.allow", models);
            return this;
        }

        /** These models may never be used (added to earlier calls). */
        public Builder denyModels(String... models) {
            modelsDeny.addAll(names("models.deny", models));
            return this;
        }

        /** Only models of these providers may be used ({@code openai}, {@code anthropic}...). */
        public Builder allowProviders(String... providers) {
            this.providersAllow = lower(names("providers.allow", providers));
            return this;
        }

        public Builder denyProviders(String... providers) {
            providersDeny.addAll(lower(names("providers.deny", providers)));
            return this;
        }

        /** Only models in these regions may be used; a model that declares no region is then refused. */
        public Builder allowRegions(String... regions) {
            this.regionsAllow = lower(names("regions.allow", regions));
            return this;
        }

        public Builder denyRegions(String... regions) {
            regionsDeny.addAll(lower(names("regions.deny", regions)));
            return this;
        }

        /**
         * The highest data class {@code model} may receive, below its own declared ceiling. {@code model} is a name
         * as in the allow-lists, or {@code *} for every model.
         */
        public Builder dataClassCeiling(String model, DataClass ceiling) {
            dataClassCeiling.put(name("dataClassCeiling", model), Objects.requireNonNull(ceiling, "ceiling"));
            return this;
        }

        /** How values of {@code type} must be handled for models that may not see them raw. */
        public Builder pii(EntityType type, PiiAction action) {
            pii.put(Objects.requireNonNull(type, "type").name(), Objects.requireNonNull(action, "action"));
            return this;
        }

        /**
         * As {@link #pii(EntityType, PiiAction)} by type name (for custom types), e.g. {@code EMPLOYEE_ID}.
         *
         * @throws IllegalArgumentException if the name is blank
         */
        public Builder pii(String typeName, PiiAction action) {
            pii.put(name("pii", typeName).toUpperCase(Locale.ROOT), Objects.requireNonNull(action, "action"));
            return this;
        }

        /**
         * Largest input, in characters over all message texts; a larger request is refused before any model is
         * called (the HTTP 413 equivalent).
         *
         * @throws IllegalArgumentException if {@code chars < 1}
         */
        public Builder maxInputChars(int chars) {
            if (chars < 1) {
                throw new IllegalArgumentException("maxInputChars must be >= 1, got " + chars);
            }
            this.maxInputChars = chars;
            return this;
        }

        /**
         * Clamp for a request's max output tokens (also set when the request sets none).
         *
         * @throws IllegalArgumentException if {@code tokens < 1}
         */
        public Builder maxOutputTokens(int tokens) {
            if (tokens < 1) {
                throw new IllegalArgumentException("maxOutputTokens must be >= 1, got " + tokens);
            }
            this.maxOutputTokens = tokens;
            return this;
        }

        /** Only these tools may be offered to, or called by, a model. */
        public Builder allowTools(String... tools) {
            this.toolsAllow = names("tools.allow", tools);
            return this;
        }

        /** Whether requests may ask for log-probabilities (stripped otherwise; default not allowed). */
        public Builder allowLogprobs(boolean allow) {
            this.allowLogprobs = allow;
            return this;
        }

        /** Whether requests may carry a logit bias (stripped otherwise; default not allowed). */
        public Builder allowLogitBias(boolean allow) {
            this.allowLogitBias = allow;
            return this;
        }

        /**
         * Prompt-injection score at or above which the injection guardrail fires.
         *
         * @throws IllegalArgumentException if not in (0, 1]
         */
        public Builder injectionThreshold(double threshold) {
            if (!(threshold > 0 && threshold <= 1)) {
                throw new IllegalArgumentException("guardrails.injection.threshold must be in (0, 1], got "
                        + threshold);
            }
            this.injectionThreshold = threshold;
            return this;
        }

        public Builder injectionAction(GuardrailAction action) {
            this.injectionAction = Objects.requireNonNull(action, "action");
            return this;
        }

        /** Words or phrases (case-insensitive, whole words) that input may not contain. */
        public Builder denyKeywords(String... keywords) {
            for (String k : names("guardrails.denyList.keywords", keywords)) {
                denyKeywords.add(k.toLowerCase(Locale.ROOT));
            }
            return this;
        }

        /**
         * Regular expressions that input may not match (searched, case-insensitive).
         *
         * @throws IllegalArgumentException if a pattern does not compile
         */
        public Builder denyPatterns(String... patterns) {
            for (String p : names("guardrails.denyList.patterns", patterns)) {
                try {
                    Pattern.compile(p);
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException("guardrails.denyList.patterns: \"" + p
                            + "\" is not a valid regular expression: " + e.getDescription(), e);
                }
                denyPatterns.add(p);
            }
            return this;
        }

        public Builder denyListAction(GuardrailAction action) {
            this.denyListAction = Objects.requireNonNull(action, "action");
            return this;
        }

        /** What to do when the answer contains PII that was not in the input. */
        public Builder piiLeakAction(GuardrailAction action) {
            this.piiLeakAction = Objects.requireNonNull(action, "action");
            return this;
        }

        /** What to do when the answer is not valid against the JSON schema the request asked for. */
        public Builder jsonSchemaAction(GuardrailAction action) {
            this.jsonSchemaAction = Objects.requireNonNull(action, "action");
            return this;
        }

        /** What to do when the answer repeats 50 or more characters of a system prompt verbatim. */
        public Builder systemPromptEchoAction(GuardrailAction action) {
            this.systemPromptEchoAction = Objects.requireNonNull(action, "action");
            return this;
        }

        /**
         * Lets overlays set these settings freely (baseline only).
         *
         * @throws IllegalArgumentException for a deny list, which is always additive
         */
        public Builder delegate(PolicySetting... settings) {
            for (PolicySetting s : settings) {
                if (!Objects.requireNonNull(s, "setting").delegable()) {
                    throw new IllegalArgumentException("delegate: " + s.path() + " cannot be delegated; deny lists "
                            + "are always added up across layers");
                }
                delegated.add(s);
            }
            return this;
        }

        public PolicyRules build() {
            return new PolicyRules(this);
        }

        private static Set<String> names(String what, String... names) {
            Set<String> out = new LinkedHashSet<>();
            for (String n : names) {
                out.add(name(what, n));
            }
            return out;
        }

        private static String name(String what, @Nullable String n) {
            if (n == null || n.isBlank()) {
                throw new IllegalArgumentException(what + ": names must not be blank");
            }
            return n.trim();
        }

        private static Set<String> lower(Set<String> in) {
            Set<String> out = new LinkedHashSet<>();
            in.forEach(s -> out.add(s.toLowerCase(Locale.ROOT)));
            return out;
        }
    }
}
