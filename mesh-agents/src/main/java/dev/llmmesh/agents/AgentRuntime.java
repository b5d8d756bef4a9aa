package dev.llmmesh.agents;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.llmmesh.Mesh;
import dev.llmmesh.agents.tool.AgentTool;
import dev.llmmesh.agents.tool.ToolBinding;
import dev.llmmesh.agents.tool.ToolCallListener;
import dev.llmmesh.agents.tool.ToolDescriptor;
import dev.llmmesh.agents.tool.ToolKind;
import dev.llmmesh.agents.tool.ToolPolicy;
import dev.llmmesh.agents.tool.Toolbox;
import dev.llmmesh.catalog.Catalog;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Runs agents on a {@link Mesh}: every agent step is a {@code mesh.chat(..)} call whose context carries the run id,
 * the agent and the step ({@link AgentAttributes}), so routing, fallback, policy and budgets apply per step. Holds
 * the tools, the tool policies and listeners (the audit hook), the human escalation channel and the default limits;
 * {@link #startRun(String, RunOptions)} starts an {@link AgentRun}, on which agents are asked.
 *
 * <p>Agents and tools are catalog entries: the builder registers the ones it is given in the mesh's catalog (if not
 * already there), and every step reads the current entry, so an agent or tool retired in the catalog stops being
 * used at once.
 *
 * <pre>{@code
 * AgentRuntime runtime = AgentRuntime.builder(mesh)
 *     .tools(Toolbox.of(sqlTool))
 *     .agent(billing)
 *     .escalation(inbox)
 *     .build();
 * AgentRun run = runtime.startRun("single", RunOptions.DEFAULTS);
 * AgentReply reply = run.ask(billing, "Was order 1002 charged twice?");
 * run.complete();
 * System.out.println(run.trace().toJson());
 * }</pre>
 *
 * Immutable and thread-safe: one runtime serves concurrent runs.
 */
public final class AgentRuntime {
    private final Mesh mesh;
    private final Toolbox tools;
    private final List<ToolPolicy> policies;
    private final List<ToolCallListener> listeners;
    private final Optional<HumanEscalation> escalation;
    private final Duration escalationTimeout;
    private final int maxToolRounds;
    private final Clock clock;
    private final RunLimits defaultLimits;
    private final ToolSpecification askHuman;

    private AgentRuntime(Builder b) {
        this.mesh = b.mesh;
        this.tools = b.tools;
        this.policies = List.copyOf(b.policies);
        this.listeners = List.copyOf(b.listeners);
        this.escalation = Optional.ofNullable(b.escalation);
        this.escalationTimeout = b.escalationTimeout;
        this.maxToolRounds = b.maxToolRounds;
        this.clock = b.clock;
        this.defaultLimits = b.defaultLimits;
        this.askHuman = ToolSpecification.builder().name(HumanEscalation.TOOL_NAME)
                .description("Asks a human colleague and waits for the answer. Use it for approvals and for "
                        + "questions no tool can answer.")
                .parameters(JsonObjectSchema.builder().addStringProperty("question", "the question for the human")
                        .required("question").build())
                .build();
    }

    /** A builder for a runtime on {@code mesh}. */
    public static Builder builder(Mesh mesh) {
        return new Builder(Objects.requireNonNull(mesh, "mesh"));
    }

    /** Starts a run of {@code pattern} with a generated id, no base context and the default limits. */
    public AgentRun startRun(String pattern) {
        return startRun(pattern, RunOptions.DEFAULTS.withLimits(defaultLimits));
    }

    /**
     * Starts a run.
     *
     * @param pattern a short label recorded in the trace and the context ({@code single}, {@code star}, …)
     */
    public AgentRun startRun(String pattern, RunOptions options) {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(options, "options");
        String id = options.runId().orElseGet(() -> "run-" + UUID.randomUUID());
        return new AgentRun(this, id, pattern, options.context(), options.limits(), clock.instant());
    }

