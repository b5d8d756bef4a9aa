package dev.llmmesh.governance.internal.budget;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.governance.budget.BudgetConfig;
import dev.llmmesh.intercept.Interceptor;
import java.util.Optional;

/**
 * Per attempt: when the team has an output-token cap, a request with no {@code max_tokens} (or a larger one) is sent
 * with the cap, or the chosen model's maximum output if that is smaller. This is what makes a clamped reservation a
 * true worst case. Done per attempt because the cap must not exceed the model actually called.
 */
public final class OutputClampInterceptor implements Interceptor {
    private final BudgetConfig config;

    public OutputClampInterceptor(BudgetConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "budgets.maxOutputTokens";
    }

    @Override
    public ChatResponse intercept(Chain chain) {
        ChatRequest request = chain.request();
        Optional<Integer> cap = config.maxOutputTokensFor(chain.context().team());
        Optional<ModelDescriptor> target = chain.target();
        if (cap.isPresent() && target.isPresent()) {
            int limit = Math.min(cap.get(), target.get().maxOutputTokens());
            Integer asked = request.maxOutputTokens();
            if (asked == null || asked > limit) {
                request = request.toBuilder().parameters(request.parameters()
                        .overrideWith(ChatRequestParameters.builder().maxOutputTokens(limit).build())).build();
            }
        }
        return chain.proceed(request);
    }
}
