package dev.llmmesh.governance;

import dev.llmmesh.DataClass;
import dev.llmmesh.MeshBuilder;
import dev.llmmesh.MeshPlugin;
import dev.llmmesh.governance.guardrail.FailMode;
import dev.llmmesh.governance.guardrail.GuardrailAction;
import dev.llmmesh.governance.guardrail.InjectionClassifier;
import dev.llmmesh.governance.guardrail.InjectionDetection;
import dev.llmmesh.governance.guardrail.InputGuardrail;
import dev.llmmesh.governance.guardrail.OutputGuardrail;
import dev.llmmesh.governance.internal.GovernanceAttemptInterceptor;
import dev.llmmesh.governance.internal.GovernanceCallInterceptor;
import dev.llmmesh.governance.internal.GovernanceRuntime;
import dev.llmmesh.governance.internal.GuardrailRunner;
import dev.llmmesh.governance.internal.PolicyRouteFilter;
import dev.llmmesh.governance.internal.PolicyToolCallGuard;
import dev.llmmesh.governance.internal.Provenance;
import dev.llmmesh.governance.pii.PiiSource;
import dev.llmmesh.governance.pii.PiiRedactor;
import dev.llmmesh.governance.pii.PiiScanner;
import dev.llmmesh.governance.policy.EffectivePolicy;
import dev.llmmesh.governance.policy.GovernancePolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Governance for a mesh: federated policies checked on every hop, PII redaction per model trust with restore, and
 * input and output guardrails. Install it on a {@link MeshBuilder}; it registers
 * <ol>
 *   <li>a route filter: the team's policy for every candidate while routing and again for the model of every attempt
 *       (fallbacks, retries), so a denied model is never called; values whose PII action is {@code block} keep the
 *       call on models trusted with them;</li>
 *   <li>a call interceptor: admission (input size, tools, max_tokens clamp, logprobs/logit_bias stripping), input
 *       guardrails, the PII scan, and on the way back output guardrails;</li>
 *   <li>an attempt interceptor: redaction for the target model ({@code chain.target()}) and restore of pseudonyms
 *       in the answer, streamed or not, with provenance: only values the caller sent in its own user messages (plus
 *       sources opted in with {@link Builder#restoreFrom}), and in tool-call arguments only for tools allowed the
 *       value's data class ({@link Builder#toolDataClass}); placeholder look-alikes in the input are defused.</li>
 * </ol>
 * Every decision becomes a {@link dev.llmmesh.Verdict} on the response and a {@link GovernanceEvent} for the
 * {@link GovernanceAuditSink}s; denials throw {@link dev.llmmesh.PolicyDeniedException} with the policy id (or are
 * only recorded in {@link GovernanceMode#DRY_RUN}).
 *
 * <pre>{@code
 * GovernancePlugin governance = GovernancePlugin.builder().policy(policy).auditSink(auditLog::add).build();
 * Mesh mesh = Mesh.builder().addModel(external).addModel(internal).install(governance).build();
 * }</pre>
 *
 * <p>Thread-safe. Install one instance on one mesh. Install it before other call interceptors that should only see
 * admitted input. The policy can be replaced at run time ({@link #replacePolicy}); calls in flight keep the policy
 * they started with for redaction and re-check their models against it on every attempt.
 */
public final class GovernancePlugin implements MeshPlugin {
    private final GovernanceRuntime runtime;
    private volatile boolean installed;

    private GovernancePlugin(Builder b) {
        ExecutorService executor = b.executor;
        if (executor == null && (!b.inputs.isEmpty() || !b.outputs.isEmpty())) {
            executor = Executors.newCachedThreadPool(daemonThreads());
        }
        this.runtime = new GovernanceRuntime(b.policy, b.mode, b.scanner, b.redactor, b.sinks,
                new GuardrailRunner(b.inputs, b.outputs, executor), b.echoMinChars,
                new Provenance(b.restoreFrom, b.toolClasses, b.scanner.types()), b.injectionDetection,
                b.injectionDetection == InjectionDetection.KEYWORDS ? null
                        : b.injectionClassifier != null ? b.injectionClassifier : InjectionClassifier.builtIn());
    }

    /** A plugin with the built-in defaults and no overlays. */
    public static GovernancePlugin defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * @throws IllegalStateException if this plugin was already installed on a mesh
     */
    @Override
    public synchronized void install(MeshBuilder builder) {
        if (installed) {
            throw new IllegalStateException("this GovernancePlugin is already installed on a mesh; build one per mesh");
        }
        installed = true;
        runtime.bind(builder.clock(), builder.catalog());
        builder.addRouteFilter(new PolicyRouteFilter(runtime));
        builder.addCallInterceptor(new GovernanceCallInterceptor(runtime));
        builder.addAttemptInterceptor(new GovernanceAttemptInterceptor(runtime));
        builder.addToolCallGuard(new PolicyToolCallGuard(runtime));
    }

    /** The policy in force. */
    public GovernancePolicy policy() {
        return runtime.policy();
    }

    /** Replaces the policy for calls that start from now on (atomically; e.g. after reloading mesh.yaml). */
    public void replacePolicy(GovernancePolicy policy) {
        runtime.replacePolicy(Objects.requireNonNull(policy, "policy"));
    }

    /** The policy that applies to {@code team}, with {@link EffectivePolicy#explain()} saying where each value came from. */
    public EffectivePolicy effectivePolicy(String team) {
        return runtime.policy().effectivePolicy(team);
    }

    /** Enforce or dry-run. */
    public GovernanceMode mode() {
        return runtime.mode();
    }

    @Override
    public String toString() {
        return "GovernancePlugin{mode=" + runtime.mode() + ", policy=" + runtime.policy() + "}";
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "llm-mesh-guardrail-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Builds a {@link GovernancePlugin}. Every setter validates at once. Not thread-safe. */
    public static final class Builder {
        private GovernancePolicy policy = GovernancePolicy.permissive();
        private GovernanceMode mode = GovernanceMode.ENFORCE;
        private PiiScanner scanner = PiiScanner.defaults();
        private PiiRedactor redactor = PiiRedactor.withRandomHashKey();
        private final List<GovernanceAuditSink> sinks = new ArrayList<>();
        private final List<GuardrailRunner.Registered<InputGuardrail>> inputs = new ArrayList<>();
        private final List<GuardrailRunner.Registered<OutputGuardrail>> outputs = new ArrayList<>();
        private @Nullable ExecutorService executor;
        private int echoMinChars = 50;
        private final Set<PiiSource> restoreFrom = EnumSet.of(PiiSource.USER);
        private final Map<String, DataClass> toolClasses = new LinkedHashMap<>();
        private InjectionDetection injectionDetection = InjectionDetection.KEYWORDS;
        private @Nullable InjectionClassifier injectionClassifier;

        private Builder() {
        }

        /**
         * Sources besides the caller's own user messages whose pseudonymized values are put back in the answer
         * ({@code governance.pii.restoreFrom}). By default only values the caller sent in its user messages are
         * restored; a placeholder of a value found only in a system prompt, a tool result, a retrieved source or an
         * earlier assistant message stays a placeholder (and the refusal is audited), so a user cannot have the model
         * repeat it and the mesh fill it in. Replaces earlier calls.
         */
        public Builder restoreFrom(PiiSource... sources) {
            restoreFrom.clear();
            restoreFrom.add(PiiSource.USER);
            for (PiiSource s : sources) {
                restoreFrom.add(Objects.requireNonNull(s, "source"));
            }
            return this;
        }

        /**
         * The highest data class whose pseudonymized values the arguments of tool {@code tool} get back
         * ({@code governance.pii.tools.<tool>}; {@code "*"} for every tool not named). A tool not configured gets
         * none: its arguments keep the placeholders, so a tool that sends its arguments out (an HTTP tool to an
         * external host) never receives the real values. Only values restorable by source (see
         * {@link #restoreFrom}) qualify. Every refusal is audited.
         *
         * @throws IllegalArgumentException if the tool name is blank
         */
        public Builder toolDataClass(String tool, DataClass max) {
            Objects.requireNonNull(tool, "tool");
            if (tool.isBlank()) {
                throw new IllegalArgumentException("tool name must not be blank");
            }
            toolClasses.put(tool, Objects.requireNonNull(max, "max"));
            return this;
        }

        /** The policy; defaults to {@link GovernancePolicy#permissive()} (built-in defaults only). */
        public Builder policy(GovernancePolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Enforce (default) or dry-run. */
        public Builder mode(GovernanceMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** The PII scanner; defaults to {@link PiiScanner#defaults()} (every built-in type but person names). */
        public Builder scanner(PiiScanner scanner) {
            this.scanner = Objects.requireNonNull(scanner, "scanner");
            return this;
        }

        /** The redactor; defaults to one with a random hash key (hashes stable within this JVM only). */
        public Builder redactor(PiiRedactor redactor) {
            this.redactor = Objects.requireNonNull(redactor, "redactor");
            return this;
        }

        /** Adds an audit sink; every decision goes to every sink. */
        public Builder auditSink(GovernanceAuditSink sink) {
            sinks.add(Objects.requireNonNull(sink, "sink"));
            return this;
        }

        /**
         * Adds a custom input guardrail, run before routing with {@code timeout}; when it times out or throws,
         * {@code failMode} decides and the audit event says so.
         *
         * @throws IllegalArgumentException if the timeout is not positive or the action is {@code redact}
         */
        public Builder inputGuardrail(InputGuardrail guardrail, GuardrailAction action, Duration timeout,
                                      FailMode failMode) {
            check(action, timeout);
            inputs.add(new GuardrailRunner.Registered<>(guardrail, action, timeout, failMode));
            return this;
        }

        /**
         * Adds a custom output guardrail, run on the complete answer with {@code timeout}.
         *
         * @throws IllegalArgumentException if the timeout is not positive or the action is {@code redact}
         */
        public Builder outputGuardrail(OutputGuardrail guardrail, GuardrailAction action, Duration timeout,
                                       FailMode failMode) {
            check(action, timeout);
            outputs.add(new GuardrailRunner.Registered<>(guardrail, action, timeout, failMode));
            return this;
        }

        /** Runs custom guardrails on {@code executor} (default: a private daemon pool); never shut down by the plugin. */
        public Builder guardrailExecutor(ExecutorService executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * The shortest verbatim system-prompt run in an answer that counts as an echo (default 50).
         *
         * @throws IllegalArgumentException if {@code chars < 8}
         */
        public Builder systemPromptEchoMinChars(int chars) {
            if (chars < 8) {
                throw new IllegalArgumentException("systemPromptEchoMinChars must be >= 8, got " + chars);
            }
            this.echoMinChars = chars;
            return this;
        }

        /**
         * Which detector scores untrusted input for prompt injection (default {@link InjectionDetection#KEYWORDS}).
         * {@link InjectionDetection#CLASSIFIER} and {@link InjectionDetection#BOTH} load the classifier when the
         * plugin is built.
         */
        public Builder injectionDetection(InjectionDetection detection) {
            this.injectionDetection = Objects.requireNonNull(detection, "detection");
            return this;
        }

        /**
         * A classifier to use instead of the built-in model (one retrained on your own data, see
         * {@link InjectionClassifier#load}); selects {@link InjectionDetection#CLASSIFIER} unless
         * {@link InjectionDetection#BOTH} is already chosen.
         */
        public Builder injectionClassifier(InjectionClassifier classifier) {
            this.injectionClassifier = Objects.requireNonNull(classifier, "classifier");
            if (injectionDetection == InjectionDetection.KEYWORDS) {
                injectionDetection = InjectionDetection.CLASSIFIER;
            }
            return this;
        }

        public GovernancePlugin build() {
            return new GovernancePlugin(this);
        }

        private static void check(GuardrailAction action, Duration timeout) {
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("guardrail timeout must be positive, got " + timeout);
            }
            if (action == GuardrailAction.REDACT) {
                throw new IllegalArgumentException("custom guardrails cannot redact (they report, they do not "
                        + "rewrite); use warn or block");
            }
        }
    }
}
