package dev.llmmesh.governance;

import dev.llmmesh.DataClass;
import dev.llmmesh.MeshBuilder;
import dev.llmmesh.Secret;
import dev.llmmesh.config.ConfigNode;
import dev.llmmesh.config.MeshConfigException;
import dev.llmmesh.config.MeshConfigurer;
import dev.llmmesh.governance.guardrail.FailMode;
import dev.llmmesh.governance.guardrail.GuardrailAction;
import dev.llmmesh.governance.guardrail.InjectionDetection;
import dev.llmmesh.governance.pii.EntityType;
import dev.llmmesh.governance.pii.PiiAction;
import dev.llmmesh.governance.pii.PiiDetectors;
import dev.llmmesh.governance.pii.PiiRedactor;
import dev.llmmesh.governance.pii.PiiScanner;
import dev.llmmesh.governance.pii.PiiSource;
import dev.llmmesh.governance.pii.PresidioAnalyzerDetector;
import dev.llmmesh.governance.policy.GovernancePolicy;
import dev.llmmesh.governance.policy.PolicyRules;
import dev.llmmesh.governance.policy.PolicySetting;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the {@code governance:} section of {@code mesh.yaml} and installs a {@link GovernancePlugin}. Registered
 * with {@link java.util.ServiceLoader}, so {@code MeshConfig} finds it when mesh-governance is on the class path.
 * Stateless and thread-safe.
 *
 * <pre>{@code
 * governance:
 *   mode: enforce                  # or dry-run
 *   systemPromptEchoMinChars: 50
 *   injectionDetection: classifier # keywords (default), classifier or both
 *   pii:
 *     hashKey: ${PII_HASH_KEY}     # optional, >= 16 bytes; random per JVM when absent
 *     personNames: false           # opt-in dictionary person-name detector
 *     extendedTypes: [date_time, street_address]   # opt-in pattern types, or [all]
 *     presidio:                    # optional: an external Presidio Analyzer as one more detector
 *       url: http://presidio-analyzer:5002
 *       language: en
 *       minScore: 0.5
 *       timeout: 2s
 *       entities: [PERSON, LOCATION]   # optional; default: whatever the analyzer reports
 *       failMode: closed           # or open: text passes unscanned by it when the analyzer fails
 *     restoreFrom: [tool_result]   # besides the caller's user messages; also system, retrieved, assistant
 *     tools: { lookup_order: confidential, "*": public }   # data class tool arguments may get back
 *   baseline:                      # the org layer; the only one that may delegate
 *     models: { allow: [gpt-4o-mini, llama3], deny: [gpt-3.5*] }
 *     providers: { allow: [openai, ollama] }
 *     regions: { deny: [us-gov] }
 *     dataClassCeiling: { "*": confidential, ext-gpt: internal }
 *     pii: { email: pseudonymize, credit_card: block, api_key: mask }
 *     maxInputChars: 100000
 *     maxOutputTokens: 4096
 *     tools: { allow: [lookup_order] }
 *     allowLogprobs: false
 *     allowLogitBias: false
 *     guardrails:
 *       injection: { threshold: 0.8, action: warn }
 *       denyList: { keywords: [project nightingale], patterns: ["ticket-\\d{6}"], action: block }
 *       output: { piiLeak: redact, jsonSchema: block, systemPromptEcho: warn }
 *     delegate: [maxOutputTokens]
 *   domains:
 *     payments: { teams: [checkout, refunds], providers: { allow: [ollama] } }
 *   teams:
 *     checkout: { models: { deny: [gpt-4o] }, maxOutputTokens: 1024 }
 * }</pre>
 *
 * A loosening overlay fails at load with a {@link dev.llmmesh.governance.policy.PolicyConflictException} naming both
 * rules; every other mistake fails with a {@link MeshConfigException} naming the path.
 */
public final class GovernanceConfigurer implements MeshConfigurer {

    @Override
    public String section() {
        return "governance";
    }

    @Override
    public void configure(ConfigNode section, MeshBuilder builder) {
        builder.install(read(section, builder.models().stream().map(c -> c.descriptor()).toList()).build());
    }

