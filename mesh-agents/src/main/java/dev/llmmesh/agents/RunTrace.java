package dev.llmmesh.agents;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmmesh.Cost;
import dev.llmmesh.agents.internal.Json;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * Everything a run did, in order: model calls (with model, tokens, cost, routing and attempts), tool calls,
 * allocations, plans, escalations, posts and notes, and how the run ended. Exportable as JSON ({@link #toJson()})
 * and as a compact text listing ({@link #toText()}). Append-only and thread-safe; readers get snapshots.
 */
public final class RunTrace {
    private final String runId;
    private final String pattern;
    private final Instant startedAt;
    private final List<TraceStep> steps = new ArrayList<>();
    private RunStatus status = RunStatus.RUNNING;
    private Optional<Instant> endedAt = Optional.empty();
    private Optional<String> outcome = Optional.empty();

    RunTrace(String runId, String pattern, Instant startedAt) {
        this.runId = Objects.requireNonNull(runId, "runId");
        this.pattern = Objects.requireNonNull(pattern, "pattern");
        this.startedAt = Objects.requireNonNull(startedAt, "startedAt");
    }

    public String runId() {
        return runId;
    }

    public String pattern() {
        return pattern;
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** The run's status now (the final one once it ended). */
    public synchronized RunStatus status() {
        return status;
    }

    /** When the run ended; empty while it runs. */
    public synchronized Optional<Instant> endedAt() {
        return endedAt;
    }

    /** Why the run ended as it did, e.g. the budget scope that ran out; empty while it runs. */
    public synchronized Optional<String> outcome() {
        return outcome;
    }

    /** A snapshot of the entries so far, in order. */
    public synchronized List<TraceStep> steps() {
        return List.copyOf(steps);
    }

    /** The entries of one type, in order. */
    public <T extends TraceStep> List<T> steps(Class<T> type) {
        return steps().stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The model calls so far. */
    public List<TraceStep.ModelStep> modelSteps() {
        return steps(TraceStep.ModelStep.class);
    }

    /** The tool calls so far (executed and denied). */
    public List<TraceStep.ToolStep> toolSteps() {
        return steps(TraceStep.ToolStep.class);
    }

    /** The total cost of the model calls so far; unknown if any call's was. */
    public Cost totalCost() {
        Cost c = Cost.ZERO;
        for (TraceStep.ModelStep m : modelSteps()) {
            c = c.plus(m.cost());
        }
        return c;
    }

    synchronized <T extends TraceStep> T add(IntFunction<T> entry) {
        if (status.terminal()) {
            throw new IllegalStateException("run " + runId + " has ended (" + status + "); nothing more is recorded");
        }
        T e = entry.apply(steps.size() + 1);
        steps.add(e);
        return e;
    }

    synchronized void status(RunStatus status) {
        if (!this.status.terminal()) {
            this.status = status;
        }
    }

    synchronized boolean end(RunStatus status, String why, Instant at) {
        if (this.status.terminal()) {
            return false;
        }
        this.status = status;
        this.endedAt = Optional.of(at);
        this.outcome = Optional.of(why);
        return true;
    }

    /** The trace as indented JSON: run header, totals, and one object per entry with a {@code type}. */
    public String toJson() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        List<TraceStep> snapshot;
        synchronized (this) {
            root.put("runId", runId).put("pattern", pattern).put("status", status.name().toLowerCase(Locale.ROOT))
                    .put("startedAt", startedAt.toString());
            endedAt.ifPresent(e -> root.put("endedAt", e.toString()));
            outcome.ifPresent(o -> root.put("outcome", o));
            snapshot = List.copyOf(steps);
        }
        ObjectNode totals = root.putObject("totals");
        long in = 0;
        long out = 0;
        int models = 0;
        int tools = 0;
        Cost cost = Cost.ZERO;
        for (TraceStep s : snapshot) {
            if (s instanceof TraceStep.ModelStep m) {
                models++;
                in += m.inputTokens();
                out += m.outputTokens();
                cost = cost.plus(m.cost());
            } else if (s instanceof TraceStep.ToolStep) {
                tools++;
            }
        }
        totals.put("modelCalls", models).put("toolCalls", tools).put("inputTokens", in).put("outputTokens", out)
                .put("costUsd", usd(cost)).put("costKnown", cost.known());
        ArrayNode arr = root.putArray("steps");
        for (TraceStep s : snapshot) {
            ObjectNode n = arr.addObject().put("seq", s.seq()).put("type", s.type()).put("at", s.at().toString());
            if (s instanceof TraceStep.ModelStep m) {
                n.put("agent", m.agentId()).put("purpose", m.purpose());
                m.requestId().ifPresent(r -> n.put("requestId", r));
                m.model().ifPresent(x -> n.put("model", x));
                n.put("inputTokens", m.inputTokens()).put("outputTokens", m.outputTokens())
                        .put("costUsd", usd(m.cost())).put("costKnown", m.cost().known())
                        .put("latencyMs", m.latency().toMillis());
                ObjectNode r = n.putObject("routing");
                m.routing().primary().ifPresent(p -> r.put("primary", p));
                m.routing().plan().forEach(r.putArray("plan")::add);
                r.put("rejected", m.routing().rejected());
                m.routing().attempts().forEach(r.putArray("attempts")::add);
                m.toolRequests().forEach(n.putArray("toolRequests")::add);
                m.error().ifPresent(e -> n.put("error", e));
            } else if (s instanceof TraceStep.ToolStep t) {
                n.put("agent", t.agentId()).put("tool", t.tool()).put("callId", t.callId())
                        .put("arguments", t.arguments()).put("outcome", t.outcome().name().toLowerCase(Locale.ROOT))
                        .put("result", t.result()).put("latencyMs", t.latency().toMillis());
                t.deniedBy().ifPresent(d -> n.put("deniedBy", d));
            } else if (s instanceof TraceStep.AllocationStep a) {
                n.put("subtask", a.subtask());
                a.skills().forEach(n.putArray("skills")::add);
                a.chosen().ifPresent(c -> n.put("chosen", c));
                n.put("tieBreak", a.tieBreak());
                a.candidates().forEach(n.putArray("candidates")::add);
            } else if (s instanceof TraceStep.PlanRevision p) {
                n.put("revision", p.revision()).put("reason", p.reason());
                p.steps().forEach(n.putArray("steps")::add);
            } else if (s instanceof TraceStep.EscalationStep e) {
                n.put("id", e.id()).put("agent", e.agentId()).put("question", e.question())
                        .put("outcome", e.outcome()).put("resumedAt", e.resumedAt().toString());
                e.answer().ifPresent(a -> n.put("answer", a));
            } else if (s instanceof TraceStep.PostStep p) {
                n.put("round", p.round()).put("agent", p.agentId()).put("text", p.text());
            } else if (s instanceof TraceStep.NoteStep note) {
                n.put("text", note.text());
            }
        }
        return Json.pretty(root);
    }

    /** A compact listing for logs and examples: a header line, then one line per entry. */
    public String toText() {
        List<TraceStep> snapshot = steps();
        StringBuilder sb = new StringBuilder();
        synchronized (this) {
            sb.append("run ").append(runId).append(" (").append(pattern).append(") ").append(status);
            outcome.ifPresent(o -> sb.append(": ").append(o));
        }
        int models = modelSteps().size();
        int tools = toolSteps().size();
        sb.append(" | cost ").append(totalCost()).append(", ")
                .append(models).append(models == 1 ? " model call, " : " model calls, ")
                .append(tools).append(tools == 1 ? " tool call\n" : " tool calls\n");
        for (TraceStep s : snapshot) {
            sb.append(String.format(Locale.ROOT, "%3d %-10s ", s.seq(), s.type()));
            if (s instanceof TraceStep.ModelStep m) {
                sb.append(m.agentId()).append('/').append(m.purpose()).append(" -> ")
                        .append(m.model().orElse("(none)")).append(" in=").append(m.inputTokens())
                        .append(" out=").append(m.outputTokens()).append(' ').append(m.cost())
                        .append(" attempts=").append(m.routing().attempts());
                if (!m.toolRequests().isEmpty()) {
                    sb.append(" asks=").append(m.toolRequests());
                }
                m.error().ifPresent(e -> sb.append(" ERROR ").append(e));
            } else if (s instanceof TraceStep.ToolStep t) {
                sb.append(t.agentId()).append(" -> ").append(t.tool()).append(' ')
                        .append(t.outcome().name().toLowerCase(Locale.ROOT)).append(' ').append(oneLine(t.arguments()))
                        .append(" => ").append(oneLine(t.result()));
            } else if (s instanceof TraceStep.AllocationStep a) {
                sb.append(a.subtask()).append(' ').append(a.skills()).append(" -> ").append(a.chosen().orElse("(none)"))
                        .append(" tie-break=").append(a.tieBreak()).append(' ').append(a.candidates());
            } else if (s instanceof TraceStep.PlanRevision p) {
                sb.append("rev ").append(p.revision()).append(" (").append(p.reason()).append(") ").append(p.steps());
            } else if (s instanceof TraceStep.EscalationStep e) {
                sb.append(e.agentId()).append(" asked a human: ").append(oneLine(e.question())).append(" => ")
                        .append(e.outcome()).append(e.answer().map(a -> ": " + oneLine(a)).orElse(""));
            } else if (s instanceof TraceStep.PostStep p) {
                sb.append("round ").append(p.round()).append(' ').append(p.agentId()).append(": ").append(oneLine(p.text()));
            } else if (s instanceof TraceStep.NoteStep n) {
                sb.append(n.text());
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String usd(Cost c) {
        return c.usd().setScale(8, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    private static String oneLine(String s) {
        String t = s.replace('\n', ' ').replace('\r', ' ');
        return t.length() > 120 ? t.substring(0, 120) + "…" : t;
    }

    @Override
    public String toString() {
        return "RunTrace{runId=" + runId + ", pattern=" + pattern + ", status=" + status() + ", steps=" + steps().size()
                + '}';
    }
}