    /** The agent {@code id} as the catalog holds it now. */
    public Optional<AgentSpec> agent(String id) {
        return mesh.catalog().find(AgentSpec.class, id);
    }

    /** The agents in the catalog that may run (approved or deprecated), in id order. */
    public List<AgentSpec> agents() {
        return mesh.catalog().all(AgentSpec.class).stream().filter(a -> a.lifecycle().state().usable()).toList();
    }

    public Mesh mesh() {
        return mesh;
    }

    public Toolbox tools() {
        return tools;
    }

    public Clock clock() {
        return clock;
    }

    /** The limits of runs started without explicit ones. */
    public RunLimits defaultLimits() {
        return defaultLimits;
    }

    /** The most model calls one {@link AgentRun#ask} makes before giving up (its tool rounds). */
    public int maxToolRounds() {
        return maxToolRounds;
    }

    /** Whether agents can ask a human. */
    public boolean canEscalate() {
        return escalation.isPresent();
    }

    List<ToolPolicy> policies() {
        return policies;
    }

    List<ToolCallListener> listeners() {
        return listeners;
    }

    Optional<HumanEscalation> escalation() {
        return escalation;
    }

    Duration escalationTimeout() {
        return escalationTimeout;
    }

    Catalog catalog() {
        return mesh.catalog();
    }

    /** The specifications offered to {@code agent}: its allowed tools that exist, plus ask_human when possible. */
    List<ToolSpecification> specificationsFor(AgentSpec agent) {
        List<ToolSpecification> out = new ArrayList<>();
        for (AgentTool t : tools.all()) {
            if (agent.allowedTools().contains(t.descriptor().id()) && usable(t)) {
                out.add(t.specification());
            }
        }
        if (agent.allowedTools().contains(HumanEscalation.TOOL_NAME) && escalation.isPresent()) {
            out.add(askHuman);
        }
        return out;
    }

    /** The tool's catalog entry now (its own descriptor when the catalog does not list it). */
    ToolDescriptor currentDescriptor(AgentTool tool) {
        return mesh.catalog().find(ToolDescriptor.class, tool.descriptor().id()).orElse(tool.descriptor());
    }

    private boolean usable(AgentTool t) {
        return currentDescriptor(t).lifecycle().state().usable();
    }

    /** Builds an {@link AgentRuntime}. Every setter validates at once. Not thread-safe. */
    public static final class Builder {
        private final Mesh mesh;
        private Toolbox tools = Toolbox.empty();
        private final java.util.Map<String, AgentSpec> agents = new java.util.LinkedHashMap<>();
        private final List<ToolPolicy> policies = new ArrayList<>();
        private final List<ToolCallListener> listeners = new ArrayList<>();
        private @Nullable HumanEscalation escalation;
        private Duration escalationTimeout = Duration.ofHours(1);
        private int maxToolRounds = 8;
        private Clock clock = Clock.systemUTC();
        private RunLimits defaultLimits = RunLimits.DEFAULTS;

        private Builder(Mesh mesh) {
            this.mesh = mesh;
        }

        /**
         * The tools agents may call (each agent only those it allows). Tools bound in the mesh's catalog
         * ({@link ToolBinding}, e.g. from {@code mesh.yaml}) are added at {@link #build()} unless a tool of the same
         * name is given here.
         */
        public Builder tools(Toolbox tools) {
            this.tools = Objects.requireNonNull(tools, "tools");
            return this;
        }

        /**
         * Adds one tool to the toolbox.
         *
         * @throws IllegalArgumentException if its name is taken
         */
        public Builder addTool(AgentTool tool) {
            this.tools = tools.toBuilder().add(tool).build();
            return this;
        }

        /**
         * An agent this runtime runs, registered in the mesh's catalog at {@link #build()} unless already there. A
         * later agent with the same id replaces an earlier one.
         */
        public Builder agent(AgentSpec agent) {
            agents.put(Objects.requireNonNull(agent, "agent").id(), agent);
            return this;
        }

