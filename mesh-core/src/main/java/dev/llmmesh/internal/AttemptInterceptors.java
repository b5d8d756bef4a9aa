package dev.llmmesh.internal;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmmesh.intercept.Interceptor;
import java.util.List;

/**
 * The attempt interceptors (per-model policy, rate limits, the application's own), in registration order, on an
 * attempt chain whose target is this attempt's model: each must proceed exactly once.
 */
final class AttemptInterceptors implements Stage<AttemptState> {
    private final List<Interceptor> interceptors;

    AttemptInterceptors(List<Interceptor> interceptors) {
        this.interceptors = interceptors;
    }

    @Override
    public String name() {
        return "attempt interceptors";
    }

    @Override
    public ChatResponse proceed(AttemptState a, Next<AttemptState> next) {
        RealChain chain = a.call.chain().attemptChain(interceptors, (c, r) -> {
            a.chain = c;
            a.request = r;
            return next.proceed(a);
        }, a.model);
        return chain.proceed(a.call.request);
    }
}