    /**
     * As {@link #read(ConfigNode)}, and checks every model named in an {@code allow} or {@code deny} list against
     * {@code models} (by id, provider model name or alias; entries ending in {@code *} are prefixes and not checked),
     * so a mistyped entry is an error rather than a rule that matches nothing.
     *
     * @throws MeshConfigException naming the path of the first bad value or unknown model
     */
    public static GovernancePlugin.Builder read(ConfigNode section,
                                                java.util.Collection<dev.llmmesh.client.ModelDescriptor> models) {
        return read(section, List.copyOf(models), true);
    }

    /**
     * Reads a {@code governance:} section into a plugin builder (to add audit sinks or custom guardrails before
     * building, or to keep the plugin for {@link GovernancePlugin#replacePolicy}).
     *
     * @throws MeshConfigException naming the path of the first bad value, or a policy conflict
     */
    public static GovernancePlugin.Builder read(ConfigNode section) {
        return read(section, java.util.List.of(), false);
    }

    /** {@code governance.pii.presidio}: an external Presidio Analyzer. */
    private static PresidioAnalyzerDetector presidio(ConfigNode n) {
        PresidioAnalyzerDetector.Builder p = PresidioAnalyzerDetector.builder(n.url("url"));
        try {
            n.optionalString("language").ifPresent(p::language);
        } catch (IllegalArgumentException e) {
            throw n.error("language", e.getMessage());
        }
        Optional<Double> minScore = n.optionalNumber("minScore", 0);
        if (minScore.isPresent()) {
            if (minScore.get() > 1) {
                throw n.error("minScore", "must be in [0, 1], got " + minScore.get());
            }
            p.minScore(minScore.get());
        }
        Optional<java.time.Duration> timeout = n.optionalDuration("timeout");
        if (timeout.isPresent()) {
            if (timeout.get().isZero() || timeout.get().isNegative()) {
                throw n.error("timeout", "must be positive, such as 2s");
            }
            p.timeout(timeout.get());
        }
        if (n.has("entities")) {
            try {
                p.entities(n.stringList("entities"));
            } catch (IllegalArgumentException e) {
                throw n.error("entities", e.getMessage());
            }
        }
        n.optionalEnum("failMode", FailMode.class).ifPresent(p::failMode);
        Optional<Integer> max = n.optionalInteger("maxResponseBytes", 2);
        max.ifPresent(p::maxResponseBytes);
        n.requireNoUnknownKeys();
        try {
            return p.build();
        } catch (IllegalArgumentException e) {
            throw n.error("url", e.getMessage());
        }
    }