        /** Adds a policy every tool call must pass (after the built-in checks), in registration order. */
        public Builder addToolPolicy(ToolPolicy policy) {
            policies.add(Objects.requireNonNull(policy, "policy"));
            return this;
        }

        /** Adds a listener told about every tool call (the audit hook). */
        public Builder addToolListener(ToolCallListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** How agents reach a human ({@link HumanEscalation#TOOL_NAME}); none by default. */
        public Builder escalation(HumanEscalation escalation) {
            this.escalation = Objects.requireNonNull(escalation, "escalation");
            return this;
        }

        /**
         * How long a paused run waits for a human. Default 1 hour.
         *
         * @throws IllegalArgumentException if zero or negative
         */
        public Builder escalationTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("escalationTimeout must be positive, got " + timeout);
            }
            this.escalationTimeout = timeout;
            return this;
        }

        /**
         * The most model calls of one agent answer (each tool round is one). Default 8.
         *
         * @throws IllegalArgumentException if not in [1, 100]
         */
        public Builder maxToolRounds(int rounds) {
            if (rounds < 1 || rounds > 100) {
                throw new IllegalArgumentException("maxToolRounds must be in [1, 100], got " + rounds);
            }
            this.maxToolRounds = rounds;
            return this;
        }

        /** The clock for trace times and escalation records; pass the mesh's clock in tests. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The limits of runs started without explicit ones. Default {@link RunLimits#DEFAULTS}. */
        public Builder defaultLimits(RunLimits limits) {
            this.defaultLimits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * Builds the runtime and registers its agents and tools in the mesh's catalog (those not already listed).
         *
         * @throws IllegalArgumentException if an agent allows a tool that is neither in the toolbox nor
         *                                  {@code ask_human}, allows {@code ask_human} without an escalation, or
         *                                  differs from the catalog's entry of the same id (other than in lifecycle)
         */
        public AgentRuntime build() {
            Catalog catalog = mesh.catalog();
            Toolbox.Builder merged = tools.toBuilder();
            for (ToolBinding bound : catalog.all(ToolBinding.class)) {
                if (tools.find(bound.id()).isEmpty()) {
                    merged.add(bound.tool());
                }
            }
            tools = merged.build();
            for (AgentSpec a : agents.values()) {
                catalog.find(AgentSpec.class, a.id()).ifPresent(listed -> {
                    if (!listed.withLifecycle(a.lifecycle()).equals(a)) {
                        throw new IllegalArgumentException("agent " + a.id() + " is already in the catalog with a "
                                + "different definition; use another id or change the catalog entry");
                    }
                });
                for (String t : a.allowedTools()) {
                    if (t.equals(HumanEscalation.TOOL_NAME)) {
                        if (escalation == null) {
                            throw new IllegalArgumentException("agent " + a.id() + " may ask a human, but no "
                                    + "escalation is configured; call escalation(..)");
                        }
                    } else if (tools.find(t).isEmpty()) {
                        throw new IllegalArgumentException("agent " + a.id() + " allows tool \"" + t + "\", which is "
                                + "not in the toolbox " + tools.names());
                    }
                }
            }
            for (AgentTool t : tools.all()) {
                registerIfAbsent(catalog, t.descriptor());
            }
            if (escalation != null) {
                registerIfAbsent(catalog, ToolDescriptor.of(HumanEscalation.TOOL_NAME, "asks a human and waits",
                        ToolKind.HUMAN, true));
            }
            for (AgentSpec a : agents.values()) {
                if (catalog.find(AgentSpec.class, a.id()).isEmpty()) {
                    try {
                        catalog.register(a);
                    } catch (IllegalArgumentException raced) {
                        // registered concurrently: the catalog's entry wins
                    }
                }
            }
            return new AgentRuntime(this);
        }

        private static void registerIfAbsent(Catalog catalog, ToolDescriptor d) {
            if (catalog.find(ToolDescriptor.class, d.id()).isEmpty()) {
                try {
                    catalog.register(d);
                } catch (IllegalArgumentException raced) {
                    // registered concurrently: the catalog's entry wins
                }
            }
        }
    }
}
