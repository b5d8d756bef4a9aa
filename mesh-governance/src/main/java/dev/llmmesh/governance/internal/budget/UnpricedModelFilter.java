package dev.llmmesh.governance.internal.budget;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.CallContext;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.routing.RouteFilter;
import java.util.Optional;

/**
 * Keeps models without a price away from calls a budget applies to, when budgets reject such models: their cost could
 * not be reserved, and an unknown cost is never free.
 */
public final class UnpricedModelFilter implements RouteFilter {
    private final LimitResolver resolver;

    public UnpricedModelFilter(LimitResolver resolver) {
        this.resolver = resolver;
    }

    @Override
    public Optional<String> reject(ModelDescriptor model, ChatRequest request, CallContext context) {
        if (model.pricing().isPresent() || !resolver.anyApplies(context)) {
            return Optional.empty();
        }
        return Optional.of("no price: a budget applies and budgets reject models without one (add pricing, or set "
                + "budgets.unpricedReservation)");
    }

    @Override
    public String policyId() {
        return WorstCaseEstimator.UNPRICED_POLICY;
    }
}
