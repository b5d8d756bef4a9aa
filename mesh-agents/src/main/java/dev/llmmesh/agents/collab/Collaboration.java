package dev.llmmesh.agents.collab;

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
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The collaboration network: participants take turns ({@link TurnTaking}) reading a shared {@link Blackboard} and
 * posting to it; after every post the {@link GoalCheck} runs. The run ends when the goal is reached
 * ({@link RunStatus#COMPLETED}), after {@link Builder#maxRounds(int) maxRounds} rounds ({@link RunStatus#MAX_ROUNDS}),
 * or when the budget runs out ({@link RunStatus#BUDGET_EXCEEDED}). A round is one turn per participant. Every turn is
 * the participant's own tool loop, so participants may use their tools and ask a human.
 *
 * <pre>{@code
 * Collaboration review = Collaboration.builder(runtime)
 *     .participants(author, security, operations)
 *     .turnTaking(TurnTaking.roundRobin())
 *     .goal(GoalCheck.markerFrom("operations", "APPROVED"))
 *     .maxRounds(3)
 *     .build();
 * CollaborationResult r = review.run("Design: move sessions to Redis");
 * }</pre>
 *
 * Immutable and thread-safe: each topic runs in its own {@link AgentRun}.
 */
public final class Collaboration {
    private final AgentRuntime runtime;
    private final List<String> participants;
    private final TurnTaking turnTaking;
    private final GoalCheck goal;
    private final int maxRounds;

    private Collaboration(Builder b) {
        this.runtime = b.runtime;
        this.participants = List.copyOf(b.participants);
        this.turnTaking = b.turnTaking;
        this.goal = b.goal;
        this.maxRounds = b.maxRounds;
    }

    public static Builder builder(AgentRuntime runtime) {
        return new Builder(Objects.requireNonNull(runtime, "runtime"));
    }

    /** Collaborates on {@code topic} in a new run with the runtime's default limits. */
    public CollaborationResult run(String topic) {
        return run(topic, RunOptions.DEFAULTS.withLimits(runtime.defaultLimits()));
    }

    /** Collaborates on {@code topic} in a new run started with {@code options}. */
    public CollaborationResult run(String topic, RunOptions options) {
        Objects.requireNonNull(topic, "topic");
        AgentRun run = runtime.startRun("collaboration", options);
        Blackboard board = new Blackboard(topic);
        int round = 0;
        try {
            List<AgentSpec> members = currentParticipants();
            int turns = maxRounds * members.size();
            for (int turn = 1; turn <= turns; turn++) {
                round = (turn - 1) / members.size() + 1;
                AgentSpec speaker = turnTaking.next(members, board, turn, run);
                if (!members.contains(speaker)) {
                    throw new IllegalStateException("turn taking chose " + speaker.id() + ", not a participant");
                }
                AgentReply reply = run.ask(speaker, board.transcript() + "\nYou are " + speaker.id()
                        + ". Add your contribution to the discussion (round " + round + " of " + maxRounds + ").");
                Post post = new Post(turn, round, speaker.id(), reply.text(), runtime.clock().instant());
                board.post(post);
                run.recordPost(round, speaker.id(), reply.text());
                if (goal.reached(board, run)) {
                    run.end(RunStatus.COMPLETED, "goal reached after " + turn + " turn(s) in round " + round);
                    return new CollaborationResult(run.status(), board.posts(), round, run.trace());
                }
            }
            run.end(RunStatus.MAX_ROUNDS, "goal not reached in " + maxRounds + " round(s)");
            return new CollaborationResult(run.status(), board.posts(), round, run.trace());
        } catch (RuntimeException e) {
            run.fail(e);
            return new CollaborationResult(run.status(), board.posts(), round, run.trace());
        }
    }

    private List<AgentSpec> currentParticipants() {
        List<AgentSpec> out = new ArrayList<>();
        for (String id : participants) {
            AgentSpec a = runtime.agent(id).orElseThrow(() -> new IllegalStateException("agent " + id
                    + " left the catalog"));
            if (a.lifecycle().state().usable()) {
                out.add(a);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no participant is usable in the catalog");
        }
        return out;
    }

    /** Builds a {@link Collaboration}. Every setter validates at once. Not thread-safe. */
    public static final class Builder {
        private final AgentRuntime runtime;
        private final Set<String> participants = new LinkedHashSet<>();
        private TurnTaking turnTaking = TurnTaking.roundRobin();
        private @Nullable GoalCheck goal;
        private int maxRounds = 3;

        private Builder(AgentRuntime runtime) {
            this.runtime = runtime;
        }

        /**
         * Adds participants, in speaking order for round robin.
         *
         * @throws IllegalArgumentException if an agent is not in the mesh's catalog
         */
        public Builder participants(AgentSpec... agents) {
            for (AgentSpec a : agents) {
                if (runtime.agent(a.id()).isEmpty()) {
                    throw new IllegalArgumentException("no agent \"" + a.id() + "\" in the catalog; register it with "
                            + "AgentRuntime.Builder.agent(..) first");
                }
                participants.add(a.id());
            }
            return this;
        }

        /** Who speaks next. Default {@link TurnTaking#roundRobin()}. */
        public Builder turnTaking(TurnTaking turnTaking) {
            this.turnTaking = Objects.requireNonNull(turnTaking, "turnTaking");
            return this;
        }

        /** When to stop; required. */
        public Builder goal(GoalCheck goal) {
            this.goal = Objects.requireNonNull(goal, "goal");
            return this;
        }

        /**
         * The most rounds. Default 3.
         *
         * @throws IllegalArgumentException if not in [1, 50]
         */
        public Builder maxRounds(int rounds) {
            if (rounds < 1 || rounds > 50) {
                throw new IllegalArgumentException("maxRounds must be in [1, 50], got " + rounds);
            }
            this.maxRounds = rounds;
            return this;
        }

        /**
         * @throws IllegalStateException if there is no participant or no goal
         */
        public Collaboration build() {
            if (participants.isEmpty()) {
                throw new IllegalStateException("a collaboration needs participants; call participants(..)");
            }
            if (goal == null) {
                throw new IllegalStateException("no goal set; call goal(GoalCheck.marker(..)) or goal(GoalCheck.judge(..))");
            }
            return new Collaboration(this);
        }
    }
}
