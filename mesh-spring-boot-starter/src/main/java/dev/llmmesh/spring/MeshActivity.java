package dev.llmmesh.spring;

import dev.llmmesh.Attempt;
import dev.llmmesh.CallContext;
import dev.llmmesh.Cost;
import dev.llmmesh.MeshException;
import dev.llmmesh.event.MeshEvent;
import dev.llmmesh.event.MeshListener;
import dev.llmmesh.routing.RoutingDecision;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * What the mesh has done since startup, for the {@code llmmesh} Actuator endpoint: the most recent calls with their
 * routing decisions, and the spend per team. A {@link MeshListener} registered on the auto-configured mesh.
 *
 * <p>Bounded: at most {@code recentDecisions} calls are kept, and at most {@code maxTeams} teams (later teams are
 * counted under {@link #OTHER_TEAM}); calls without a team count under {@link #NO_TEAM}. Only the team, the user
 * name is never kept. Thread-safe.
 */
public final class MeshActivity implements MeshListener {
    /** The spend row of calls that named no team. */
    public static final String NO_TEAM = "(none)";
    /** The spend row of teams beyond the table's bound. */
    public static final String OTHER_TEAM = "(other)";

    private final int recentCapacity;
    private final int maxTeams;
    private final Clock clock;
    private final Map<String, Started> inFlight = new ConcurrentHashMap<>();
    private final Deque<RecentCall> recent = new ArrayDeque<>();
    private final Map<String, TeamSpend> spend = new ConcurrentHashMap<>();

    /**
     * @param recentDecisions how many recent calls to keep (0 keeps none)
     * @param maxTeams        how many teams the spend table keeps
     * @throws IllegalArgumentException if {@code recentDecisions < 0} or {@code maxTeams < 1}
     */
    public MeshActivity(int recentDecisions, int maxTeams, Clock clock) {
        if (recentDecisions < 0) {
            throw new IllegalArgumentException("recentDecisions must be >= 0, got " + recentDecisions);
        }
        if (maxTeams < 1) {
            throw new IllegalArgumentException("maxTeams must be >= 1, got " + maxTeams);
        }
        this.recentCapacity = recentDecisions;
        this.maxTeams = maxTeams;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * One finished call.
     *
     * @param requestId the call's request id
     * @param at        when it ended
     * @param team      its team, if it named one
     * @param decision  its routing decision; empty when no routing happened (an interceptor answered or refused)
     * @param modelId   the model that answered; empty when the call failed or no model answered
     * @param attempts  every attempt, failed ones included
     * @param billed    what the call was billed in all
     * @param duration  how long it took
     * @param error     the error kind (e.g. {@code rate_limited}) when it failed
     */
    public record RecentCall(String requestId, Instant at, Optional<String> team, Optional<RoutingDecision> decision,
                             Optional<String> modelId, List<Attempt> attempts, Cost billed, Duration duration,
                             Optional<String> error) {
        public RecentCall {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(team, "team");
            Objects.requireNonNull(decision, "decision");
            Objects.requireNonNull(modelId, "modelId");
            attempts = List.copyOf(attempts);
            Objects.requireNonNull(billed, "billed");
            Objects.requireNonNull(duration, "duration");
            Objects.requireNonNull(error, "error");
        }

        /** Whether the answer came from another model than the plan's primary. */
        public boolean fellBack() {
            return modelId.isPresent() && decision.flatMap(RoutingDecision::primary).map(p -> !p.equals(modelId.get()))
                    .orElse(false);
        }
    }

    /**
     * One team's calls and spend since startup.
     *
     * @param calls      calls that ended (succeeded or not)
     * @param failed     calls that ended with an error
     * @param usd        what they were billed, in USD (known prices only)
     * @param unpriced   calls at least one of whose attempts had no known price
     */
    public record Spend(long calls, long failed, BigDecimal usd, long unpriced) {
    }

    /** The most recent calls, newest first. */
    public List<RecentCall> recentCalls() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    /** The spend per team since startup, by team name. */
    public Map<String, Spend> spendByTeam() {
        Map<String, Spend> out = new TreeMap<>();
        spend.forEach((team, s) -> out.put(team, s.snapshot()));
        return out;
    }

    @Override
    public void callStarted(MeshEvent.CallStarted event) {
        inFlight.put(event.requestId(), new Started(event.context(), null));
    }

    @Override
    public void routeSelected(MeshEvent.RouteSelected event) {
        inFlight.computeIfPresent(event.requestId(), (id, s) -> new Started(s.context(), event.decision()));
    }

    @Override
    public void callEnded(MeshEvent.CallEnded event) {
        Started started = inFlight.remove(event.requestId());
        Optional<String> team = started == null ? Optional.empty() : started.context().team();
        Optional<RoutingDecision> decision = event.response().flatMap(r -> r.decision())
                .or(() -> started == null ? Optional.empty() : Optional.ofNullable(started.decision()));
        Optional<String> error = event.error().map(MeshActivity::errorName);
        spendRow(team.orElse(NO_TEAM)).add(event.billed(), error.isPresent());
        if (recentCapacity == 0) {
            return;
        }
        RecentCall call = new RecentCall(event.requestId(), clock.instant(), team, decision,
                event.response().flatMap(r -> r.modelId()), event.attempts(), event.billed(), event.duration(), error);
        synchronized (recent) {
            recent.addFirst(call);
            while (recent.size() > recentCapacity) {
                recent.removeLast();
            }
        }
    }

    private TeamSpend spendRow(String team) {
        TeamSpend row = spend.get(team);
        if (row != null) {
            return row;
        }
        if (spend.size() >= maxTeams && !team.equals(NO_TEAM)) {
            return spend.computeIfAbsent(OTHER_TEAM, t -> new TeamSpend());
        }
        return spend.computeIfAbsent(team, t -> new TeamSpend());
    }

    private static String errorName(MeshException e) {
        return e.kind().name().toLowerCase(java.util.Locale.ROOT);
    }

    private record Started(CallContext context, @Nullable RoutingDecision decision) {
    }

    private static final class TeamSpend {
        private long calls;
        private long failed;
        private BigDecimal usd = BigDecimal.ZERO;
        private long unpriced;

        synchronized void add(Cost billed, boolean failedCall) {
            calls++;
            if (failedCall) {
                failed++;
            }
            usd = usd.add(billed.usd());
            if (!billed.known()) {
                unpriced++;
            }
        }

        synchronized Spend snapshot() {
            return new Spend(calls, failed, usd, unpriced);
        }
    }

    /** Whether any call is being tracked as in flight (for tests of boundedness). */
    int inFlightCount() {
        return inFlight.size();
    }
}
