package dev.llmmesh.agents.internal;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.CallContext;
import dev.llmmesh.Cost;
import dev.llmmesh.agents.AgentAttributes;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.routing.RouteFilter;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * Enforces an agent's cost cap per call on every hop: a model whose estimated cost for this request is above the
 * cap in {@link AgentAttributes#MAX_CALL_COST_USD} is not a candidate (nor a fallback). A model without a price is
 * refused when a cap is set: unknown is not cheap. Calls without the attribute are untouched.
 */
public final class MaxCallCostFilter implements RouteFilter {
    /** The policy id reported when a model is refused. */
    public static final String POLICY_ID = "agents.maxCostPerCall";

    @Override
    public Optional<String> reject(ModelDescriptor model, ChatRequest request, CallContext context) {
        String cap = context.attributes().get(AgentAttributes.MAX_CALL_COST_USD);
        if (cap == null) {
            return Optional.empty();
        }
        BigDecimal max;
        try {
            max = new BigDecimal(cap);
        } catch (NumberFormatException e) {
            return Optional.of("agent cost cap \"" + cap + "\" is not a number");
        }
        Optional<Cost> estimate = CostEstimate.of(request, model);
        if (estimate.isEmpty()) {
            return Optional.of("no price known; the agent caps a call at $" + max.toPlainString());
        }
        if (estimate.get().usd().compareTo(max) > 0) {
            return Optional.of("estimated " + estimate.get() + " above the agent's cap of $" + max.toPlainString()
                    + " per call");
        }
        return Optional.empty();
    }

    @Override
    public String policyId() {
        return POLICY_ID;
    }
}
