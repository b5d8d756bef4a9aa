package dev.llmmesh.governance.internal;

import dev.llmmesh.governance.guardrail.InjectionClassifier;
import dev.llmmesh.governance.guardrail.InjectionDetection;
import dev.llmmesh.CallContext;
import dev.llmmesh.PolicyDeniedException;
import dev.llmmesh.Verdict;
import dev.llmmesh.catalog.Catalog;
import dev.llmmesh.governance.GovernanceAuditSink;
import dev.llmmesh.governance.GovernanceEvent;
import dev.llmmesh.governance.GovernanceMode;
import dev.llmmesh.governance.guardrail.SystemPromptEchoDetector;
import dev.llmmesh.governance.pii.PiiRedactor;
import dev.llmmesh.governance.pii.PiiScanner;
import dev.llmmesh.governance.policy.EffectivePolicy;
import dev.llmmesh.governance.policy.GovernancePolicy;
import dev.llmmesh.intercept.CallScope;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The state one installed governance plugin shares between its interceptors and route filter. Thread-safe. */
public final class GovernanceRuntime {
    /** The context attribute that links a call's interceptors and route-filter invocations to its state. */
    public static final String CALL_ATTRIBUTE = "governance.call";
    private static final Logger LOG = LoggerFactory.getLogger(GovernanceRuntime.class);
    private static final AtomicLong TOKENS = new AtomicLong();
    private static final int MAX_ECHO_DETECTORS = 256;
    private static final int MAX_POLICIES = 1024;

    private final AtomicReference<GovernancePolicy> policy;
    private final GovernanceMode mode;
    private final PiiScanner scanner;
    private final PiiRedactor redactor;
    private final List<GovernanceAuditSink> sinks;
    private final GuardrailRunner guardrails;
    private final int echoMinChars;
    private final Provenance provenance;
    private final InjectionDetection injectionDetection;
    private final @Nullable InjectionClassifier injectionClassifier;
    private volatile Clock clock = Clock.systemUTC();
    private volatile @Nullable Catalog catalog;
    private final Map<String, CallState> calls = new ConcurrentHashMap<>();
    private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();
    /** Echo detectors per set of system prompts: indexing a prompt costs more than checking an answer against it. */
    private final Map<List<String>, SystemPromptEchoDetector> echoDetectors = new ConcurrentHashMap<>();
    private final SystemPromptEchoDetector noPrompts;
    /** Values derived from an effective policy alone (compiled deny lists), per policy object and kind. */
    private final Map<EffectivePolicy, Map<String, Object>> perPolicy = new ConcurrentHashMap<>();

    public GovernanceRuntime(GovernancePolicy policy, GovernanceMode mode, PiiScanner scanner, PiiRedactor redactor,
                             List<GovernanceAuditSink> sinks, GuardrailRunner guardrails, int echoMinChars,
                             Provenance provenance) {
        this(policy, mode, scanner, redactor, sinks, guardrails, echoMinChars, provenance, InjectionDetection.KEYWORDS,
                null);
    }

    public GovernanceRuntime(GovernancePolicy policy, GovernanceMode mode, PiiScanner scanner, PiiRedactor redactor,
                             List<GovernanceAuditSink> sinks, GuardrailRunner guardrails, int echoMinChars,
                             Provenance provenance, InjectionDetection injectionDetection,
                             @Nullable InjectionClassifier classifier) {
        if (injectionDetection != InjectionDetection.KEYWORDS && classifier == null) {
            throw new IllegalArgumentException("injection detection " + injectionDetection + " needs a classifier");
        }
        this.injectionDetection = injectionDetection;
        this.injectionClassifier = classifier;
        this.policy = new AtomicReference<>(policy);
        this.mode = mode;
        this.scanner = scanner;
        this.redactor = redactor;
        this.sinks = List.copyOf(sinks);
        this.guardrails = guardrails;
        this.echoMinChars = echoMinChars;
        this.provenance = provenance;
        this.noPrompts = new SystemPromptEchoDetector(List.of(), echoMinChars);
    }

    /** Binds the mesh's clock and catalog (at install). */
    public void bind(Clock clock, Catalog catalog) {
        this.clock = clock;
        this.catalog = catalog;
    }

    public GovernancePolicy policy() {
        return policy.get();
    }

    public void replacePolicy(GovernancePolicy p) {
        policy.set(p);
    }

    public GovernanceMode mode() {
        return mode;
    }

    public boolean enforcing() {
        return mode == GovernanceMode.ENFORCE;
    }

    PiiScanner scanner() {
        return scanner;
    }

    PiiRedactor redactor() {
        return redactor;
    }

    Provenance provenance() {
        return provenance;
    }

    GuardrailRunner guardrails() {
        return guardrails;
    }

    InjectionDetection injectionDetection() {
        return injectionDetection;
    }

    /** The classifier; only called when {@link #injectionDetection()} is not {@code KEYWORDS}. */
    InjectionClassifier injectionClassifier() {
        return java.util.Objects.requireNonNull(injectionClassifier, "injectionClassifier");
    }

