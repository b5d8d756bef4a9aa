package dev.llmmesh.intercept;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmmesh.CallContext;
import dev.llmmesh.client.ModelDescriptor;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Observes, modifies or short-circuits a call. Register with
 * {@link dev.llmmesh.MeshBuilder#addCallInterceptor(Interceptor)} (once per logical call, before routing) or
 * {@link dev.llmmesh.MeshBuilder#addAttemptInterceptor(Interceptor)} (once per attempt on the chosen model).
 *
 * <p>Rules the chain enforces, naming the interceptor when broken:
 * <ul>
 *   <li>returning {@code null} fails with a {@link NullPointerException};</li>
 *   <li>an attempt interceptor that calls {@link Chain#proceed} twice fails with an {@link IllegalStateException};</li>
 *   <li>an attempt interceptor that does not call it at all fails likewise: attempts cannot be short-circuited.</li>
 * </ul>
 * Implementations must be thread-safe: one instance serves concurrent calls. Throw only unchecked exceptions,
 * preferably {@link dev.llmmesh.MeshException}s.
 */
@FunctionalInterface
public interface Interceptor {

    /** Handles the call: usually inspects or changes {@code chain.request()}, calls {@code proceed}, and returns. */
    ChatResponse intercept(Chain chain);

    /** The name used in error messages and traces; defaults to the class name. */
    default String name() {
        return getClass().getName();
    }

    /** An interceptor with an explicit name, for lambdas. */
    static Interceptor named(String name, Interceptor interceptor) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(interceptor, "interceptor");
        return new Interceptor() {
            @Override
            public ChatResponse intercept(Chain chain) {
                return interceptor.intercept(chain);
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    /**
     * The rest of the chain, as seen by one interceptor. Immutable: the {@code with…} methods return new chains,
     * so calling {@link #proceed} again (a re-ask) is safe.
     */
    interface Chain {
        /** The request as it reaches this interceptor. */
        ChatRequest request();

        /** Who is calling, under what constraints. */
        CallContext context();

        /** The model of this attempt; empty at call level, set for attempt interceptors. */
        Optional<ModelDescriptor> target();

        /** When the whole call must be done; every attempt and backoff fits before it. */
        Instant deadline();

        /** Whether the caller is streaming; partial text then flows through {@link StreamTransformer}s. */
        boolean streaming();

        /** The per-call state shared by interceptors: request id, attributes, citations, verdicts. */
        CallScope call();

        /**
         * Passes {@code request} to the next interceptor (or the router, or the model) and returns its answer.
         *
         * @throws dev.llmmesh.MeshException whatever the rest of the chain threw
         */
        ChatResponse proceed(ChatRequest request);

        /** A chain whose later steps see {@code context}. */
        Chain withContext(CallContext context);

        /** A chain whose later steps must finish by {@code deadline} (only ever earlier than the current one). */
        Chain withDeadline(Instant deadline);

        /**
         * A chain whose streamed partial text passes through {@code transformer} on its way to the caller (for
         * example to restore redacted values across chunk boundaries). Has no effect on non-streaming calls.
         */
        Chain withStreamTransformer(StreamTransformer transformer);
    }
}
