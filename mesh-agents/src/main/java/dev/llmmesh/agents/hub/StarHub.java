package dev.llmmesh.agents.hub;

import dev.llmmesh.agents.AgentReply;
import dev.llmmesh.agents.AgentRun;
import dev.llmmesh.agents.AgentRuntime;
import dev.llmmesh.agents.AgentSpec;
import dev.llmmesh.agents.RunOptions;
import dev.llmmesh.agents.RunStatus;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The star pattern: a hub holding a registry of member agents. For each request it
 * <ol>
 *   <li>splits it into subtasks ({@link Triage});</li>
 *   <li>allocates each subtask to one agent with the {@link SkillAllocator} (skill match, then the cost and health of
 *       the agent's models, read from the catalog and {@link dev.llmmesh.Mesh#health()} at that moment), asking the
 *       {@link TieBreaker} only when agents tie;</li>
 *   <li>runs the chosen agent (its tool loop, every step a mesh call); a subtask no agent can take goes to a human
 *       when escalation is configured;</li>
 *   <li>aggregates the answers ({@link Aggregator}).</li>
 * </ol>
 * Each request is one {@link AgentRun} (pattern {@code star}); a budget running out or a step failing ends it cleanly
 * with a partial answer and trace in the {@link HubResult}.
 *
 * <pre>{@code
 * StarHub hub = StarHub.builder(runtime)
 *     .members("billing", "tech-l1", "tech-l2")
 *     .triage(Triage.llm(triager, 3))
 *     .aggregator(Aggregator.llm(writer))
 *     .build();
 * HubResult r = hub.handle("I was charged twice and the app crashes");
 * }</pre>
 *
 * Immutable and thread-safe: one hub serves concurrent requests, each in its own run.
 */
public final class StarHub {
    private final AgentRuntime runtime;
    private final List<String> members;
    private final Triage triage;
    private final SkillAllocator allocator;
    private final TieBreaker tieBreaker;
    private final Aggregator aggregator;
    private final boolean escalateUnallocated;

    private StarHub(Builder b) {
        this.runtime = b.runtime;
        this.members = List.copyOf(b.members);
        this.triage = b.triage;
        this.allocator = b.allocator;
        this.tieBreaker = b.tieBreaker;
        this.aggregator = b.aggregator;
        this.escalateUnallocated = b.escalateUnallocated;
    }

    public static Builder builder(AgentRuntime runtime) {
        return new Builder(Objects.requireNonNull(runtime, "runtime"));
    }

    /** Handles {@code request} in a new run with the runtime's default limits. */
    public HubResult handle(String request) {
        return handle(request, RunOptions.DEFAULTS.withLimits(runtime.defaultLimits()));
    }

    /** Handles {@code request} in a new run started with {@code options}. */
    public HubResult handle(String request, RunOptions options) {
        Objects.requireNonNull(request, "request");
        AgentRun run = runtime.startRun("star", options);
        List<Allocation> allocations = new ArrayList<>();
        List<SubtaskOutcome> outcomes = new ArrayList<>();
        try {
            List<Subtask> subtasks = triage.split(request, currentMembers(), run);
            run.note("triage: " + subtasks.stream().map(s -> s.id() + " " + s.skills().stream().sorted().toList())
                    .toList());
            for (Subtask st : subtasks) {
                List<AgentSpec> current = currentMembers();
                Allocation allocation = allocator.allocate(st, current, runtime.mesh().catalog().models().list(),
                        runtime.mesh().health(), runtime.clock().instant());
                allocations.add(allocation);
                Optional<String> chosen = allocation.best();
                String tieBreak = "none";
                if (allocation.isTie()) {
                    List<AgentSpec> tied = current.stream().filter(a -> allocation.tied().contains(a.id()))
                            .sorted(java.util.Comparator.comparing(AgentSpec::id)).toList();
                    String pick = tieBreaker.choose(st, tied, run);
                    if (!allocation.tied().contains(pick)) {
                        run.note("tie-breaker " + tieBreaker.name() + " chose " + pick + ", not a tied agent; using "
                                + allocation.tied().get(0));
                        pick = allocation.tied().get(0);
                    }
                    chosen = Optional.of(pick);
                    tieBreak = tieBreaker.name();
                }
                run.recordAllocation(st.id(), st.skills().stream().sorted().toList(), chosen, tieBreak,
                        allocation.describe());
                outcomes.add(execute(run, request, st, chosen, current));
            }
            String answer = aggregator.aggregate(request, outcomes, run);
            RunStatus status = statusOf(outcomes);
            run.end(status, status == RunStatus.COMPLETED ? "every subtask answered" : describe(outcomes));
            return new HubResult(run.status(), answer, allocations, outcomes, run.trace());
        } catch (RuntimeException e) {
            run.fail(e);
            return new HubResult(run.status(), Aggregator.concatenate().aggregate(request, outcomes, run),
                    allocations, outcomes, run.trace());
        }
    }

    private SubtaskOutcome execute(AgentRun run, String request, Subtask st, Optional<String> chosen,
                                   List<AgentSpec> current) {
        if (chosen.isEmpty()) {
            if (escalateUnallocated && runtime.canEscalate()) {
                Optional<String> human = run.askHuman("hub", "No agent can handle this part of a request. "
                        + "Request: " + request + "\nPart: " + st.instruction());
                return human.map(h -> new SubtaskOutcome(st, Optional.empty(), SubtaskOutcome.State.ESCALATED, h))
                        .orElseGet(() -> new SubtaskOutcome(st, Optional.empty(), SubtaskOutcome.State.UNALLOCATED, ""));
            }
            return new SubtaskOutcome(st, Optional.empty(), SubtaskOutcome.State.UNALLOCATED, "");
        }
        AgentSpec agent = current.stream().filter(a -> a.id().equals(chosen.get())).findFirst().orElseThrow();
        AgentReply reply = run.ask(agent, "Request:\n" + request + "\n\nYour part (" + st.id() + "): "
                + st.instruction());
        return new SubtaskOutcome(st, Optional.of(agent.id()),
                reply.answered() ? SubtaskOutcome.State.ANSWERED : SubtaskOutcome.State.UNANSWERED, reply.text());
    }

    private List<AgentSpec> currentMembers() {
        List<AgentSpec> out = new ArrayList<>();
        for (String id : members) {
            runtime.agent(id).ifPresent(out::add); // retired ones stay listed; the allocator rejects them
        }
        return out;
    }

    private static RunStatus statusOf(List<SubtaskOutcome> outcomes) {
        if (outcomes.stream().allMatch(SubtaskOutcome::hasAnswer)) {
            return RunStatus.COMPLETED;
        }
        if (outcomes.stream().anyMatch(o -> o.state() == SubtaskOutcome.State.UNANSWERED)) {
            return RunStatus.STEP_LIMIT;
        }
        return RunStatus.FAILED;
    }

    private static String describe(List<SubtaskOutcome> outcomes) {
        return "unanswered subtasks: " + outcomes.stream().filter(o -> !o.hasAnswer())
                .map(o -> o.subtask().id() + " (" + o.state().name().toLowerCase(java.util.Locale.ROOT) + ")").toList();
    }

    /** The member agent ids. */
    public List<String> members() {
        return members;
    }

    /** Builds a {@link StarHub}. Every setter validates at once. Not thread-safe. */
    public static final class Builder {
        private final AgentRuntime runtime;
        private final Set<String> members = new LinkedHashSet<>();
        private @Nullable Triage triage;
        private SkillAllocator allocator = SkillAllocator.defaults();
        private TieBreaker tieBreaker = TieBreaker.lowestId();
        private Aggregator aggregator = Aggregator.concatenate();
        private boolean escalateUnallocated = true;

        private Builder(AgentRuntime runtime) {
            this.runtime = runtime;
        }

        /**
         * Adds member agents by id.
         *
         * @throws IllegalArgumentException if an agent is not in the mesh's catalog
         */
        public Builder members(String... agentIds) {
            for (String id : agentIds) {
                if (runtime.agent(id).isEmpty()) {
                    throw new IllegalArgumentException("no agent \"" + id + "\" in the catalog; register it with "
                            + "AgentRuntime.Builder.agent(..) or AgentsPlugin first");
                }
                members.add(id);
            }
            return this;
        }

        /** Adds member agents (registered in the catalog by the runtime). */
        public Builder members(AgentSpec... agents) {
            for (AgentSpec a : agents) {
                members(a.id());
            }
            return this;
        }

        /** How requests are split; required. */
        public Builder triage(Triage triage) {
            this.triage = Objects.requireNonNull(triage, "triage");
            return this;
        }

        /** How agents are ranked. Default {@link SkillAllocator#defaults()}. */
        public Builder allocator(SkillAllocator allocator) {
            this.allocator = Objects.requireNonNull(allocator, "allocator");
            return this;
        }

        /** How ties are broken. Default {@link TieBreaker#lowestId()}. */
        public Builder tieBreaker(TieBreaker tieBreaker) {
            this.tieBreaker = Objects.requireNonNull(tieBreaker, "tieBreaker");
            return this;
        }

        /** How answers are combined. Default {@link Aggregator#concatenate()}. */
        public Builder aggregator(Aggregator aggregator) {
            this.aggregator = Objects.requireNonNull(aggregator, "aggregator");
            return this;
        }

        /** Whether a subtask no agent can take goes to a human (when the runtime has escalation). Default true. */
        public Builder escalateUnallocated(boolean escalate) {
            this.escalateUnallocated = escalate;
            return this;
        }

        /**
         * @throws IllegalStateException if no member or no triage is set
         */
        public StarHub build() {
            if (members.isEmpty()) {
                throw new IllegalStateException("a star hub needs at least one member agent; call members(..)");
            }
            if (triage == null) {
                throw new IllegalStateException("no triage set; call triage(Triage.llm(..)) or triage(Triage.fixed(..))");
            }
            return new StarHub(this);
        }
    }
}