    int echoMinChars() {
        return echoMinChars;
    }

    /**
     * The echo detector for these system prompts, built on first use and kept (at most {@value #MAX_ECHO_DETECTORS}
     * prompt sets; past that the cache starts over, so prompts built per call cannot grow it without bound).
     */
    SystemPromptEchoDetector echoDetector(List<String> systemPrompts) {
        if (systemPrompts.isEmpty()) {
            return noPrompts;
        }
        SystemPromptEchoDetector d = echoDetectors.get(systemPrompts);
        if (d == null) {
            d = new SystemPromptEchoDetector(systemPrompts, echoMinChars);
            if (echoDetectors.size() >= MAX_ECHO_DETECTORS) {
                echoDetectors.clear();
            }
            echoDetectors.put(List.copyOf(systemPrompts), d);
        }
        return d;
    }

    /**
     * A value that depends only on {@code policy}, computed on first use and kept while the policy is in force (at
     * most {@value #MAX_POLICIES} policies; replaced policies age out when the cache starts over).
     */
    @SuppressWarnings("unchecked")
    <T> T perPolicy(EffectivePolicy policy, String kind, java.util.function.Function<EffectivePolicy, T> compute) {
        Map<String, Object> values = perPolicy.get(policy);
        if (values == null) {
            if (perPolicy.size() >= MAX_POLICIES) {
                perPolicy.clear();
            }
            values = perPolicy.computeIfAbsent(policy, p -> new ConcurrentHashMap<>());
        }
        Object v = values.get(kind);
        if (v == null) {
            v = compute.apply(policy);
            values.put(kind, v);
        }
        return (T) v;
    }

    Optional<Catalog> catalog() {
        return Optional.ofNullable(catalog);
    }

    /** The policy for a context's team (policy may have been replaced since the call started). */
    EffectivePolicy policyFor(CallContext context) {
        return policy.get().effectivePolicy(context.team());
    }

    /** Starts governing a call: a fresh state, linked from the returned context. */
    CallState open(CallScope scope, CallContext context) {
        String token = "g" + TOKENS.incrementAndGet();
        CallState st = new CallState(token, scope, context, policyFor(context));
        calls.put(token, st);
        return st;
    }

    void close(CallState st) {
        calls.remove(st.token);
    }

    /** The state of the call {@code context} belongs to, if it is governed by this runtime. */
    @Nullable CallState state(CallContext context) {
        String token = context.attributes().get(CALL_ATTRIBUTE);
        return token == null ? null : calls.get(token);
    }

    /** A compiled, cached, case-insensitive pattern. */
    Pattern pattern(String regex) {
        return patterns.computeIfAbsent(regex, r -> Pattern.compile(r, Pattern.CASE_INSENSITIVE
                | Pattern.UNICODE_CASE));
    }

    /**
     * Records a verdict on the call (when known) and an audit event. Verdicts repeated for the same subject within
     * one call are recorded once.
     */
    void record(@Nullable CallState st, String policyId, Verdict.Decision decision, GovernanceEvent.Stage stage,
                String detail, Optional<String> modelId, boolean enforced) {
        if (st != null && !st.firstTime(policyId, decision + "|" + stage + "|" + modelId.orElse("") + "|"
                + detail)) {
            return;
        }
        if (st != null) {
            st.scope.addVerdict(new Verdict(policyId, decision, detail));
        }
        GovernanceEvent event = new GovernanceEvent(st == null ? "unknown" : st.scope.requestId(), clock.instant(),
                st == null ? Optional.empty() : st.team, modelId, policyId, decision, stage, detail, enforced);
        for (GovernanceAuditSink sink : sinks) {
            try {
                sink.record(event);
            } catch (RuntimeException e) {
                LOG.warn("governance audit sink {} threw {}; event for policy {} not recorded by it",
                        sink.getClass().getName(), e.getClass().getName(), policyId);
            }
        }
    }

    /**
     * A denial: in enforce mode records a DENY verdict and throws the exception; in dry-run mode records a FLAG
     * verdict ("dry-run: would deny: ...") and returns.
     */
    void deny(@Nullable CallState st, String policyId, GovernanceEvent.Stage stage, String detail,
              Optional<String> modelId, Supplier<? extends PolicyDeniedException> exception) {
        if (enforcing()) {
            record(st, policyId, Verdict.Decision.DENY, stage, detail, modelId, true);
            throw exception.get();
        }
        record(st, policyId, Verdict.Decision.FLAG, stage, GovernanceEvent.DRY_RUN_PREFIX + detail, modelId, false);
    }

    /** A denial as a {@link PolicyDeniedException} supplier. */
    static Supplier<PolicyDeniedException> denied(String policyId, String detail, Optional<String> modelId) {
        return () -> new PolicyDeniedException(policyId, detail, modelId.orElse(null));
    }
}
