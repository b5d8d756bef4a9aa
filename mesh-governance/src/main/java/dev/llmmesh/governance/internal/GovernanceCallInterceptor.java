package dev.llmmesh.governance.internal;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmmesh.CallContext;
import dev.llmmesh.DataClass;
import dev.llmmesh.Verdict;
import dev.llmmesh.catalog.Catalog;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.governance.GovernanceEvent.Stage;
import dev.llmmesh.governance.InputTooLargeException;
import dev.llmmesh.governance.guardrail.FailMode;
import dev.llmmesh.governance.guardrail.GuardrailAction;
import dev.llmmesh.governance.guardrail.GuardrailResult;
import dev.llmmesh.governance.guardrail.InjectionDetection;
import dev.llmmesh.governance.guardrail.InputGuardrail;
import dev.llmmesh.governance.guardrail.JsonSchemaValidator;
import dev.llmmesh.governance.guardrail.OutputGuardrail;
import dev.llmmesh.governance.guardrail.PromptInjectionDetector;
import dev.llmmesh.governance.guardrail.SystemPromptEchoDetector;
import dev.llmmesh.governance.pii.EntityType;
import dev.llmmesh.governance.pii.PiiAction;
import dev.llmmesh.governance.pii.PiiSpan;
import dev.llmmesh.governance.policy.Denial;
import dev.llmmesh.governance.policy.EffectivePolicy;
import dev.llmmesh.governance.policy.PolicySetting;
import dev.llmmesh.governance.policy.RuleSource;
import dev.llmmesh.intercept.Interceptor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Governance once per logical call. On the way in: admission (input size, tool allow-list, max_tokens clamp,
 * logprobs/logit_bias stripping), input guardrails (deny lists, prompt injection, custom), and a PII scan whose
 * results the attempt interceptor and route filter use (values whose action is {@code block} restrict routing to
 * trusted models). On the way out: tool calls against the allow-list, PII leakage, JSON-schema validity,
 * system-prompt echo and custom output guardrails; for streamed calls a sliding-window transformer masks leaked PII
 * before it reaches the caller. User text is only ever scanned as data.
 */
public final class GovernanceCallInterceptor implements Interceptor {
    private static final PromptInjectionDetector INJECTION = new PromptInjectionDetector();
    private static final JsonSchemaValidator JSON = new JsonSchemaValidator();

    private static final String DENY_LIST = "denyList";

    private final GovernanceRuntime runtime;

