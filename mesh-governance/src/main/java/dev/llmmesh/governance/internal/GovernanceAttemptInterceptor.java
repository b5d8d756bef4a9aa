package dev.llmmesh.governance.internal;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmmesh.DataClass;
import dev.llmmesh.PolicyDeniedException;
import dev.llmmesh.Verdict;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.governance.GovernanceEvent.Stage;
import dev.llmmesh.governance.pii.EntityType;
import dev.llmmesh.governance.pii.PiiAction;
import dev.llmmesh.governance.pii.PiiSpan;
import dev.llmmesh.governance.pii.PiiVault;
import dev.llmmesh.governance.pii.RedactedText;
import dev.llmmesh.governance.policy.EffectivePolicy;
import dev.llmmesh.governance.policy.PolicySetting;
import dev.llmmesh.intercept.Interceptor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Per-model PII trust, once per attempt: the target model's data-class ceiling (its own, lowered by policy) decides
 * which detected values it may see raw; the others are masked, hashed or pseudonymized as policy says, so the same
 * call can go redacted to an external model and raw to a trusted internal one. Placeholder look-alikes in the input
 * are neutralised first. Pseudonyms are restored in the answer (text and tool-call arguments), and in streamed text
 * by a transformer that handles placeholders split across chunks, only where {@link Provenance} allows: values the
 * caller sent in its own user messages (or opted-in sources), and in tool arguments only for tools allowed the
 * value's data class; every refusal is recorded. Calls {@code proceed} exactly once.
 */
public final class GovernanceAttemptInterceptor implements Interceptor {
    private final GovernanceRuntime runtime;

    public GovernanceAttemptInterceptor(GovernanceRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public String name() {
        return "governance-pii";
    }

    @Override
    public ChatResponse intercept(Chain chain) {
        CallState st = runtime.state(chain.context());
        ModelDescriptor model = chain.target().orElseThrow(() -> new IllegalStateException(
                "governance-pii must be registered as an attempt interceptor"));
        if (st == null) {
            // not a governed call (the call interceptor is missing): nothing was scanned, so nothing can be trusted
            throw new PolicyDeniedException("governance/setup", "governance attempt interceptor ran without its call "
                    + "interceptor; install GovernancePlugin rather than its parts", model.id());
        }
        st.attempts.incrementAndGet();
        EffectivePolicy p = st.policy;
        DataClass ceiling = p.ceilingFor(model);
        List<RedactedText.Change> changes = new ArrayList<>();
        Optional<String> modelId = Optional.of(model.id());
        Provenance prov = runtime.provenance();
        int[] lookAlikes = {0};
        ChatRequest redacted = Messages.mapTexts(chain.request(), (role, original) -> {
            String text = prov.neutralize(original, lookAlikes);
            List<PiiSpan> spans = st.spans(text, runtime.scanner());
            if (spans.isEmpty()) {
                return text;
            }
            RedactedText r = runtime.redactor().redact(text, spans, s -> action(st, p, s, ceiling, model), st.vault,
                    s -> Provenance.sourceOf(role, text, s));
            changes.addAll(r.changes());
            return r.text();
        });
        if (lookAlikes[0] > 0) {
            runtime.record(st, Provenance.RESTORE_POLICY, Verdict.Decision.MODIFY, Stage.PII, lookAlikes[0]
                    + " placeholder look-alike(s) in the input neutralised (never restored)", modelId, true);
        }
        if (!changes.isEmpty()) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            Map<String, String> ids = new LinkedHashMap<>();
            for (RedactedText.Change c : changes) {
                String key = c.type().name() + " " + c.action().configName();
                counts.merge(key, 1, Integer::sum);
                ids.putIfAbsent(key, p.piiSource(c.type()).policyId());
            }
            counts.forEach((k, n) -> runtime.record(st, ids.get(k), Verdict.Decision.REDACT, Stage.PII,
                    k.replace(" ", " x" + n + " ") + " for model " + model.id() + " (trusted up to "
                            + ceiling.name().toLowerCase(Locale.ROOT) + ")", modelId, true));
        }
        Optional<Integer> clamp = p.maxOutputTokens();
        if (clamp.isPresent() && redacted.maxOutputTokens() == null) {
            int max = Math.min(clamp.get(), model.maxOutputTokens());
            redacted = ChatRequest.builder().messages(redacted.messages()).parameters(redacted.parameters()
                    .overrideWith(ChatRequestParameters.builder().maxOutputTokens(max).build())).build();
            runtime.record(st, p.policyId(PolicySetting.MAX_OUTPUT_TOKENS), Verdict.Decision.MODIFY, Stage.ADMISSION,
                    "max_tokens unset, set to " + max + " for model " + model.id(), modelId, true);
        }
        Chain next = chain;
        boolean restore = st.vault.size() > 0;
        Consumer<PiiVault.Entry> refusedInText = e -> runtime.record(st, Provenance.RESTORE_POLICY,
                Verdict.Decision.REDACT, Stage.PII, e.type().name() + " not restored in the answer: "
                        + prov.sourceRefusal(e), modelId, true);
        if (restore && chain.streaming()) {
            next = chain.withStreamTransformer(st.vault.restoringTransformer(prov::restorable, refusedInText));
        }
        ChatResponse response = next.proceed(redacted);
        if (!restore) {
            return response;
        }
        return Messages.mapResponse(response, text -> st.vault.restore(text, prov::restorable, refusedInText),
                (tool, args) -> st.vault.restoreInJson(args, e -> prov.toolRefusal(tool, e).isEmpty(),
                        e -> runtime.record(st, Provenance.TOOLS_POLICY, Verdict.Decision.REDACT, Stage.PII,
                                e.type().name() + " not restored in the arguments of tool " + tool + ": "
                                        + prov.toolRefusal(tool, e).orElse(""), modelId, true)));
    }

    private PiiAction action(CallState st, EffectivePolicy p, PiiSpan s, DataClass ceiling, ModelDescriptor model) {
        EntityType t = s.type();
        if (ceiling.admits(t.sensitivity())) {
            return PiiAction.NONE;
        }
        PiiAction a = p.piiAction(t);
        if (a != PiiAction.BLOCK) {
            return a;
        }
        if (!runtime.enforcing()) {
            return PiiAction.MASK;
        }
        // the route filter keeps blocked values away from untrusted models; this is the last line of defence
        String id = p.piiSource(t).policyId();
        String detail = t.configName() + " is blocked for model " + model.id() + " (trusted up to "
                + ceiling.name().toLowerCase(Locale.ROOT) + ")";
        runtime.deny(st, id, Stage.PII, detail, Optional.of(model.id()),
                GovernanceRuntime.denied(id, detail, Optional.of(model.id())));
        return PiiAction.MASK;
    }
}
