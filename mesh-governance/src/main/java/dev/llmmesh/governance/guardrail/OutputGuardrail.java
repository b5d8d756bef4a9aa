package dev.llmmesh.governance.guardrail;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmmesh.CallContext;

/**
 * A custom check on a complete answer (for streamed calls: once the stream has ended, before the caller's
 * completion callback). Register with {@link dev.llmmesh.governance.GovernancePlugin.Builder#outputGuardrail}.
 * Thread-safe; never puts the text in {@link GuardrailResult#detail()}.
 */
public interface OutputGuardrail {

    /** The policy id reported in verdicts and audit events. */
    String id();

    /** Checks {@code response} to {@code request}. */
    GuardrailResult check(ChatResponse response, ChatRequest request, CallContext context);
}
