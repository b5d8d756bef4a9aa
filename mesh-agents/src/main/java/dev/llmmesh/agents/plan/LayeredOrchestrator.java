package dev.llmmesh.agents.plan;

import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.llmmesh.agents.AgentReply;
import dev.llmmesh.agents.AgentRun;
import dev.llmmesh.agents.AgentRuntime;
import dev.llmmesh.agents.AgentSpec;
import dev.llmmesh.agents.RunOptions;
import dev.llmmesh.agents.RunStatus;
import dev.llmmesh.agents.internal.Texts;
import dev.llmmesh.agents.tool.AgentTool;
import dev.llmmesh.agents.tool.ToolResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The layered pattern: planning separate from execution.
 * <ol>
 *   <li>The planner agent answers with a typed {@link Plan} through JSON-schema structured output; an answer that
 *       does not parse, names an unknown tool or agent, or reuses a step id is sent back once with the problem.</li>
 *   <li>Executors run the steps in order: tool steps through the run's tool path (allow-list, policies, listeners,
 *       trace), agent steps through the agent's own tool loop, each seeing the outputs of earlier steps.</li>
 *   <li>A step that fails {@link Builder#stepAttempts(int) stepAttempts} times in a row (default 2) sends the planner
 *       back to work with what is done and what failed; at most {@link Builder#maxReplans(int) maxReplans} times
 *       (default 2), after which the run ends with {@link RunStatus#REPLAN_LIMIT}.</li>
 * </ol>
 * The plan(s) and every step are in the trace. Immutable and thread-safe: each goal runs in its own {@link AgentRun}.
 */
public final class LayeredOrchestrator {
    /** The actor name recorded for tool steps run by the executor. */
    public static final String EXECUTOR = "executor";

    private final AgentRuntime runtime;
    private final AgentSpec planner;
    private final List<String> agents;
    private final Set<String> tools;
    private final int maxSteps;
    private final int stepAttempts;
    private final int maxReplans;

    private LayeredOrchestrator(Builder b) {
        this.runtime = b.runtime;
        this.planner = b.planner;
        this.agents = List.copyOf(b.agents);
        this.tools = Set.copyOf(b.tools);
        this.maxSteps = b.maxSteps;
        this.stepAttempts = b.stepAttempts;
        this.maxReplans = b.maxReplans;
    }

    public static Builder builder(AgentRuntime runtime) {
        return new Builder(Objects.requireNonNull(runtime, "runtime"));
    }

    /** Works towards {@code goal} in a new run with the runtime's default limits. */
    public LayeredResult run(String goal) {
        return run(goal, RunOptions.DEFAULTS.withLimits(runtime.defaultLimits()));
    }

    /** Works towards {@code goal} in a new run started with {@code options}. */
    public LayeredResult run(String goal, RunOptions options) {
        Objects.requireNonNull(goal, "goal");
        AgentRun run = runtime.startRun("layered", options);
        List<Plan> plans = new ArrayList<>();
        List<StepOutcome> executed = new ArrayList<>();
        Map<String, StepOutcome> done = new LinkedHashMap<>();
        try {
            Plan plan = plan(run, goal, done, Optional.empty(), 0);
            plans.add(plan);
            run.recordPlan(0, "initial plan", plan.describe());
            int replans = 0;
            String last = "";
            boolean finished = false;
            while (!finished) {
                finished = true;
                for (PlanStep step : plan.steps()) {
                    StepOutcome outcome = execute(run, goal, step, done);
                    executed.add(outcome);
                    if (outcome.ok()) {
                        done.put(step.id(), outcome);
                        last = outcome.output();
                        continue;
                    }
                    if (replans >= maxReplans) {
                        run.end(RunStatus.REPLAN_LIMIT, "step " + step.id() + " failed " + outcome.attempts()
                                + " times after " + replans + " replan(s): " + Texts.cut(outcome.output(), 200));
                        return new LayeredResult(run.status(), "", plans, executed, run.trace());
                    }
                    replans++;
                    run.note("step " + step.id() + " failed " + outcome.attempts() + " times; replanning ("
                            + replans + " of " + maxReplans + ")");
                    plan = plan(run, goal, done, Optional.of(outcome), replans);
                    plans.add(plan);
                    run.recordPlan(replans, "step " + step.id() + " failed: " + Texts.cut(outcome.output(), 200),
                            plan.describe());
                    finished = false;
                    break;
                }
            }
            run.complete();
            return new LayeredResult(run.status(), last, plans, executed, run.trace());
        } catch (RuntimeException e) {
            run.fail(e);
            return new LayeredResult(run.status(), "", plans, executed, run.trace());
        }
    }

    private Plan plan(AgentRun run, String goal, Map<String, StepOutcome> done, Optional<StepOutcome> failure,
                      int revision) {
        StringBuilder p = new StringBuilder("Goal: ").append(goal).append("\n\n");
        List<AgentSpec> usable = usableAgents();
        if (!usable.isEmpty()) {
            p.append("Agents you can give a step to (kind \"agent\", target = id, input = instruction):\n");
            for (AgentSpec a : usable) {
                p.append("- ").append(a.id()).append(": ").append(a.description()).append(" (skills ")
                        .append(a.skills().stream().sorted().toList()).append(")\n");
            }
        }
        if (!tools.isEmpty()) {
            p.append("Tools you can call directly (kind \"tool\", target = name, input = JSON arguments):\n");
            for (String name : tools.stream().sorted().toList()) {
                AgentTool t = runtime.tools().find(name).orElseThrow();
                JsonObjectSchema params = t.specification().parameters();
                p.append("- ").append(name).append(": ").append(t.specification().description());
                if (params != null) {
                    p.append(" Arguments: ").append(params.properties().keySet()).append(", required ")
                            .append(params.required());
                }
                p.append('\n');
            }
        }
        if (!done.isEmpty()) {
            p.append("\nAlready done (do not repeat; do not reuse these ids):\n");
            done.values().forEach(o -> p.append("- ").append(o.step().describe()).append(" => ")
                    .append(Texts.cut(o.output(), 300)).append('\n'));
        }
        failure.ifPresent(f -> p.append("\nStep ").append(f.step().describe()).append(" failed ").append(f.attempts())
                .append(" times: ").append(Texts.cut(f.output(), 300))
                .append("\nPlan the remaining work another way.\n"));
        p.append("\nAnswer with a plan of at most ").append(maxSteps)
                .append(" steps; the last step's output is the final answer.");
        Set<String> agentIds = new LinkedHashSet<>();
        usable.forEach(a -> agentIds.add(a.id()));
        Set<String> used = new LinkedHashSet<>(done.keySet());
        return run.askStructured(planner, "plan", p.toString(), Plan.schema(),
                node -> Plan.read(node, revision, maxSteps, agentIds, tools, used));
    }

    private StepOutcome execute(AgentRun run, String goal, PlanStep step, Map<String, StepOutcome> done) {
        String output = "";
        for (int attempt = 1; attempt <= stepAttempts; attempt++) {
            if (step.kind() == PlanStep.Kind.TOOL) {
                ToolResult r = run.callTool(EXECUTOR, tools, step.target(), step.input());
                if (!r.error()) {
                    return new StepOutcome(step, true, r.text(), attempt);
                }
                output = r.text();
            } else {
                AgentSpec agent = runtime.agent(step.target()).orElseThrow(() -> new IllegalStateException(
                        "agent " + step.target() + " left the catalog"));
                StringBuilder in = new StringBuilder(step.input());
                in.append("\n\nOverall goal: ").append(goal);
                if (!done.isEmpty()) {
                    in.append("\nResults of earlier steps:\n");
                    done.values().forEach(o -> in.append("[").append(o.step().id()).append("] ")
                            .append(Texts.cut(o.output(), 2000)).append('\n'));
                }
                AgentReply reply = run.ask(agent, in.toString());
                if (reply.answered() && !reply.text().isBlank()) {
                    return new StepOutcome(step, true, reply.text(), attempt);
                }
                output = reply.answered() ? "empty answer" : "no final answer within the tool rounds";
            }
            if (attempt < stepAttempts) {
                run.note("step " + step.id() + " attempt " + attempt + " failed: " + Texts.cut(output, 200));
            }
        }
        return new StepOutcome(step, false, output, stepAttempts);
    }

    private List<AgentSpec> usableAgents() {
        List<AgentSpec> out = new ArrayList<>();
        for (String id : agents) {
            runtime.agent(id).filter(a -> a.lifecycle().state().usable()).ifPresent(out::add);
        }
        return out;
    }

    /** Builds a {@link LayeredOrchestrator}. Every setter validates at once. Not thread-safe. */
    public static final class Builder {
        private final AgentRuntime runtime;
        private @Nullable AgentSpec planner;
        private final Set<String> agents = new LinkedHashSet<>();
        private final Set<String> tools = new LinkedHashSet<>();
        private int maxSteps = 8;
        private int stepAttempts = 2;
        private int maxReplans = 2;

        private Builder(AgentRuntime runtime) {
            this.runtime = runtime;
        }

        /** The agent that plans (its models need the {@code json_schema} capability); required. */
        public Builder planner(AgentSpec planner) {
            this.planner = Objects.requireNonNull(planner, "planner");
            return this;
        }

        /**
         * Agents plan steps may be given to.
         *
         * @throws IllegalArgumentException if an agent is not in the mesh's catalog
         */
        public Builder executors(AgentSpec... agents) {
            for (AgentSpec a : agents) {
                if (runtime.agent(a.id()).isEmpty()) {
                    throw new IllegalArgumentException("no agent \"" + a.id() + "\" in the catalog; register it with "
                            + "AgentRuntime.Builder.agent(..) first");
                }
                this.agents.add(a.id());
            }
            return this;
        }

        /**
         * Tools plan steps may call directly.
         *
         * @throws IllegalArgumentException if a tool is not in the runtime's toolbox
         */
        public Builder tools(String... names) {
            for (String n : names) {
                if (runtime.tools().find(n).isEmpty()) {
                    throw new IllegalArgumentException("no tool \"" + n + "\" in the runtime's toolbox "
                            + runtime.tools().names());
                }
                tools.add(n);
            }
            return this;
        }

        /**
         * The most steps one plan may have. Default 8.
         *
         * @throws IllegalArgumentException if not in [1, 50]
         */
        public Builder maxSteps(int steps) {
            if (steps < 1 || steps > 50) {
                throw new IllegalArgumentException("maxSteps must be in [1, 50], got " + steps);
            }
            this.maxSteps = steps;
            return this;
        }

        /**
         * How many times a step runs before it counts as failed. Default 2.
         *
         * @throws IllegalArgumentException if not in [1, 5]
         */
        public Builder stepAttempts(int attempts) {
            if (attempts < 1 || attempts > 5) {
                throw new IllegalArgumentException("stepAttempts must be in [1, 5], got " + attempts);
            }
            this.stepAttempts = attempts;
            return this;
        }

        /**
         * How many times the planner may revise the plan. Default 2.
         *
         * @throws IllegalArgumentException if not in [0, 10]
         */
        public Builder maxReplans(int replans) {
            if (replans < 0 || replans > 10) {
                throw new IllegalArgumentException("maxReplans must be in [0, 10], got " + replans);
            }
            this.maxReplans = replans;
            return this;
        }

        /**
         * @throws IllegalStateException if no planner is set, or neither executors nor tools are
         */
        public LayeredOrchestrator build() {
            if (planner == null) {
                throw new IllegalStateException("no planner set; call planner(agent)");
            }
            if (agents.isEmpty() && tools.isEmpty()) {
                throw new IllegalStateException("a plan needs something to run: call executors(..) or tools(..)");
            }
            return new LayeredOrchestrator(this);
        }
    }
}
