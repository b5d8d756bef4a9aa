package dev.llmmesh.spring.ai;

import dev.llmmesh.CallContext;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.api.CallAdvisor;
import org.springframework.ai.chat.client.advisor.api.CallAdvisorChain;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisor;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisorChain;
import org.springframework.core.Ordered;
import reactor.core.publisher.Flux;

/**
 * Gives a {@code ChatClient} call its caller's identity from advisor parameters:
 *
 * <pre>{@code
 * ChatClient client = ChatClient.builder(meshChatModel).defaultAdvisors(new MeshContextAdvisor()).build();
 * client.prompt().user(question)
 *       .advisors(a -> a.param(MeshSpringAi.TEAM, "search").param(MeshSpringAi.USER, userId))
 *       .call().content();
 * }</pre>
 *
 * {@link MeshSpringAi#TEAM}, {@link MeshSpringAi#USER} and {@link MeshSpringAi#TENANT} become the
 * {@link CallContext}'s team, user and tenant, laid over the context already bound to the thread. The context holds
 * for every model call of the request, tool-calling steps included: for {@code call()} it is bound to the thread, for
 * {@code stream()} it travels in the Reactor context. Runs first ({@link Ordered#HIGHEST_PRECEDENCE}); stateless and
 * thread-safe. The starter adds it to the application's {@code ChatClient.Builder} through a
 * {@code ChatClientCustomizer}.
 */
public final class MeshContextAdvisor implements CallAdvisor, StreamAdvisor {

    @Override
    public String getName() {
        return "llmmesh.context";
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public ChatClientResponse adviseCall(ChatClientRequest request, CallAdvisorChain chain) {
        CallContext context = contextOf(request.context());
        return context == null ? chain.nextCall(request) : context.call(() -> chain.nextCall(request));
    }

    @Override
    public Flux<ChatClientResponse> adviseStream(ChatClientRequest request, StreamAdvisorChain chain) {
        CallContext context = contextOf(request.context());
        if (context == null) {
            return chain.nextStream(request);
        }
        return chain.nextStream(request).contextWrite(c -> c.put(CallContext.class, context));
    }

    /** The context the request's parameters name, over the current one; {@code null} when they name nothing. */
    static @Nullable CallContext contextOf(Map<String, Object> params) {
        Object team = params.get(MeshSpringAi.TEAM);
        Object user = params.get(MeshSpringAi.USER);
        Object tenant = params.get(MeshSpringAi.TENANT);
        if (team == null && user == null && tenant == null) {
            return null;
        }
        CallContext.Builder b = CallContext.current().map(CallContext::toBuilder).orElseGet(CallContext::builder);
        if (team != null) {
            b.team(team.toString());
        }
        if (user != null) {
            b.user(user.toString());
        }
        if (tenant != null) {
            b.tenant(tenant.toString());
        }
        return b.build();
    }
}
