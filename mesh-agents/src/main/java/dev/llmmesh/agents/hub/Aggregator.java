package dev.llmmesh.agents.hub;

import dev.llmmesh.agents.AgentRun;
import dev.llmmesh.agents.AgentSpec;
import java.util.List;
import java.util.Objects;

/** Combines the subtasks' answers into the hub's answer. Implementations must be thread-safe. */
@FunctionalInterface
public interface Aggregator {

    /** The combined answer to {@code request}. */
    String aggregate(String request, List<SubtaskOutcome> outcomes, AgentRun run);

    /** The answers one after the other, each headed by its subtask and agent (no model call). */
    static Aggregator concatenate() {
        return (request, outcomes, run) -> {
            StringBuilder sb = new StringBuilder();
            for (SubtaskOutcome o : outcomes) {
                if (sb.length() > 0) {
                    sb.append("\n\n");
                }
                sb.append('[').append(o.subtask().id()).append(' ').append(o.agentId().orElse("human")).append("] ")
                        .append(o.hasAnswer() ? o.answer() : "(no answer: " + o.state().name().toLowerCase(
                                java.util.Locale.ROOT) + ")");
            }
            return sb.toString();
        };
    }

    /** {@code writer} writes one reply from the specialists' answers. */
    static Aggregator llm(AgentSpec writer) {
        Objects.requireNonNull(writer, "writer");
        return (request, outcomes, run) -> {
            String parts = concatenate().aggregate(request, outcomes, run);
            return run.ask(writer, "Request:\n" + request + "\n\nAnswers from the specialists:\n" + parts
                    + "\n\nWrite one reply to the request from these answers.").text();
        };
    }
}
