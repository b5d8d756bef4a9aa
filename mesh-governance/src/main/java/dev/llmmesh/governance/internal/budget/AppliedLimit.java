package dev.llmmesh.governance.internal.budget;

import dev.llmmesh.governance.budget.BudgetLimit;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One budget limit as it applies to one call now: its label, the counters of the current window and when it resets.
 *
 * @param limit      the configured limit
 * @param label      e.g. {@code team:search/day}; API keys appear by a prefix of their key id
 * @param usedKey    the counter of spend plus open reservations
 * @param spentKey   the counter of settled spend
 * @param limitNanos the limit in nano-dollars
 * @param resetsAt   when the window ends; empty for a total budget
 * @param ttl        how long a counter created now must live (the window plus a grace period for late settlements)
 */
public record AppliedLimit(BudgetLimit limit, String label, String usedKey, String spentKey, long limitNanos,
                           Optional<Instant> resetsAt, Duration ttl) {
}