    private static GovernancePlugin.Builder read(ConfigNode section,
                                                 java.util.Collection<dev.llmmesh.client.ModelDescriptor> models,
                                                 boolean checkModels) {
        java.util.Collection<dev.llmmesh.client.ModelDescriptor> known = checkModels ? models : null;
        GovernancePlugin.Builder b = GovernancePlugin.builder();
        b.mode(section.enumValue("mode", GovernanceMode.class, GovernanceMode.ENFORCE));
        section.optionalInteger("systemPromptEchoMinChars", 8).ifPresent(b::systemPromptEchoMinChars);
        section.optionalEnum("injectionDetection", InjectionDetection.class).ifPresent(b::injectionDetection);
        Optional<ConfigNode> pii = section.optionalChild("pii");
        if (pii.isPresent()) {
            Optional<Secret> key = pii.get().optionalSecret("hashKey");
            if (key.isPresent()) {
                byte[] bytes = key.get().reveal().getBytes(StandardCharsets.UTF_8);
                if (bytes.length < 16) {
                    throw pii.get().error("hashKey", "must have at least 16 bytes");
                }
                b.redactor(PiiRedactor.withHashKey(bytes));
            }
            if (pii.get().has("restoreFrom")) {
                List<String> names = pii.get().stringList("restoreFrom");
                java.util.List<PiiSource> from = new java.util.ArrayList<>();
                for (String name : names) {
                    try {
                        from.add(PiiSource.parse(name));
                    } catch (IllegalArgumentException e) {
                        throw pii.get().error("restoreFrom", e.getMessage());
                    }
                }
                b.restoreFrom(from.toArray(PiiSource[]::new));
            }
            for (Map.Entry<String, String> e : pii.get().stringMap("tools").entrySet()) {
                b.toolDataClass(e.getKey(), parse(pii.get(), "tools." + e.getKey(), e.getValue(), DataClass.class));
            }
            boolean names = pii.get().bool("personNames", false);
            Set<EntityType> extended = new LinkedHashSet<>();
            for (String t : pii.get().stringList("extendedTypes")) {
                if (t.equalsIgnoreCase("all")) {
                    extended.addAll(EntityType.EXTENDED);
                    continue;
                }
                Optional<EntityType> type = EntityType.builtIn(t).filter(EntityType.EXTENDED::contains);
                if (type.isEmpty()) {
                    throw pii.get().error("extendedTypes", "unknown extended type \"" + t + "\"; expected all or "
                            + "some of " + EntityType.EXTENDED.stream().map(EntityType::configName).toList());
                }
                extended.add(type.get());
            }
            Optional<PresidioAnalyzerDetector> presidio = pii.get().optionalChild("presidio")
                    .map(GovernanceConfigurer::presidio);
            if (names || !extended.isEmpty() || presidio.isPresent()) {
                PiiScanner.Builder scanner = PiiScanner.builder().add(PiiDetectors.builtIn());
                presidio.ifPresent(scanner::add);
                if (names) {
                    scanner.add(PiiDetectors.personNames());
                }
                if (!extended.isEmpty()) {
                    scanner.add(PiiDetectors.extended(extended));
                }
                b.scanner(scanner.build());
            }
            pii.get().requireNoUnknownKeys();
        }
        GovernancePolicy.Builder policy = GovernancePolicy.builder();
        section.optionalChild("baseline").ifPresent(n -> policy.baseline(rules(n, true, known)));
        section.optionalChild("domains").ifPresent(domains -> {
            for (String name : domains.keys()) {
                ConfigNode d = domains.child(name);
                List<String> teams = d.stringList("teams");
                policy.domain(name, new LinkedHashSet<>(teams), rules(d, false, known));
            }
            domains.requireNoUnknownKeys();
        });
        section.optionalChild("teams").ifPresent(teams -> {
            for (String name : teams.keys()) {
                policy.team(name, rules(teams.child(name), false, known));
            }
            teams.requireNoUnknownKeys();
        });
        try {
            b.policy(policy.build());
        } catch (MeshConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw section.error(e.getMessage());
        }
        section.requireNoUnknownKeys();
        return b;
    }

    private static void requireKnownModels(ConfigNode m, String key, List<String> names,
                                           java.util.@org.jspecify.annotations.Nullable Collection<dev.llmmesh.client.ModelDescriptor> known) {
        if (known == null) {
            return;
        }
        for (String name : names) {
            if (name.endsWith("*")) {
                continue;
            }
            if (known.stream().noneMatch(d -> d.answersTo(name))) {
                throw m.error(key, "no model is called \"" + name + "\" (an entry matches a model's id, provider model "
                        + "name or alias; known ids: " + String.join(", ", known.stream()
                        .map(dev.llmmesh.client.ModelDescriptor::id).toList())
                        + "); fix the name, or end it with * to match a prefix");
            }
        }
    }

