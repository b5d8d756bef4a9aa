package dev.llmmesh.governance.budget;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * The worst-case cost a call reserves at admission: estimated input tokens plus the output-token allowance, at the
 * highest input price and the highest output-or-reasoning price among the models the call may be routed to, doubled
 * when the mesh hedges (both hedged attempts are billed).
 *
 * @param usd             the amount reserved, in USD
 * @param inputTokens     the estimated input tokens
 * @param outputTokens    the output allowance of the most expensive candidate ({@code max_tokens}, the team's clamp or
 *                        the model's maximum output)
 * @param worstModel      the candidate that set the amount; empty when no candidate can serve the call
 * @param defaultReserved whether the amount is the configured reservation for a model without a price
 */
public record CostEstimate(BigDecimal usd, long inputTokens, long outputTokens, Optional<String> worstModel,
                           boolean defaultReserved) {
    public CostEstimate {
        Objects.requireNonNull(usd, "usd");
        Objects.requireNonNull(worstModel, "worstModel");
        if (usd.signum() < 0) {
            throw new IllegalArgumentException("estimate must not be negative, got " + usd);
        }
    }
}
