package dev.llmmesh.internal;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmmesh.CallContext;
import dev.llmmesh.DeadlineExceededException;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.intercept.Interceptor;
import dev.llmmesh.intercept.StreamTransformer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The immutable, index-based interceptor chain (after OkHttp's {@code RealInterceptorChain}). {@link #proceed} builds
 * the chain at {@code index + 1}, so a call interceptor may proceed again (re-ask) safely. For attempt chains it
 * enforces "exactly one proceed" and names the interceptor that broke it; a {@code null} answer fails naming the
 * interceptor; the deadline is checked before each step.
 */
public final class RealChain implements Interceptor.Chain {

    /** What runs after the last interceptor. */
    @FunctionalInterface
    public interface Terminal {
        ChatResponse handle(RealChain chain, ChatRequest request);
    }

    /** Counts proceed calls on one chain position; shared by the {@code with…} copies of that position. */
    private static final class Counter {
        int calls;
    }

    private final List<Interceptor> interceptors;
    private final int index;
    private final Terminal terminal;
    private final boolean attemptLevel;
    private final ChatRequest request;
    private final CallContext context;
    private final @Nullable ModelDescriptor target;
    private final Instant deadline;
    private final List<StreamTransformer> transformers;
    private final DefaultCallScope scope;
    private final boolean streaming;
    private final Clock clock;
    private final Counter counter;

    private RealChain(List<Interceptor> interceptors, int index, Terminal terminal, boolean attemptLevel,
                      ChatRequest request, CallContext context, @Nullable ModelDescriptor target, Instant deadline,
                      List<StreamTransformer> transformers, DefaultCallScope scope, boolean streaming, Clock clock,
                      Counter counter) {
        this.interceptors = interceptors;
        this.index = index;
        this.terminal = terminal;
        this.attemptLevel = attemptLevel;
        this.request = request;
        this.context = context;
        this.target = target;
        this.deadline = deadline;
        this.transformers = transformers;
        this.scope = scope;
        this.streaming = streaming;
        this.clock = clock;
        this.counter = counter;
    }

    /** The first position of a call-level chain. */
    public static RealChain callChain(List<Interceptor> interceptors, Terminal terminal, ChatRequest request,
                                      CallContext context, Instant deadline, DefaultCallScope scope,
                                      boolean streaming, Clock clock) {
        return new RealChain(interceptors, 0, terminal, false, request, context, null, deadline, List.of(), scope,
                streaming, clock, new Counter());
    }

    /** The first position of an attempt-level chain on {@code target}, inheriting the call chain's state. */
    public RealChain attemptChain(List<Interceptor> attemptInterceptors, Terminal terminal, ModelDescriptor target) {
        return new RealChain(attemptInterceptors, 0, terminal, true, request, context, target, deadline,
                transformers, scope, streaming, clock, new Counter());
    }

    @Override
    public ChatRequest request() {
        return request;
    }

    @Override
    public CallContext context() {
        return context;
    }

    @Override
    public Optional<ModelDescriptor> target() {
        return Optional.ofNullable(target);
    }

    @Override
    public Instant deadline() {
        return deadline;
    }

    @Override
    public boolean streaming() {
        return streaming;
    }

    @Override
    public DefaultCallScope call() {
        return scope;
    }

    /** The stream transformers registered on the way here, outermost first. */
    public List<StreamTransformer> transformers() {
        return transformers;
    }

    @Override
    public ChatResponse proceed(ChatRequest request) {
        Objects.requireNonNull(request, "request");
        counter.calls++;
        if (attemptLevel && index > 0 && counter.calls > 1) {
            throw new IllegalStateException("attempt interceptor " + interceptors.get(index - 1).name()
                    + " must call proceed() exactly once");
        }
        if (!clock.instant().isBefore(deadline)) {
            throw new DeadlineExceededException(deadline, target == null ? null : target.id(), null);
        }
        if (index >= interceptors.size()) {
            RealChain here = request == this.request ? this : copy(index, request, context, deadline, transformers, counter);
            return terminal.handle(here, request);
        }
        RealChain next = copy(index + 1, request, context, deadline, transformers, new Counter());
        Interceptor interceptor = interceptors.get(index);
        ChatResponse response = interceptor.intercept(next);
        if (attemptLevel && next.counter.calls != 1) {
            throw new IllegalStateException("attempt interceptor " + interceptor.name()
                    + " must call proceed() exactly once, called it " + next.counter.calls + " time(s)");
        }
        if (response == null) {
            throw new NullPointerException("interceptor " + interceptor.name() + " returned null");
        }
        return response;
    }

    @Override
    public Interceptor.Chain withContext(CallContext context) {
        if (attemptLevel) {
            throw new IllegalStateException("attempt interceptors cannot change the call context");
        }
        return copy(index, request, Objects.requireNonNull(context, "context"), deadline, transformers, counter);
    }

    @Override
    public Interceptor.Chain withDeadline(Instant deadline) {
        Objects.requireNonNull(deadline, "deadline");
        Instant d = deadline.isBefore(this.deadline) ? deadline : this.deadline;
        return copy(index, request, context, d, transformers, counter);
    }

    @Override
    public Interceptor.Chain withStreamTransformer(StreamTransformer transformer) {
        Objects.requireNonNull(transformer, "transformer");
        List<StreamTransformer> list = new ArrayList<>(transformers.size() + 1);
        list.addAll(transformers);
        list.add(transformer);
        return copy(index, request, context, deadline, List.copyOf(list), counter);
    }

    private RealChain copy(int index, ChatRequest request, CallContext context, Instant deadline,
                           List<StreamTransformer> transformers, Counter counter) {
        return new RealChain(interceptors, index, terminal, attemptLevel, request, context, target, deadline,
                transformers, scope, streaming, clock, counter);
    }
}
