package dev.llmmesh.governance.budget;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * One spend limit: at most {@code usd} per {@code window} for a scope. With a {@code subject} the limit applies to
 * that one team, user, API key (by its {@linkplain ScopeIdentity#apiKeyId(String) key id}, never the raw key) or agent
 * run; without one it applies to every subject of the kind separately (each team has its own counter). Limits add up:
 * a call must fit every limit that applies to it, so a team-specific limit can only tighten an "every team" one.
 *
 * @param scope   who the limit applies to
 * @param subject the one subject it applies to; empty for every subject separately (always empty for {@link Scope#ORG})
 * @param window  the period it counts over
 * @param usd     the most that may be spent in one window, in US dollars; zero blocks every call in scope
 */
public record BudgetLimit(Scope scope, Optional<String> subject, BudgetWindow window, BigDecimal usd) {

    /**
     * @throws IllegalArgumentException if {@code usd} is negative, the subject is blank, or an org limit names a
     *                                  subject
     */
    public BudgetLimit {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(usd, "usd");
        if (usd.signum() < 0) {
            throw new IllegalArgumentException("budget usd must be >= 0, got " + usd.toPlainString());
        }
        if (subject.isPresent() && subject.get().isBlank()) {
            throw new IllegalArgumentException("budget subject must not be blank; omit it to limit every "
                    + scope.configName() + " separately");
        }
        if (scope == Scope.ORG && subject.isPresent()) {
            throw new IllegalArgumentException("an org budget has no subject; remove \"" + subject.get() + "\"");
        }
    }

    /** At most {@code usd} per window for the whole organisation. */
    public static BudgetLimit org(BudgetWindow window, BigDecimal usd) {
        return new BudgetLimit(Scope.ORG, Optional.empty(), window, usd);
    }

    /** At most {@code usd} per window for the one subject {@code subject} of {@code scope}. */
    public static BudgetLimit of(Scope scope, String subject, BudgetWindow window, BigDecimal usd) {
        return new BudgetLimit(scope, Optional.of(Objects.requireNonNull(subject, "subject")), window, usd);
    }

    /** At most {@code usd} per window for each subject of {@code scope} separately (each team, each user, ...). */
    public static BudgetLimit each(Scope scope, BudgetWindow window, BigDecimal usd) {
        return new BudgetLimit(scope, Optional.empty(), window, usd);
    }

    /** At most {@code usd} per window for team {@code team}. */
    public static BudgetLimit team(String team, BudgetWindow window, BigDecimal usd) {
        return of(Scope.TEAM, team, window, usd);
    }

    /** At most {@code usd} over the whole life of each agent run. */
    public static BudgetLimit eachAgentRun(BigDecimal usd) {
        return each(Scope.AGENT_RUN, BudgetWindow.TOTAL, usd);
    }

    /** How the limit reads in messages, e.g. {@code team:search per day} or {@code every team per month}. */
    public String describe() {
        String who = scope == Scope.ORG ? "org" : subject.map(s -> scope.configName() + ":" + s)
                .orElse("every " + scope.configName());
        return who + (window == BudgetWindow.TOTAL ? " in total" : " per " + window.configName());
    }
}
