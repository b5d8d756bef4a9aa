package dev.llmmesh.agents;

import dev.llmmesh.Cost;
import dev.llmmesh.agents.tool.ToolCallRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a {@link RunTrace}. Every entry has a sequence number (1, 2, … in the order things happened) and a
 * time by the runtime's clock.
 */
public sealed interface TraceStep {

    /** Position in the run, from 1. */
    int seq();

    /** When it happened. */
    Instant at();

    /** The JSON {@code type} of this entry: {@code model}, {@code tool}, {@code allocation}, … */
    String type();

    /**
     * A model call: one agent step through the mesh.
     *
     * @param agentId      the agent
     * @param purpose      {@code agent} for the tool loop, or the structured step's purpose ({@code triage}, …)
     * @param requestId    the mesh request id; empty when the call failed before getting one back
     * @param model        the model that answered; empty when the call failed
     * @param inputTokens  input tokens billed
     * @param outputTokens output tokens billed
     * @param cost         the call's cost ({@link Cost#ZERO} when it failed)
     * @param latency      the call's duration
     * @param routing      the routing decision summary and attempts
     * @param toolRequests the tools the model asked for in its answer
     * @param error        the error code and message when the call failed
     */
    record ModelStep(int seq, Instant at, String agentId, String purpose, Optional<String> requestId,
                     Optional<String> model, long inputTokens, long outputTokens, Cost cost, Duration latency,
                     RoutingSummary routing, List<String> toolRequests, Optional<String> error) implements TraceStep {
        public ModelStep {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(agentId, "agentId");
            Objects.requireNonNull(purpose, "purpose");
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(cost, "cost");
            Objects.requireNonNull(latency, "latency");
            Objects.requireNonNull(routing, "routing");
            toolRequests = List.copyOf(toolRequests);
            Objects.requireNonNull(error, "error");
        }

        @Override
        public String type() {
            return "model";
        }
    }

    /**
     * A tool call, executed or denied.
     *
     * @param agentId   who asked
     * @param tool      the tool name
     * @param callId    the model's call id
     * @param arguments the arguments (cut to 500 characters)
     * @param outcome   ok, error or denied
     * @param result    what the model saw (cut to 500 characters)
     * @param deniedBy  the rule or policy id that denied it
     * @param latency   how long the tool ran
     */
    record ToolStep(int seq, Instant at, String agentId, String tool, String callId, String arguments,
                    ToolCallRecord.Outcome outcome, String result, Optional<String> deniedBy, Duration latency)
            implements TraceStep {
        public ToolStep {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(agentId, "agentId");
            Objects.requireNonNull(tool, "tool");
            Objects.requireNonNull(callId, "callId");
            Objects.requireNonNull(arguments, "arguments");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(result, "result");
            Objects.requireNonNull(deniedBy, "deniedBy");
            Objects.requireNonNull(latency, "latency");
        }

        @Override
        public String type() {
            return "tool";
        }
    }

    /**
     * A star-hub allocation of one subtask.
     *
     * @param subtask    the subtask id
     * @param skills     the skills it needs
     * @param chosen     the agent chosen; empty when none could take it
     * @param tieBreak   {@code none}, {@code llm} or {@code lowest-id}
     * @param candidates each candidate with its match and score, best first, then the rejected ones with why
     */
    record AllocationStep(int seq, Instant at, String subtask, List<String> skills, Optional<String> chosen,
                          String tieBreak, List<String> candidates) implements TraceStep {
        public AllocationStep {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(subtask, "subtask");
            skills = List.copyOf(skills);
            Objects.requireNonNull(chosen, "chosen");
            Objects.requireNonNull(tieBreak, "tieBreak");
            candidates = List.copyOf(candidates);
        }

        @Override
        public String type() {
            return "allocation";
        }
    }

    /**
     * A plan, first or revised.
     *
     * @param revision 0 for the first plan, then 1, 2, … per replan
     * @param reason   why this plan was made
     * @param steps    each step as {@code id kind target}
     */
    record PlanRevision(int seq, Instant at, int revision, String reason, List<String> steps) implements TraceStep {
        public PlanRevision {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(reason, "reason");
            steps = List.copyOf(steps);
        }

        @Override
        public String type() {
            return "plan";
        }
    }

    /**
     * A question to a human: the run paused at {@code at} and resumed at {@code resumedAt}.
     *
     * @param id        the question id
     * @param agentId   who asked
     * @param question  the question
     * @param answer    the answer; empty if none came
     * @param outcome   {@code answered}, {@code timed_out}, {@code declined} or {@code interrupted}
     * @param resumedAt when the run resumed
     */
    record EscalationStep(int seq, Instant at, String id, String agentId, String question, Optional<String> answer,
                          String outcome, Instant resumedAt) implements TraceStep {
        public EscalationStep {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(agentId, "agentId");
            Objects.requireNonNull(question, "question");
            Objects.requireNonNull(answer, "answer");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(resumedAt, "resumedAt");
        }

        @Override
        public String type() {
            return "escalation";
        }
    }

    /**
     * A post to a collaboration's blackboard.
     *
     * @param round   the round, from 1
     * @param agentId the author
     * @param text    the post (cut to 500 characters)
     */
    record PostStep(int seq, Instant at, int round, String agentId, String text) implements TraceStep {
        public PostStep {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(agentId, "agentId");
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String type() {
            return "post";
        }
    }

    /** A remark of the orchestrator (why it stopped, replanned, fell back). */
    record NoteStep(int seq, Instant at, String text) implements TraceStep {
        public NoteStep {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String type() {
            return "note";
        }
    }
}