    public GovernanceCallInterceptor(GovernanceRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public String name() {
        return "governance";
    }

    @Override
    public ChatResponse intercept(Chain chain) {
        CallState st = runtime.open(chain.call(), chain.context());
        try {
            CallContext ctx = chain.context().toBuilder().attribute(GovernanceRuntime.CALL_ATTRIBUTE, st.token)
                    .build();
            Chain next = chain.withContext(ctx);
            ChatRequest request = admit(st, chain.request());
            request = inputGuardrails(st, request, ctx);
            scanPii(st, request, ctx);
            SystemPromptEchoDetector echo = runtime.echoDetector(systemPrompts(chain.request()));
            if (chain.streaming()) {
                GuardrailAction leak = st.policy.action(PolicySetting.PII_LEAK_ACTION);
                next = next.withStreamTransformer(new OutputStreamGuard(runtime.scanner(), st,
                        leak != GuardrailAction.WARN, echo));
            }
            ChatResponse response = next.proceed(request);
            return outputGuardrails(st, request, response, ctx, echo);
        } finally {
            runtime.close(st);
        }
    }

    // ------------------------------------------------------------------ admission

    private ChatRequest admit(CallState st, ChatRequest request) {
        EffectivePolicy p = st.policy;
        Optional<Integer> max = p.maxInputChars();
        if (max.isPresent()) {
            int chars = Messages.inputChars(request);
            if (chars > max.get()) {
                String id = p.policyId(PolicySetting.MAX_INPUT_CHARS);
                runtime.deny(st, id, Stage.ADMISSION, "input of " + chars + " characters exceeds the limit of "
                        + max.get(), Optional.empty(), () -> new InputTooLargeException(id, chars, max.get()));
            }
        }
        List<ToolSpecification> tools = request.toolSpecifications();
        if (tools != null) {
            for (ToolSpecification t : tools) {
                Optional<Denial> d = p.checkTool(t.name());
                if (d.isPresent()) {
                    runtime.deny(st, d.get().policyId(), Stage.ADMISSION, d.get().reason(), Optional.empty(),
                            GovernanceRuntime.denied(d.get().policyId(), d.get().reason(), Optional.empty()));
                }
            }
        }
        ChatRequestParameters params = request.parameters();
        ChatRequestParameters changed = params;
        Optional<Integer> clamp = p.maxOutputTokens();
        Integer asked = params.maxOutputTokens();
        // an explicit value above the clamp is lowered here; an absent one is set per attempt (to the clamp or the
        // target model's own maximum, whichever is lower), so routing still sees every model
        if (clamp.isPresent() && asked != null && asked > clamp.get()) {
            changed = changed.overrideWith(ChatRequestParameters.builder().maxOutputTokens(clamp.get()).build());
            runtime.record(st, p.policyId(PolicySetting.MAX_OUTPUT_TOKENS), Verdict.Decision.MODIFY, Stage.ADMISSION,
                    "max_tokens " + asked + " clamped to " + clamp.get(), Optional.empty(), true);
        }
        Optional<ParameterStripper.Result> stripped = ParameterStripper.strip(changed, p.allowLogprobs(),
                p.allowLogitBias());
        if (stripped.isPresent()) {
            ParameterStripper.Result r = stripped.get();
            changed = r.parameters();
            boolean logit = r.stripped().stream().anyMatch(s -> s.toLowerCase(Locale.ROOT).contains("logit"));
            String id = p.policyId(logit ? PolicySetting.ALLOW_LOGIT_BIAS : PolicySetting.ALLOW_LOGPROBS);
            runtime.record(st, id, Verdict.Decision.MODIFY, Stage.ADMISSION, "stripped " + r.stripped()
                    + (r.portableFallback() ? " (provider-specific parameters dropped: only portable ones kept)" : ""),
                    Optional.empty(), true);
        }
        if (changed == params) {
            return request;
        }
        return ChatRequest.builder().messages(request.messages()).parameters(changed).build();
    }

    // ------------------------------------------------------------------ input guardrails

    private ChatRequest inputGuardrails(CallState st, ChatRequest request, CallContext ctx) {
        EffectivePolicy p = st.policy;
        ChatRequest out = request;
        List<Map.Entry<Pattern, RuleSource>> denyList = denyList(p);
        if (!denyList.isEmpty()) {
            GuardrailAction action = p.action(PolicySetting.DENY_LIST_ACTION);
            int hits = 0;
            String denyId = null;
            for (Messages.Text t : Messages.texts(request)) {
                if (untrusted(t.role())) {
                    for (Map.Entry<Pattern, RuleSource> e : denyList) {
                        Matcher m = e.getKey().matcher(t.text());
                        while (m.find()) {
                            hits++;
                            if (denyId == null) {
                                denyId = e.getValue().policyId();
                            }
                        }
                    }
                }
            }
            if (hits > 0) {
                String detail = hits + " deny-list match(es) in the input";
                String id = denyId;
                if (action == GuardrailAction.BLOCK) {
                    runtime.deny(st, id, Stage.INPUT_GUARDRAIL, detail, Optional.empty(),
                            GovernanceRuntime.denied(id, detail, Optional.empty()));
                } else if (action == GuardrailAction.REDACT) {
                    out = Messages.mapTexts(out, s -> {
                        String r = s;
                        for (Map.Entry<Pattern, RuleSource> e : denyList) {
                            r = e.getKey().matcher(r).replaceAll("<DENIED>");
                        }
                        return r;
                    });
                    runtime.record(st, id, Verdict.Decision.REDACT, Stage.INPUT_GUARDRAIL, detail,
                            Optional.empty(), true);
                } else {
                    runtime.record(st, id, Verdict.Decision.FLAG, Stage.INPUT_GUARDRAIL, detail, Optional.empty(),
                            true);
                }
            }
        }
        double worst = 0;
        List<String> signals = new ArrayList<>();
        for (Messages.Text t : Messages.texts(out)) {
            if (untrusted(t.role())) {
                PromptInjectionDetector.Assessment a = assessInjection(t.text());
                if (a.score() > worst) {
                    worst = a.score();
                    signals = a.signals();
                }
            }
        }
        double threshold = p.injectionThreshold();
        if (worst >= threshold) {
            GuardrailAction action = p.action(PolicySetting.INJECTION_ACTION);
            String id = p.policyId(PolicySetting.INJECTION_ACTION);
            String detail = String.format(Locale.ROOT, "prompt-injection score %.2f >= threshold %.2f %s", worst,
                    threshold, signals);
            if (action == GuardrailAction.BLOCK) {
                runtime.deny(st, id, Stage.INPUT_GUARDRAIL, detail, Optional.empty(),
                        GovernanceRuntime.denied(id, detail, Optional.empty()));
            } else {
                runtime.record(st, id, Verdict.Decision.FLAG, Stage.INPUT_GUARDRAIL, detail, Optional.empty(), true);
            }
        }
        for (GuardrailRunner.Registered<InputGuardrail> g : runtime.guardrails().inputs()) {
            ChatRequest checked = out;
            GuardrailRunner.Outcome o = runtime.guardrails().run(() -> g.guardrail().check(checked, ctx),
                    g.timeout());
            apply(st, g.guardrail().id(), g.action(), g.failMode(), o, Stage.INPUT_GUARDRAIL);
        }
        return out;
    }

    private PromptInjectionDetector.Assessment assessInjection(String text) {
        InjectionDetection detection = runtime.injectionDetection();
        if (detection == InjectionDetection.KEYWORDS) {
            return INJECTION.assess(text);
        }
        PromptInjectionDetector.Assessment c = runtime.injectionClassifier().assess(text);
        if (detection == InjectionDetection.CLASSIFIER) {
            return c;
        }
        PromptInjectionDetector.Assessment k = INJECTION.assess(text);
        List<String> signals = new ArrayList<>(k.signals());
        signals.addAll(c.signals());
        return new PromptInjectionDetector.Assessment(Math.max(k.score(), c.score()), signals);
    }

    private void apply(CallState st, String id, GuardrailAction action, FailMode mode,
                       GuardrailRunner.Outcome o, Stage stage) {
        if (o.failure() != null) {
            String detail = "guardrail " + o.failure() + "; fail-" + mode.name().toLowerCase(Locale.ROOT);
            if (mode == FailMode.CLOSED) {
                runtime.deny(st, id, stage, detail, Optional.empty(),
                        GovernanceRuntime.denied(id, detail, Optional.empty()));
            } else {
                runtime.record(st, id, Verdict.Decision.FLAG, stage, detail, Optional.empty(), true);
            }
            return;
        }
        GuardrailResult r = o.result();
        if (r == null || !r.fired()) {
            return;
        }
        String detail = String.format(Locale.ROOT, "%s (score %.2f)", r.detail(), r.score());
        if (action == GuardrailAction.BLOCK) {
            runtime.deny(st, id, stage, detail, Optional.empty(), GovernanceRuntime.denied(id, detail,
                    Optional.empty()));
        } else {
            runtime.record(st, id, Verdict.Decision.FLAG, stage, detail, Optional.empty(), true);
        }
    }

    private static boolean untrusted(Messages.Role role) {
        return role == Messages.Role.USER || role == Messages.Role.TOOL_RESULT;
    }

    /** The compiled deny list of a policy: computed once per effective policy, not per call. */
    private List<Map.Entry<Pattern, RuleSource>> denyList(EffectivePolicy p) {
        return runtime.perPolicy(p, DENY_LIST, policy -> {
            List<Map.Entry<Pattern, RuleSource>> out = new ArrayList<>();
            policy.denyKeywordSources().forEach((k, src) -> out.add(Map.entry(runtime.pattern(
                    "(?<![\\p{L}\\p{N}])" + Pattern.quote(k) + "(?![\\p{L}\\p{N}])"), src)));
            policy.denyPatternSources().forEach((x, src) -> out.add(Map.entry(runtime.pattern(x), src)));
            return List.copyOf(out);
        });
    }

    // ------------------------------------------------------------------ PII

    private void scanPii(CallState st, ChatRequest request, CallContext ctx) {
        EffectivePolicy p = st.policy;
        DataClass need = null;
        EntityType needType = null;
        for (Messages.Text t : Messages.texts(request)) {
            List<PiiSpan> spans = st.spans(t.text(), runtime.scanner());
            st.rememberInput(t.text(), spans);
            for (PiiSpan s : spans) {
                if (p.piiAction(s.type()) == PiiAction.BLOCK
                        && (need == null || s.type().sensitivity().ordinal() > need.ordinal())) {
                    need = s.type().sensitivity();
                    needType = s.type();
                }
            }
        }
        if (need == null) {
            return;
        }
        String id = p.piiSource(needType).policyId();
        if (!runtime.enforcing()) {
            runtime.record(st, id, Verdict.Decision.FLAG, Stage.PII, "dry-run: would deny: " + needType.configName()
                    + " may only go to models trusted with " + need.name().toLowerCase(Locale.ROOT)
                    + " data; it is masked instead", Optional.empty(), false);
            return;
        }
        st.blockedType = needType;
        st.blockedMinClass = need;
        Optional<Catalog> catalog = runtime.catalog();
        if (catalog.isPresent()) {
            boolean anyTrusted = false;
            for (ModelDescriptor m : catalog.get().all(ModelDescriptor.class)) {
                if (m.lifecycle().state().usable() && PolicyRouteFilter.check(p, m, ctx, st).isEmpty()) {
                    anyTrusted = true;
                    break;
                }
            }
            if (!anyTrusted) {
                String detail = "the input holds " + needType.configName() + ", which policy blocks for models not "
                        + "trusted with " + need.name().toLowerCase(Locale.ROOT) + " data, and no such model may be "
                        + "used";
                runtime.deny(st, id, Stage.PII, detail, Optional.empty(),
                        GovernanceRuntime.denied(id, detail, Optional.empty()));
            }
        }
    }

    private static List<String> systemPrompts(ChatRequest request) {
        List<String> out = null;
        for (Messages.Text t : Messages.texts(request)) {
            if (t.role() == Messages.Role.SYSTEM) {
                if (out == null) {
                    out = new ArrayList<>(1);
                }
                out.add(t.text());
            }
        }
        return out == null ? List.of() : out;
    }

    // ------------------------------------------------------------------ output

    private ChatResponse outputGuardrails(CallState st, ChatRequest request, ChatResponse response, CallContext ctx,
                                          SystemPromptEchoDetector echo) {
        EffectivePolicy p = st.policy;
        ChatResponse out = response;
        Optional<String> model = Optional.ofNullable(response.modelName());
        // tool calls the model asks for
        if (out.aiMessage() != null && out.aiMessage().hasToolExecutionRequests()) {
            for (ToolExecutionRequest r : out.aiMessage().toolExecutionRequests()) {
                Optional<Denial> d = p.checkTool(r.name());
                if (d.isPresent()) {
                    runtime.deny(st, d.get().policyId(), Stage.OUTPUT_GUARDRAIL, "model called " + d.get().reason(),
                            model, GovernanceRuntime.denied(d.get().policyId(), d.get().reason(), model));
                }
            }
        }
        String text = Messages.text(out);
        // PII leakage: values in the answer that were not in the input
        List<PiiSpan> leaks = new ArrayList<>();
        for (PiiSpan s : runtime.scanner().scan(text)) {
            if (!st.fromInput(text.substring(s.start(), s.end()))) {
                leaks.add(s);
            }
        }
        if (!leaks.isEmpty()) {
            GuardrailAction action = p.action(PolicySetting.PII_LEAK_ACTION);
            String id = p.policyId(PolicySetting.PII_LEAK_ACTION);
            String detail = "answer holds PII not in the input: " + countByType(leaks);
            if (action == GuardrailAction.BLOCK) {
                runtime.deny(st, id, Stage.OUTPUT_GUARDRAIL, detail, model,
                        GovernanceRuntime.denied(id, detail, model));
            }
            if (action != GuardrailAction.WARN) {
                String masked = mask(text, leaks);
                out = Messages.mapResponse(out, x -> x.equals(text) ? masked : x, x -> x);
                runtime.record(st, id, Verdict.Decision.REDACT, Stage.OUTPUT_GUARDRAIL, detail, model, true);
            } else {
                runtime.record(st, id, Verdict.Decision.FLAG, Stage.OUTPUT_GUARDRAIL, detail, model, true);
            }
        }
        // JSON schema
        ResponseFormat format = request.responseFormat();
        if (format != null && format.type() == ResponseFormatType.JSON && !(out.aiMessage() != null
                && out.aiMessage().hasToolExecutionRequests() && text.isEmpty())) {
            List<String> problems = format.jsonSchema() != null ? JSON.validate(text, format.jsonSchema())
                    : JSON.validateSyntax(text).map(List::of).orElse(List.of());
            if (!problems.isEmpty()) {
                GuardrailAction action = p.action(PolicySetting.JSON_SCHEMA_ACTION);
                String id = p.policyId(PolicySetting.JSON_SCHEMA_ACTION);
                String detail = "answer does not match the requested JSON schema: " + problems;
                if (action == GuardrailAction.BLOCK) {
                    runtime.deny(st, id, Stage.OUTPUT_GUARDRAIL, detail, model,
                            GovernanceRuntime.denied(id, detail, model));
                } else {
                    runtime.record(st, id, Verdict.Decision.FLAG, Stage.OUTPUT_GUARDRAIL, detail, model, true);
                }
            }
        }
        // system-prompt echo
        if (echo.active() && (st.echoSeenInStream || echo.echoedIn(Messages.text(out)))) {
            GuardrailAction action = p.action(PolicySetting.SYSTEM_PROMPT_ECHO_ACTION);
            String id = p.policyId(PolicySetting.SYSTEM_PROMPT_ECHO_ACTION);
            String detail = "answer repeats " + echo.minChars() + "+ characters of a system prompt verbatim";
            if (action == GuardrailAction.BLOCK) {
                runtime.deny(st, id, Stage.OUTPUT_GUARDRAIL, detail, model,
                        GovernanceRuntime.denied(id, detail, model));
            } else {
                runtime.record(st, id, Verdict.Decision.FLAG, Stage.OUTPUT_GUARDRAIL, detail, model, true);
            }
        }
        for (GuardrailRunner.Registered<OutputGuardrail> g : runtime.guardrails().outputs()) {
            ChatResponse checked = out;
            GuardrailRunner.Outcome o = runtime.guardrails().run(() -> g.guardrail().check(checked, request, ctx),
                    g.timeout());
            apply(st, g.guardrail().id(), g.action(), g.failMode(), o, Stage.OUTPUT_GUARDRAIL);
        }
        return out;
    }

    static String mask(String text, List<PiiSpan> spans) {
        StringBuilder b = new StringBuilder(text.length());
        int copied = 0;
        for (PiiSpan s : spans) {
            b.append(text, copied, s.start()).append('<').append(s.type().name()).append('>');
            copied = s.end();
        }
        return b.append(text, copied, text.length()).toString();
    }

    static String countByType(List<PiiSpan> spans) {
        Map<String, Integer> n = new LinkedHashMap<>();
        spans.forEach(s -> n.merge(s.type().name(), 1, Integer::sum));
        return n.entrySet().stream().map(e -> e.getKey() + " x" + e.getValue()).collect(Collectors.joining(", "));
    }
}
