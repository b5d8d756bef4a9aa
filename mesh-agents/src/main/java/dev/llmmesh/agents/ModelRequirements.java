package dev.llmmesh.agents;

import dev.llmmesh.client.Capability;
import java.math.BigDecimal;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What an agent needs from the model that serves each of its steps. The runtime turns it into the call's
 * {@link dev.llmmesh.CallContext}: capabilities become required capabilities (the router filters on them), the cost
 * cap becomes an attribute that {@link AgentsPlugin}'s route filter enforces on every hop, and the output cap becomes
 * the request's {@code maxOutputTokens}.
 *
 * @param capabilities    capabilities every serving model must have ({@code tools} is added when the agent has tools)
 * @param maxCostPerCall  the most one step may cost, in USD, estimated before the call; empty for no cap
 * @param maxOutputTokens the output cap of each step; empty for the model's default
 */
public record ModelRequirements(Set<Capability> capabilities, Optional<BigDecimal> maxCostPerCall,
                                Optional<Integer> maxOutputTokens) {
    /** No requirement at all. */
    public static final ModelRequirements ANY = new ModelRequirements(Set.of(), Optional.empty(), Optional.empty());

    /**
     * @throws IllegalArgumentException if the cost cap is not positive or the output cap is below 1
     */
    public ModelRequirements {
        capabilities = capabilities.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(capabilities));
        Objects.requireNonNull(maxCostPerCall, "maxCostPerCall");
        Objects.requireNonNull(maxOutputTokens, "maxOutputTokens");
        maxCostPerCall.ifPresent(c -> {
            if (c.signum() <= 0) {
                throw new IllegalArgumentException("maxCostPerCall must be > 0 USD, got " + c);
            }
        });
        maxOutputTokens.ifPresent(t -> {
            if (t < 1) {
                throw new IllegalArgumentException("maxOutputTokens must be >= 1, got " + t);
            }
        });
    }
}
