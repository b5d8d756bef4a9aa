package dev.llmmesh.internal;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmmesh.intercept.Interceptor;
import java.time.Clock;
import java.util.List;

/**
 * The call interceptors (governance, RAG, the application's own), in registration order, once per logical call: they
 * may answer themselves, or proceed (again, to re-ask), each time into route planning.
 */
final class GovernanceStage implements Stage<CallState> {
    private final List<Interceptor> interceptors;
    private final Clock clock;

    GovernanceStage(List<Interceptor> interceptors, Clock clock) {
        this.interceptors = interceptors;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "governance";
    }

    @Override
    public ChatResponse proceed(CallState x, Next<CallState> next) {
        RealChain chain = RealChain.callChain(interceptors, (c, r) -> next.proceed(x.routing(c, r)), x.request,
                x.context, x.deadline, x.scope, x.streaming(), clock);
        return chain.proceed(x.request);
    }
}