    private static PolicyRules rules(ConfigNode n, boolean baseline,
                                     java.util.@org.jspecify.annotations.Nullable Collection<dev.llmmesh.client.ModelDescriptor> known) {
        PolicyRules.Builder r = PolicyRules.builder();
        try {
            n.optionalChild("models").ifPresent(m -> {
                if (m.has("allow")) {
                    List<String> allow = m.stringList("allow");
                    requireKnownModels(m, "allow", allow, known);
                    r.allowModels(allow.toArray(String[]::new));
                }
                List<String> deny = m.stringList("deny");
                requireKnownModels(m, "deny", deny, known);
                r.denyModels(deny.toArray(String[]::new));
                m.requireNoUnknownKeys();
            });
            n.optionalChild("providers").ifPresent(m -> {
                if (m.has("allow")) {
                    r.allowProviders(m.stringList("allow").toArray(String[]::new));
                }
                r.denyProviders(m.stringList("deny").toArray(String[]::new));
                m.requireNoUnknownKeys();
            });
            n.optionalChild("regions").ifPresent(m -> {
                if (m.has("allow")) {
                    r.allowRegions(m.stringList("allow").toArray(String[]::new));
                }
                r.denyRegions(m.stringList("deny").toArray(String[]::new));
                m.requireNoUnknownKeys();
            });
            n.optionalChild("tools").ifPresent(m -> {
                if (m.has("allow")) {
                    r.allowTools(m.stringList("allow").toArray(String[]::new));
                }
                m.requireNoUnknownKeys();
            });
            for (Map.Entry<String, String> e : n.stringMap("dataClassCeiling").entrySet()) {
                r.dataClassCeiling(e.getKey(), parse(n, "dataClassCeiling." + e.getKey(), e.getValue(),
                        DataClass.class));
            }
            for (Map.Entry<String, String> e : n.stringMap("pii").entrySet()) {
                PiiAction action = parse(n, "pii." + e.getKey(), e.getValue(), PiiAction.class);
                Optional<EntityType> builtIn = EntityType.builtIn(e.getKey());
                if (builtIn.isPresent()) {
                    r.pii(builtIn.get(), action);
                } else {
                    r.pii(e.getKey(), action);
                }
            }
            n.optionalInteger("maxInputChars", 1).ifPresent(r::maxInputChars);
            n.optionalInteger("maxOutputTokens", 1).ifPresent(r::maxOutputTokens);
            n.optionalBool("allowLogprobs").ifPresent(r::allowLogprobs);
            n.optionalBool("allowLogitBias").ifPresent(r::allowLogitBias);
            n.optionalChild("guardrails").ifPresent(g -> {
                g.optionalChild("injection").ifPresent(i -> {
                    i.optionalNumber("threshold", 0).ifPresent(r::injectionThreshold);
                    i.optionalEnum("action", GuardrailAction.class).ifPresent(r::injectionAction);
                    i.requireNoUnknownKeys();
                });
                g.optionalChild("denyList").ifPresent(d -> {
                    r.denyKeywords(d.stringList("keywords").toArray(String[]::new));
                    r.denyPatterns(d.stringList("patterns").toArray(String[]::new));
                    d.optionalEnum("action", GuardrailAction.class).ifPresent(r::denyListAction);
                    d.requireNoUnknownKeys();
                });
                g.optionalChild("output").ifPresent(o -> {
                    o.optionalEnum("piiLeak", GuardrailAction.class).ifPresent(r::piiLeakAction);
                    o.optionalEnum("jsonSchema", GuardrailAction.class).ifPresent(r::jsonSchemaAction);
                    o.optionalEnum("systemPromptEcho", GuardrailAction.class).ifPresent(r::systemPromptEchoAction);
                    o.requireNoUnknownKeys();
                });
                g.requireNoUnknownKeys();
            });
            if (baseline) {
                for (String s : n.stringList("delegate")) {
                    r.delegate(PolicySetting.fromPath(s));
                }
            } else if (n.has("delegate")) {
                throw n.error("delegate", "only governance.baseline may delegate settings");
            }
        } catch (MeshConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw n.error(e.getMessage());
        }
        n.requireNoUnknownKeys();
        return r.build();
    }

    private static <E extends Enum<E>> E parse(ConfigNode n, String key, String value, Class<E> type) {
        String v = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(v)) {
                return e;
            }
        }
        StringBuilder names = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            names.append(names.length() == 0 ? "" : ", ").append(e.name().toLowerCase(Locale.ROOT));
        }
        throw n.error(key.substring(0, key.indexOf('.')), key + ": expected one of " + names + ", got \"" + value
                + "\"");
    }
}
