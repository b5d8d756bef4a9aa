package dev.llmmesh.governance.guardrail;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.CallContext;

/**
 * A custom check on a request before it is routed (for example a remote moderation service). Register with
 * {@link dev.llmmesh.governance.GovernancePlugin.Builder#inputGuardrail}, with an action, a timeout and a fail mode.
 * Implementations must be thread-safe, treat the text as data, and never put it in {@link GuardrailResult#detail()}.
 */
public interface InputGuardrail {

    /** The policy id reported in verdicts and audit events, e.g. {@code guardrail/moderation}. */
    String id();

    /** Checks {@code request}; may block (the plugin enforces the timeout). */
    GuardrailResult check(ChatRequest request, CallContext context);
}
