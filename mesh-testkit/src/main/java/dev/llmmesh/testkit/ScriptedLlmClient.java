package dev.llmmesh.testkit;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.llmmesh.ContextLengthExceededException;
import dev.llmmesh.ErrorKind;
import dev.llmmesh.MeshException;
import dev.llmmesh.NonRetryableException;
import dev.llmmesh.RetryableException;
import dev.llmmesh.client.Capability;
import dev.llmmesh.client.ErrorClassifier;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.client.ModelDescriptor;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * An in-process, deterministic {@link LlmClient} whose every call follows a script: a queue of {@link Step}s, one per
 * call in arrival order, then a default step for every call after the queue is empty.
 *
 * <pre>{@code
 * ManualClock clock = new ManualClock();
 * ScriptedLlmClient primary = ScriptedLlmClient.builder("primary")
 *     .clock(clock)
 *     .thenFail(ErrorKind.RATE_LIMITED, Duration.ofSeconds(30))   // first call: 429 with Retry-After 30 s
 *     .then(Step.answer("slow").latency(Duration.ofSeconds(2)))   // second call: answers, the clock moves 2 s
 *     .answer("hello")                                            // every later call
 *     .build();
 * Mesh mesh = Mesh.builder().clock(clock).addModel(primary).build();
 * ...
 * assertThat(primary.calls()).isEqualTo(3);
 * }</pre>
 *
 * <p>What a step can do: answer with text (with token usage: whitespace-separated words of the request's messages in,
 * words of the answer out, unless {@link Step#tokens(int, int)} says otherwise), answer with tool calls, fail with a
 * {@link MeshException} (given, or built from an {@link ErrorKind} or an HTTP status as a provider client would
 * classify it), take time (by advancing the injected {@link ManualClock}; nothing sleeps), and for streaming calls
 * split the answer into chunks and optionally cut the stream with an error after some of them.
 *
 * <p>{@link #stream} runs on the caller's thread and returns after the last callback, so tests need no waiting. A
 * handler that cancels the stream from a callback receives no further callbacks.
 *
 * <p>Thread-safe: concurrent calls each take the next step from the queue; {@link #calls()} and {@link #requests()}
 * see every call that has started. Steps may be added with {@link #enqueue(Step...)} while calls are running.
 */
public final class ScriptedLlmClient implements LlmClient {
    private final ModelDescriptor descriptor;
    private final @Nullable ManualClock clock;
    private final @Nullable Duration defaultLatency;
    private final Deque<Step> queue;
    private final List<ChatRequest> requests = new ArrayList<>();
    private Step defaultStep;
    private boolean closed;

    private ScriptedLlmClient(Builder b) {
        this.descriptor = b.descriptor;
        this.clock = b.clock;
        this.defaultLatency = b.latency;
        this.queue = new ArrayDeque<>(b.queue);
        this.defaultStep = b.defaultStep != null ? b.defaultStep
                : Step.answer("answer from " + b.descriptor.id());
    }

    /**
     * A builder for a client with a descriptor of the given id: provider {@code scripted}, model name = id,
     * capabilities chat, streaming and tools, the {@link ModelDescriptor.Builder} defaults otherwise.
     *
     * @throws IllegalArgumentException if {@code id} is blank
     */
    public static Builder builder(String id) {
        return new Builder(ModelDescriptor.builder(id, "scripted", id)
                .capabilities(Capability.CHAT, Capability.STREAMING, Capability.TOOLS).build());
    }

    /** A builder for a client that presents {@code descriptor} to the mesh. */
    public static Builder builder(ModelDescriptor descriptor) {
        return new Builder(Objects.requireNonNull(descriptor, "descriptor"));
    }

    /**
     * Appends steps to the queue.
     *
     * @throws IllegalStateException if a step takes time and this client has no {@link ManualClock}
     */
    public ScriptedLlmClient enqueue(Step... steps) {
        for (Step s : steps) {
            requireClockFor(Objects.requireNonNull(s, "step"), clock);
        }
        synchronized (this) {
            queue.addAll(Arrays.asList(steps));
        }
        return this;
    }

    /**
     * Replaces the step used once the queue is empty.
     *
     * @throws IllegalStateException if the step takes time and this client has no {@link ManualClock}
     */
    public ScriptedLlmClient setDefault(Step step) {
        requireClockFor(Objects.requireNonNull(step, "step"), clock);
        synchronized (this) {
            this.defaultStep = step;
        }
        return this;
    }

    /** How many calls ({@code chat} and {@code stream}) have started. */
    public synchronized int calls() {
        return requests.size();
    }

    /** Every request received, in arrival order. A snapshot. */
    public synchronized List<ChatRequest> requests() {
        return List.copyOf(requests);
    }

    /** The most recent request; empty before the first call. */
    public synchronized Optional<ChatRequest> lastRequest() {
        return requests.isEmpty() ? Optional.empty() : Optional.of(requests.get(requests.size() - 1));
    }

    /** How many queued steps have not been used yet. */
    public synchronized int pendingSteps() {
        return queue.size();
    }

    /** Whether {@link #close()} has been called. */
    public synchronized boolean isClosed() {
        return closed;
    }

    @Override
    public ModelDescriptor descriptor() {
        return descriptor;
    }

    /**
     * Runs the next step: returns its answer or throws its failure. A step that cuts streams fails non-streaming calls
     * with the same error, since the answer never completes.
     */
    @Override
    public ChatResponse chat(ChatRequest request) {
        Objects.requireNonNull(request, "request");
        Call call = begin(request);
        Step step = call.step;
        if (step.failure != null) {
            throw step.failure.apply(descriptor.id());
        }
        if (step.cutAfter >= 0) {
            throw step.cutError.apply(descriptor.id());
        }
        return call.response;
    }

    @Override
    public StreamingHandle stream(ChatRequest request, StreamingChatResponseHandler handler) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(handler, "handler");
        AtomicBoolean cancelled = new AtomicBoolean();
        StreamingHandle handle = new StreamingHandle() {
            @Override
            public void cancel() {
                cancelled.set(true);
            }

            @Override
            public boolean isCancelled() {
                return cancelled.get();
            }
        };
        Call call;
        try {
            call = begin(request);
        } catch (RuntimeException e) {
            handler.onError(e);
            return handle;
        }
        Step step = call.step;
        if (step.failure != null) {
            handler.onError(step.failure.apply(descriptor.id()));
            return handle;
        }
        AiMessage message = call.response.aiMessage();
        String text = message.text() == null ? "" : message.text();
        List<String> chunks = Texts.split(text, step.chunks);
        PartialResponseContext context = new PartialResponseContext(handle);
        int sent = 0;
        for (String chunk : chunks) {
            if (step.cutAfter >= 0 && sent >= step.cutAfter) {
                break;
            }
            if (cancelled.get()) {
                return handle;
            }
            handler.onPartialResponse(new PartialResponse(chunk), context);
            sent++;
        }
        if (cancelled.get()) {
            return handle;
        }
        if (step.cutAfter >= 0) {
            handler.onError(step.cutError.apply(descriptor.id()));
            return handle;
        }
        if (message.hasToolExecutionRequests()) {
            List<ToolExecutionRequest> calls = message.toolExecutionRequests();
            for (int i = 0; i < calls.size() && !cancelled.get(); i++) {
                handler.onCompleteToolCall(new CompleteToolCall(i, calls.get(i)));
            }
        }
        if (!cancelled.get()) {
            handler.onCompleteResponse(call.response);
        }
        return handle;
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "ScriptedLlmClient[" + descriptor.id() + ", calls=" + calls() + "]";
    }

    private record Call(Step step, ChatResponse response) {
    }

    private Call begin(ChatRequest request) {
        Step step;
        int number;
        synchronized (this) {
            requests.add(request);
            number = requests.size();
            Step next = queue.poll();
            step = next != null ? next : defaultStep;
        }
        Duration latency = step.latency != null ? step.latency : defaultLatency;
        if (latency != null && clock != null) {
            clock.advance(latency);
        }
        if (step.failure != null) {
            return new Call(step, placeholder());
        }
        return new Call(step, respond(step, request, number));
    }

    private ChatResponse placeholder() {
        return ChatResponse.builder().aiMessage(AiMessage.from("")).build();
    }

    private ChatResponse respond(Step step, ChatRequest request, int number) {
        AiMessage message;
        int out;
        if (!step.toolCalls.isEmpty()) {
            message = AiMessage.from(step.toolCalls);
            out = 0;
            for (ToolExecutionRequest r : step.toolCalls) {
                out += Texts.words(r.name()) + Texts.words(r.arguments());
            }
        } else {
            String text = Objects.requireNonNull(step.text).apply(request);
            if (text == null) {
                throw new IllegalStateException("the answer function of a step for " + descriptor.id()
                        + " returned null; return a string");
            }
            message = AiMessage.from(text);
            out = Texts.words(text);
        }
        TokenUsage usage = step.inputTokens >= 0
                ? new TokenUsage(step.inputTokens, step.outputTokens)
                : new TokenUsage(Texts.words(request.messages()), out);
        FinishReason finish = step.finishReason != null ? step.finishReason
                : step.toolCalls.isEmpty() ? FinishReason.STOP : FinishReason.TOOL_EXECUTION;
        return ChatResponse.builder()
                .aiMessage(message)
                .id(descriptor.id() + "-" + number)
                .modelName(descriptor.modelName())
                .tokenUsage(usage)
                .finishReason(finish)
                .build();
    }

    private static void requireClockFor(Step step, @Nullable ManualClock clock) {
        if (step.latency != null && clock == null) {
            throw new IllegalStateException("a step with latency " + step.latency + " needs a ManualClock to advance;"
                    + " call clock(ManualClock) on the builder");
        }
    }

    /**
     * What one call does. Immutable: the modifiers ({@link #latency(Duration)}, {@link #tokens(int, int)},
     * {@link #chunks(int)}, {@link #cutAfter(int)}, …) return a new step. Thread-safe; one step may be enqueued many
     * times and in many clients.
     */
    public static final class Step {
        private static final Set<ErrorKind> PROVIDER_KINDS = EnumSet.of(ErrorKind.RATE_LIMITED, ErrorKind.OVERLOADED,
                ErrorKind.TIMEOUT, ErrorKind.SERVER_ERROR, ErrorKind.CONNECTION, ErrorKind.MALFORMED_RESPONSE,
                ErrorKind.BAD_REQUEST, ErrorKind.AUTHENTICATION, ErrorKind.NOT_FOUND, ErrorKind.CONTENT_POLICY,
                ErrorKind.QUOTA_EXHAUSTED, ErrorKind.CONTEXT_LENGTH);

        private final @Nullable Function<ChatRequest, String> text;
        private final List<ToolExecutionRequest> toolCalls;
        private final @Nullable Function<String, MeshException> failure;
        private final @Nullable Duration latency;
        private final int inputTokens;
        private final int outputTokens;
        private final @Nullable FinishReason finishReason;
        private final int chunks;
        private final int cutAfter;
        private final Function<String, MeshException> cutError;

        private Step(@Nullable Function<ChatRequest, String> text, List<ToolExecutionRequest> toolCalls,
                     @Nullable Function<String, MeshException> failure, @Nullable Duration latency, int inputTokens,
                     int outputTokens, @Nullable FinishReason finishReason, int chunks, int cutAfter,
                     Function<String, MeshException> cutError) {
            this.text = text;
            this.toolCalls = List.copyOf(toolCalls);
            this.failure = failure;
            this.latency = latency;
            this.inputTokens = inputTokens;
            this.outputTokens = outputTokens;
            this.finishReason = finishReason;
            this.chunks = chunks;
            this.cutAfter = cutAfter;
            this.cutError = cutError;
        }

        private static Step of(@Nullable Function<ChatRequest, String> text, List<ToolExecutionRequest> toolCalls,
                               @Nullable Function<String, MeshException> failure) {
            return new Step(text, toolCalls, failure, null, -1, -1, null, 0, -1, Step::connectionCut);
        }

        private static MeshException connectionCut(String modelId) {
            return new RetryableException(ErrorKind.CONNECTION, modelId + ": stream cut by the script",
                    modelId, null, null);
        }

        /** Answers with {@code text}. */
        public static Step answer(String text) {
            Objects.requireNonNull(text, "text");
            return of(r -> text, List.of(), null);
        }

        /** Answers with whatever {@code answer} returns for the request (it must not return null). */
        public static Step answers(Function<ChatRequest, String> answer) {
            return of(Objects.requireNonNull(answer, "answer"), List.of(), null);
        }

        /**
         * Answers with tool calls (finish reason {@link FinishReason#TOOL_EXECUTION}).
         *
         * @throws IllegalArgumentException if no call is given
         */
        public static Step toolCalls(ToolExecutionRequest... calls) {
            if (calls.length == 0) {
                throw new IllegalArgumentException("toolCalls needs at least one ToolExecutionRequest");
            }
            return of(null, Arrays.asList(calls), null);
        }

        /** Fails by throwing {@code error} itself (the same instance on every use). */
        public static Step fail(MeshException error) {
            Objects.requireNonNull(error, "error");
            return of(null, List.of(), id -> error);
        }

        /**
         * Fails as a provider client would for {@code kind}: a {@link RetryableException} for retryable kinds, a
         * {@link ContextLengthExceededException} for {@link ErrorKind#CONTEXT_LENGTH}, a {@link NonRetryableException}
         * otherwise. A new exception on every use.
         *
         * @throws IllegalArgumentException if {@code kind} is not something a provider call fails with (policy,
         *                                  budget, routing, deadline, cancellation, internal, stream truncation: those
         *                                  are the mesh's own; pass the exception to {@link #fail(MeshException)})
         */
        public static Step fail(ErrorKind kind) {
            return failWith(kind, null);
        }

        /**
         * As {@link #fail(ErrorKind)} with a {@code Retry-After} hint, e.g. {@code fail(RATE_LIMITED, 30s)}.
         *
         * @throws IllegalArgumentException if {@code kind} is not retryable (only retryable failures carry a hint) or
         *                                  {@code retryAfter} is negative
         */
        public static Step fail(ErrorKind kind, Duration retryAfter) {
            Objects.requireNonNull(retryAfter, "retryAfter");
            if (!kind.retryable()) {
                throw new IllegalArgumentException("only retryable kinds carry a Retry-After hint; " + kind
                        + " is not retryable");
            }
            if (retryAfter.isNegative()) {
                throw new IllegalArgumentException("retryAfter must be >= 0, got " + retryAfter);
            }
            return failWith(kind, retryAfter);
        }

        /**
         * Fails as core's {@link ErrorClassifier#fromStatus} classifies HTTP {@code status} with an error body
         * {@code body} (used for hints such as {@code insufficient_quota} or {@code context_length_exceeded}).
         *
         * @throws IllegalArgumentException if {@code status} is not an HTTP error status (400..599)
         */
        public static Step failWithStatus(int status, String body) {
            Objects.requireNonNull(body, "body");
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("status must be an HTTP error status in [400, 599], got " + status);
            }
            String lower = body.toLowerCase(Locale.ROOT);
            return of(null, List.of(), id -> ErrorClassifier.fromStatus(status, id, lower, null));
        }

        /** As {@link #failWithStatus(int, String)} with an empty body. */
        public static Step failWithStatus(int status) {
            return failWithStatus(status, "");
        }

        private static Step failWith(ErrorKind kind, @Nullable Duration retryAfter) {
            Objects.requireNonNull(kind, "kind");
            if (!PROVIDER_KINDS.contains(kind)) {
                throw new IllegalArgumentException(kind + " is not a provider failure; expected one of "
                        + PROVIDER_KINDS.stream().map(Enum::name).collect(Collectors.joining(", "))
                        + ", or pass the exception itself to fail(MeshException)");
            }
            return of(null, List.of(), id -> exceptionFor(kind, id, retryAfter));
        }

        private static MeshException exceptionFor(ErrorKind kind, String modelId, @Nullable Duration retryAfter) {
            String message = modelId + ": scripted " + kind.code();
            if (kind == ErrorKind.CONTEXT_LENGTH) {
                return new ContextLengthExceededException(message, modelId, null);
            }
            if (kind.retryable()) {
                return new RetryableException(kind, message, modelId, retryAfter, null);
            }
            return new NonRetryableException(kind, message, modelId, null);
        }

        /**
         * This step, taking {@code latency}: the client's {@link ManualClock} advances by it when the call starts.
         *
         * @throws IllegalArgumentException if {@code latency} is negative
         */
        public Step latency(Duration latency) {
            Objects.requireNonNull(latency, "latency");
            if (latency.isNegative()) {
                throw new IllegalArgumentException("latency must be >= 0, got " + latency);
            }
            return new Step(text, toolCalls, failure, latency, inputTokens, outputTokens, finishReason, chunks,
                    cutAfter, cutError);
        }

        /**
         * This step, reporting the given token usage instead of counting words.
         *
         * @throws IllegalArgumentException if a count is negative
         */
        public Step tokens(int input, int output) {
            if (input < 0 || output < 0) {
                throw new IllegalArgumentException("token counts must be >= 0, got input=" + input + ", output="
                        + output);
            }
            return new Step(text, toolCalls, failure, latency, input, output, finishReason, chunks, cutAfter,
                    cutError);
        }

        /** This step, answering with {@code reason} (default: stop, or tool execution for tool calls). */
        public Step finishReason(FinishReason reason) {
            return new Step(text, toolCalls, failure, latency, inputTokens, outputTokens,
                    Objects.requireNonNull(reason, "reason"), chunks, cutAfter, cutError);
        }

        /**
         * This step, streaming its text in {@code n} chunks split at word boundaries (default: one chunk per word;
         * fewer chunks when the text has fewer words).
         *
         * @throws IllegalArgumentException if {@code n < 1}
         */
        public Step chunks(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("chunks must be >= 1, got " + n);
            }
            return new Step(text, toolCalls, failure, latency, inputTokens, outputTokens, finishReason, n, cutAfter,
                    cutError);
        }

        /**
         * This step, cutting a stream after {@code k} chunks with a retryable {@link ErrorKind#CONNECTION} error
         * (no finish reason, no complete response).
         *
         * @throws IllegalArgumentException if {@code k < 0}
         */
        public Step cutAfter(int k) {
            return cutAfter(k, Step::connectionCut);
        }

        /**
         * This step, cutting a stream after {@code k} chunks with {@code error}.
         *
         * @throws IllegalArgumentException if {@code k < 0}
         */
        public Step cutAfter(int k, MeshException error) {
            Objects.requireNonNull(error, "error");
            return cutAfter(k, id -> error);
        }

        private Step cutAfter(int k, Function<String, MeshException> error) {
            if (k < 0) {
                throw new IllegalArgumentException("cutAfter must be >= 0 chunks, got " + k);
            }
            if (failure != null) {
                throw new IllegalArgumentException("a failing step has no stream to cut");
            }
            return new Step(text, toolCalls, failure, latency, inputTokens, outputTokens, finishReason, chunks, k,
                    error);
        }

        @Override
        public String toString() {
            String what = failure != null ? "fail" : toolCalls.isEmpty() ? "answer" : "toolCalls(" + toolCalls.size() + ")";
            return "Step[" + what + (latency != null ? ", latency=" + latency : "")
                    + (cutAfter >= 0 ? ", cutAfter=" + cutAfter : "") + "]";
        }
    }

    /**
     * Builds a {@link ScriptedLlmClient}. Not thread-safe; a builder builds one client.
     *
     * <p>Defaults: answer {@code "answer from <id>"} on every call, no latency, no clock.
     */
    public static final class Builder {
        private final ModelDescriptor descriptor;
        private final List<Step> queue = new ArrayList<>();
        private @Nullable Step defaultStep;
        private @Nullable ManualClock clock;
        private @Nullable Duration latency;

        private Builder(ModelDescriptor descriptor) {
            this.descriptor = descriptor;
        }

        /** The clock that steps with latency advance. */
        public Builder clock(ManualClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The latency of every call whose step sets none (needs a {@link #clock(ManualClock)}).
         *
         * @throws IllegalArgumentException if {@code latency} is negative
         */
        public Builder latency(Duration latency) {
            Objects.requireNonNull(latency, "latency");
            if (latency.isNegative()) {
                throw new IllegalArgumentException("latency must be >= 0, got " + latency);
            }
            this.latency = latency;
            return this;
        }

        /** Every call after the queue answers {@code text}. */
        public Builder answer(String text) {
            return byDefault(Step.answer(text));
        }

        /** Every call after the queue answers what {@code answer} returns for its request. */
        public Builder answers(Function<ChatRequest, String> answer) {
            return byDefault(Step.answers(answer));
        }

        /** Every call after the queue runs {@code step}. */
        public Builder byDefault(Step step) {
            this.defaultStep = Objects.requireNonNull(step, "step");
            return this;
        }

        /** Queues steps for the next calls, in order. */
        public Builder then(Step... steps) {
            for (Step s : steps) {
                queue.add(Objects.requireNonNull(s, "step"));
            }
            return this;
        }

        /** Queues one call answering {@code text}. */
        public Builder thenAnswer(String text) {
            return then(Step.answer(text));
        }

        /** Queues one call failing with {@code error}. */
        public Builder thenFail(MeshException error) {
            return then(Step.fail(error));
        }

        /** Queues one call failing as {@link Step#fail(ErrorKind)}. */
        public Builder thenFail(ErrorKind kind) {
            return then(Step.fail(kind));
        }

        /** Queues one call failing as {@link Step#fail(ErrorKind, Duration)}, e.g. a 429 with Retry-After. */
        public Builder thenFail(ErrorKind kind, Duration retryAfter) {
            return then(Step.fail(kind, retryAfter));
        }

        /** Queues one call answering with tool calls. */
        public Builder thenToolCalls(ToolExecutionRequest... calls) {
            return then(Step.toolCalls(calls));
        }

        /**
         * @throws IllegalStateException if latency is scripted (by default or in a step) but no clock was given
         */
        public ScriptedLlmClient build() {
            if (latency != null && clock == null) {
                throw new IllegalStateException("latency " + latency + " needs a ManualClock to advance; call "
                        + "clock(ManualClock)");
            }
            for (Step s : queue) {
                requireClockFor(s, clock);
            }
            if (defaultStep != null) {
                requireClockFor(defaultStep, clock);
            }
            return new ScriptedLlmClient(this);
        }
    }
}
