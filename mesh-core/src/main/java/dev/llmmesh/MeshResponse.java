package dev.llmmesh;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmmesh.routing.RoutingDecision;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer to a call: langchain4j's {@link ChatResponse} plus what the mesh knows about how it was made.
 *
 * @param chatResponse the model's answer, as the provider gave it (after response-path interceptors)
 * @param requestId    the call's request id
 * @param modelId      the model that produced the answer; empty when an interceptor answered without a model
 * @param decision     the routing decision (of the last routing, if an interceptor re-asked); empty when no routing
 *                     happened
 * @param attempts     every attempt, in order, failed ones included
 * @param cost         the cost of the successful attempts, from the price table
 * @param latency      the call's duration, interceptors included
 * @param citations    the sources of a grounded answer
 * @param verdicts     the governance decisions taken on the call
 */
public record MeshResponse(ChatResponse chatResponse, String requestId, Optional<String> modelId,
                           Optional<RoutingDecision> decision, List<Attempt> attempts, Cost cost, Duration latency,
                           List<Citation> citations, List<Verdict> verdicts) {
    public MeshResponse {
        Objects.requireNonNull(chatResponse, "chatResponse");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(decision, "decision");
        attempts = List.copyOf(attempts);
        Objects.requireNonNull(cost, "cost");
        Objects.requireNonNull(latency, "latency");
        citations = List.copyOf(citations);
        verdicts = List.copyOf(verdicts);
    }

    /** The answer's text; empty string when the model answered only with tool calls. */
    public String text() {
        String t = chatResponse.aiMessage() == null ? null : chatResponse.aiMessage().text();
        return t == null ? "" : t;
    }

    /** How many attempts failed before the answer (0 when the primary answered). */
    public int failedAttempts() {
        return (int) attempts.stream().filter(a -> !a.succeeded()).count();
    }
}
