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

/**
 * Per-model PII trust, once per attempt: the target model's data-class ceiling (its own, lowered by policy) decides
 * which detected values it may see raw; the others are masked, hashed or pseudonymized as policy says, so the same
 * call can go redacted to an external model and raw to a trusted internal one. Pseudonyms are restored in the
 * answer (text and tool-call arguments), and in streamed text by a transformer that handles placeholders split
 * across chunks. Calls {@code proceed} exactly once.
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
        ChatRequest redacted;
        redacted = Messages.mapTexts(chain.request(), text -> {
            List<PiiSpan> spans = st.spans(text, runtime.scanner());
            if (spans.isEmpty()) {
                return text;
            }
            RedactedText r = runtime.redactor().redact(text, spans, s -> action(st, p, s, ceiling, model), st.vault);
            changes.addAll(r.changes());
            return r.text();
        });
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
        if (restore && chain.streaming()) {
            next = chain.withStreamTransformer(st.vault.restoringTransformer());
        }
        ChatResponse response = next.proceed(redacted);
        if (!restore) {
            return response;
        }
        return Messages.mapResponse(response, st.vault::restore, st.vault::restoreInJson);
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
