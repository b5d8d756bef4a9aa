package dev.llmmesh.internal;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.CallContext;
import dev.llmmesh.routing.RoutingDecision;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What travels down the call stages. The governance stage starts from the call as the application made it; each time
 * the call interceptors proceed (a re-ask proceeds again), routing starts over with a fresh state holding the call
 * chain as the interceptors left it. Used by the call's own thread only.
 */
final class CallState {
    final ChatRequest request;
    final CallContext context;
    final Instant deadline;
    final DefaultCallScope scope;
    final @Nullable StreamSink sink;
    private final @Nullable RealChain chain;
    /** Set by route planning. */
    @Nullable RoutingDecision decision;
    /** Set by route planning: the models to try, best first. */
    List<String> plan = List.of();
    /** The walk down the plan: what was tried and how it failed. */
    final Walk walk = new Walk();

    /** A call as the application made it. */
    CallState(ChatRequest request, CallContext context, Instant deadline, DefaultCallScope scope,
              @Nullable StreamSink sink) {
        this.request = request;
        this.context = context;
        this.deadline = deadline;
        this.scope = scope;
        this.sink = sink;
        this.chain = null;
    }

    private CallState(RealChain chain, ChatRequest request, @Nullable StreamSink sink) {
        this.request = request;
        this.context = chain.context();
        this.deadline = chain.deadline();
        this.scope = chain.call();
        this.sink = sink;
        this.chain = chain;
    }

    /** Routing of {@code request} as the call interceptors hand it on, on {@code chain}. */
    CallState routing(RealChain chain, ChatRequest request) {
        return new CallState(chain, request, sink);
    }

    /** The call chain after the call interceptors. */
    RealChain chain() {
        return Objects.requireNonNull(chain, "the call interceptors have not proceeded yet");
    }

    boolean streaming() {
        return sink != null;
    }

    RoutingDecision decision() {
        return Objects.requireNonNull(decision, "route planning has not run yet");
    }
}
