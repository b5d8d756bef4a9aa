package dev.llmmesh.providers.internal;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.llmmesh.ErrorKind;
import dev.llmmesh.MeshException;
import dev.llmmesh.MeshInternalException;
import dev.llmmesh.RetryableException;
import dev.llmmesh.Secret;
import dev.llmmesh.client.ModelDescriptor;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.List;
import java.util.ArrayList;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every provider client does around its chat model, whatever the provider: replaces the request's model name with
 * the deployment's, binds a {@link ProviderCall} (deadline, cancellation, usage tap), normalises usage, classifies
 * every failure with {@link ProviderErrors}, and turns langchain4j's streaming callbacks into the {@code LlmClient}
 * contract: partial text and tool calls as they come, then exactly one of complete or error, nothing after a cancel; a
 * stream that ends without a finish reason, or whose transport ends while no terminal callback came, is an error
 * ({@link ErrorKind#CONNECTION}), never a clean end. An answer with no content and finish reason {@code length}
 * (all output tokens went to reasoning) is returned as such, with a WARN log naming the model, never silently.
 *
 * <p>Owns a daemon thread pool for HTTP I/O, released by {@link #close()}. Thread-safe.
 */
public final class ClientRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClientRuntime.class);

    private final ModelDescriptor descriptor;
    private final WireProtocol protocol;
    private final Optional<Secret> apiKey;
    private final Clock clock;
    private final UsageAccounting usage;
    private final ExecutorService executor;
    private final AtomicLong calls = new AtomicLong();
    private final HttpLimits limits;

    /**
     * @param descriptor the deployment
     * @param protocol   the provider's error dialect
     * @param apiKey     the key, for scrubbing echoes of it out of messages
     * @param clock      what {@code Retry-After} dates are measured against
     * @param usage      how the provider's usage is normalised
     */
    public ClientRuntime(ModelDescriptor descriptor, WireProtocol protocol, Optional<Secret> apiKey, Clock clock,
                         UsageAccounting usage) {
        this(descriptor, protocol, apiKey, clock, usage, new HttpLimits(descriptor.id(),
                HttpLimits.DEFAULTS.hostRules(), HttpLimits.DEFAULT_MAX_RESPONSE_BYTES));
    }

    /**
     * As {@link #ClientRuntime(ModelDescriptor, WireProtocol, Optional, Clock, UsageAccounting)}, every exchange
     * running under {@code limits}.
     */
    public ClientRuntime(ModelDescriptor descriptor, WireProtocol protocol, Optional<Secret> apiKey, Clock clock,
                         UsageAccounting usage, HttpLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.descriptor = Objects.requireNonNull(descriptor, "descriptor");
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.usage = Objects.requireNonNull(usage, "usage");
        this.executor = new IoPool("mesh-" + descriptor.provider() + "-" + descriptor.id() + "-");
    }

    /** The pool the client's HTTP I/O runs on. */
    public ExecutorService executor() {
        return executor;
    }

    public ModelDescriptor descriptor() {
        return descriptor;
    }

    /**
     * Runs one blocking call through {@code model}, bounded by {@code timeout} when given.
     *
     * @throws MeshException classified
     */
    public ChatResponse chat(ChatRequest request, @Nullable Duration timeout, Function<ChatRequest, ChatResponse> model) {
        Objects.requireNonNull(request, "request");
        requireOpen();
        ProviderCall call = (timeout == null ? ProviderCall.unbounded() : ProviderCall.bounded(timeout)).limits(limits);
        UsageAccounting.Session session = usage.start();
        call.tap(session);
        ChatRequest prepared = forThisModel(request);
        long number = calls.incrementAndGet();
        try {
            ChatResponse response = call.bind(() -> model.apply(prepared));
            return finish(response, session, number);
        } catch (RuntimeException e) {
            throw classify(e, call);
        }
    }

    /**
     * Runs one streaming call through {@code model}, which must call the HTTP client on this thread.
     */
    public StreamingHandle stream(ChatRequest request, StreamingChatResponseHandler handler,
                                  BiConsumer<ChatRequest, StreamingChatResponseHandler> model) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(handler, "handler");
        UsageAccounting.Session session = usage.start();
        ProviderCall call = ProviderCall.unbounded().tap(session).limits(limits);
        StreamCall stream = new StreamCall(handler, call, session);
        call.onTransportEnd(stream::transportEnded);
        if (executor.isShutdown()) {
            stream.onError(closedError());
            return stream.handle;
        }
        try {
            ChatRequest prepared = forThisModel(request);
            call.bind(() -> {
                model.accept(prepared, stream);
                return null;
            });
        } catch (RuntimeException e) {
            stream.onError(e);
        }
        return stream.handle;
    }

    /** The mesh exception for a failure of this deployment. */
    public MeshException classify(Throwable error, @Nullable ProviderCall call) {
        return ProviderErrors.classify(error, descriptor.id(), clock, apiKey, protocol, call);
    }

    /**
     * Stops the HTTP thread pool and lets go of the HTTP clients built on it (their selector threads and keep-alive
     * connections end); calls in flight fail or are abandoned. Idempotent.
     */
    @Override
    public void close() {
        executor.shutdownNow();
    }

    public boolean isClosed() {
        return executor.isShutdown();
    }

    public void requireOpen() {
        if (executor.isShutdown()) {
            throw closedError();
        }
    }

    private MeshException closedError() {
        return new MeshInternalException(ErrorKind.INTERNAL, descriptor.id() + ": client is closed", null);
    }

    /** The request with this deployment's model name, whatever name the caller used. */
    public ChatRequest forThisModel(ChatRequest request) {
        ChatRequestParameters parameters = request.parameters();
        if (parameters != null && descriptor.modelName().equals(parameters.modelName())) {
            return request;
        }
        ChatRequestParameters model = ChatRequestParameters.builder().modelName(descriptor.modelName()).build();
        return request.toBuilder()
                .parameters(parameters == null ? model : parameters.overrideWith(model))
                .build();
    }

    private ChatResponse finish(ChatResponse response, UsageAccounting.Session session, long number) {
        TokenUsage reported = response.tokenUsage();
        TokenUsage normalised = session.usage(reported);
        ChatResponse out = response;
        if (normalised != null && normalised != reported) {
            out = response.toBuilder().metadata(response.metadata().toBuilder().tokenUsage(normalised).build()).build();
        }
        if (out.aiMessage() != null && out.aiMessage().hasToolExecutionRequests()) {
            List<ToolExecutionRequest> requests = out.aiMessage().toolExecutionRequests();
            List<ToolExecutionRequest> withIds = new ArrayList<>(requests.size());
            boolean changed = false;
            for (int i = 0; i < requests.size(); i++) {
                ToolExecutionRequest r = requests.get(i);
                if (r.id() == null || r.id().isBlank()) {
                    r = r.toBuilder().id(toolCallId(number, i)).build();
                    changed = true;
                }
                withIds.add(r);
            }
            if (changed) {
                out = out.toBuilder().aiMessage(out.aiMessage().toBuilder().toolExecutionRequests(withIds).build())
                        .build();
            }
        }
        if (out.finishReason() == FinishReason.LENGTH && (out.aiMessage() == null
                || (out.aiMessage().text() == null || out.aiMessage().text().isEmpty())
                && !out.aiMessage().hasToolExecutionRequests())) {
            LOG.warn("{}: the answer is empty and was cut at the output token limit (finish reason length); "
                    + "reasoning models can spend every output token on reasoning: raise maxOutputTokens",
                    descriptor.id());
        }
        return out;
    }

    /**
     * The id given to a tool call the provider sent without one (Gemini, Ollama): unique per client, the same in the
     * streamed {@code onCompleteToolCall} and in the final response, so tool results can answer it by id.
     */
    private String toolCallId(long call, int index) {
        return "call_" + descriptor.id() + "_" + call + "_" + index;
    }

    /** One streaming call: forwards callbacks, guarantees one terminal callback, maps errors, supports cancel. */
    private final class StreamCall implements StreamingChatResponseHandler {
        private final StreamingChatResponseHandler handler;
        private final ProviderCall call;
        private final UsageAccounting.Session session;
        private final long number = calls.incrementAndGet();
        private final AtomicBoolean terminated = new AtomicBoolean();
        private final AtomicInteger chunks = new AtomicInteger();
        private volatile @Nullable StreamingHandle upstream;
        final StreamingHandle handle = new StreamingHandle() {
            @Override
            public void cancel() {
                call.cancel();
                StreamingHandle u = upstream;
                if (u != null) {
                    try {
                        u.cancel();
                    } catch (RuntimeException e) {
                        // the exchange is already aborted
                    }
                }
            }

            @Override
            public boolean isCancelled() {
                return call.isCancelled();
            }
        };
        private final PartialResponseContext context = new PartialResponseContext(handle);

        StreamCall(StreamingChatResponseHandler handler, ProviderCall call, UsageAccounting.Session session) {
            this.handler = handler;
            this.call = call;
            this.session = session;
        }

        private boolean silent() {
            return terminated.get() || call.isCancelled();
        }

        @Override
        public void onPartialResponse(String text) {
            onPartialResponse(new PartialResponse(text), null);
        }

        @Override
        public void onPartialResponse(PartialResponse partial, @Nullable PartialResponseContext upstreamContext) {
            if (upstreamContext != null) {
                upstream = upstreamContext.streamingHandle();
            }
            if (silent() || partial.text() == null || partial.text().isEmpty()) {
                return;
            }
            chunks.incrementAndGet();
            handler.onPartialResponse(partial, context);
        }

        @Override
        public void onPartialThinking(PartialThinking thinking) {
            if (!silent()) {
                handler.onPartialThinking(thinking);
            }
        }

        @Override
        public void onPartialThinking(PartialThinking thinking, PartialThinkingContext ctx) {
            onPartialThinking(thinking);
        }

        @Override
        public void onPartialToolCall(PartialToolCall partial) {
            if (!silent()) {
                handler.onPartialToolCall(partial);
            }
        }

        @Override
        public void onPartialToolCall(PartialToolCall partial, PartialToolCallContext ctx) {
            onPartialToolCall(partial);
        }

        @Override
        public void onCompleteToolCall(CompleteToolCall complete) {
            if (silent()) {
                return;
            }
            ToolExecutionRequest r = complete.toolExecutionRequest();
            if (r != null && (r.id() == null || r.id().isBlank())) {
                complete = new CompleteToolCall(complete.index(), r.toBuilder().id(toolCallId(number,
                        complete.index())).build());
            }
            handler.onCompleteToolCall(complete);
        }

        @Override
        public void onCompleteResponse(ChatResponse response) {
            if (call.isCancelled() || !terminated.compareAndSet(false, true)) {
                return;
            }
            if (response.finishReason() == null) {
                handler.onError(new RetryableException(ErrorKind.CONNECTION, descriptor.id() + ": stream ended after "
                        + chunks.get() + " chunk(s) without a finish reason", descriptor.id(), null, null));
                return;
            }
            ChatResponse finished;
            try {
                finished = finish(response, session, number);
            } catch (RuntimeException e) {
                handler.onError(classify(e, call));
                return;
            }
            handler.onCompleteResponse(finished);
        }

        @Override
        public void onError(Throwable error) {
            if (call.isCancelled() || !terminated.compareAndSet(false, true)) {
                return;
            }
            handler.onError(classify(error, call));
        }

        /** The response body ended (or failed) and every parser callback has run. */
        void transportEnded(@Nullable Throwable error) {
            if (call.isCancelled() || terminated.get()) {
                return;
            }
            onError(error != null ? error : new RetryableException(ErrorKind.CONNECTION, descriptor.id()
                    + ": stream ended after " + chunks.get() + " chunk(s) without a final answer", descriptor.id(),
                    null, null));
        }
    }
}
