package dev.llmmesh.agents;

import dev.llmmesh.Attempt;
import dev.llmmesh.routing.RoutingDecision;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The part of a step's {@link RoutingDecision} worth keeping in a trace: the plan, how many candidates were
 * rejected, and every attempt with its outcome (so a reroute after a model failed shows as
 * {@code [model-a:server_error, model-b:ok]}).
 *
 * @param primary  the router's first choice
 * @param plan     primary then fallbacks, in order
 * @param rejected how many candidates the hard filters removed
 * @param attempts each attempt as {@code model:ok} or {@code model:error_code}
 */
public record RoutingSummary(Optional<String> primary, List<String> plan, int rejected, List<String> attempts) {
    public RoutingSummary {
        Objects.requireNonNull(primary, "primary");
        plan = List.copyOf(plan);
        attempts = List.copyOf(attempts);
    }

    /** A summary of {@code decision} (when routing happened) and {@code attempts}. */
    public static RoutingSummary of(Optional<RoutingDecision> decision, List<Attempt> attempts) {
        List<String> a = new ArrayList<>(attempts.size());
        for (Attempt at : attempts) {
            a.add(at.modelId() + ":" + at.error().map(e -> e.code()).orElse("ok"));
        }
        return new RoutingSummary(decision.flatMap(RoutingDecision::primary),
                decision.map(RoutingDecision::plan).orElse(List.of()),
                decision.map(d -> d.rejected().size()).orElse(0), a);
    }

    /** Attempts that failed before the answer (or before giving up). */
    public long failedAttempts() {
        return attempts.stream().filter(s -> !s.endsWith(":ok")).count();
    }
}
