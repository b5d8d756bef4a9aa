package dev.llmmesh.governance.budget;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Where one budget stands for one subject now.
 *
 * @param scope    the scope label, e.g. {@code team:search/day}
 * @param limit    the limit
 * @param limitUsd the limit in USD
 * @param usedUsd  what counts against the limit: settled spend plus open reservations
 * @param spentUsd the settled spend of this window
 * @param resetsAt when the window ends; empty for a {@link BudgetWindow#TOTAL} budget
 */
public record BudgetStatus(String scope, BudgetLimit limit, BigDecimal limitUsd, BigDecimal usedUsd,
                           BigDecimal spentUsd, Optional<Instant> resetsAt) {
    public BudgetStatus {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(limitUsd, "limitUsd");
        Objects.requireNonNull(usedUsd, "usedUsd");
        Objects.requireNonNull(spentUsd, "spentUsd");
        Objects.requireNonNull(resetsAt, "resetsAt");
    }

    /** Open reservations: calls admitted and not yet settled. */
    public BigDecimal reservedUsd() {
        return usedUsd.subtract(spentUsd);
    }

    /** What is left in this window (never negative). */
    public BigDecimal remainingUsd() {
        BigDecimal r = limitUsd.subtract(usedUsd);
        return r.signum() < 0 ? BigDecimal.ZERO : r;
    }
}
