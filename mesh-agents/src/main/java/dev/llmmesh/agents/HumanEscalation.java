package dev.llmmesh.agents;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * How a run asks a human. An agent that lists {@link #TOOL_NAME} among its tools gets an {@code ask_human(question)}
 * tool; calling it pauses the run ({@link RunStatus#PAUSED}) until the returned stage completes, then resumes the
 * agent with the answer as the tool result. The run waits at most the runtime's escalation timeout; a stage that
 * fails or times out is reported to the agent as "no answer".
 *
 * <p>{@link HumanInbox} is a ready implementation that queues questions for an operator (a UI, a chat, a ticket
 * system) to answer by id. Implementations must be thread-safe and must not block: return a stage and complete it
 * when the person answers.
 */
@FunctionalInterface
public interface HumanEscalation {
    /** The name of the built-in tool agents call to ask a human. */
    String TOOL_NAME = "ask_human";

    /** Forwards {@code request} to a person; the stage completes with the answer. */
    CompletionStage<String> escalate(EscalationRequest request);

    /** An escalation answered at once by {@code answer} (a console prompt, a rule, a test). */
    static HumanEscalation answering(Function<EscalationRequest, String> answer) {
        Objects.requireNonNull(answer, "answer");
        return request -> {
            try {
                return CompletableFuture.completedFuture(Objects.requireNonNull(answer.apply(request), "answer"));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        };
    }
}
