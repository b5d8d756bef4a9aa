package dev.llmmesh.bench.internal;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.client.ModelDescriptor;
import java.time.Duration;
import java.util.Objects;

/**
 * An in-process model that answers at once with a response built in advance, so that a benchmark measures only
 * what sits between the caller and the client. The response carries token usage, a model name and a finish
 * reason, like a real provider's, so the mesh prices and meters it as it would a real answer.
 *
 * <p>How the mesh bounds a call in time is chosen with {@link TimeoutPath}: a client that answers at once may answer
 * on the caller's thread ({@link TimeoutPath#CALLER_THREAD}, what {@link LlmClient#chat(ChatRequest, Duration)} asks
 * of such clients), or keep the interface default, which runs the call on the mesh's shared pool and waits for it
 * ({@link TimeoutPath#INTERFACE_DEFAULT}, what any client that does not override it pays).
 *
 * <p>Thread-safe and stateless: the one pre-built response is immutable and shared by every call.
 */
public final class ZeroLatencyClient implements LlmClient {

    /** How {@link #chat(ChatRequest, Duration)} behaves. */
    public enum TimeoutPath {
        /** Overrides it: answers on the caller's thread (the answer is immediate, no timeout can fire). */
        CALLER_THREAD,
        /** Keeps {@link LlmClient}'s default: a hop to the mesh's bounded-call pool and back. */
        INTERFACE_DEFAULT
    }

    private final ModelDescriptor descriptor;
    private final ChatResponse response;
    private final TimeoutPath timeoutPath;

    /**
     * @param descriptor  the deployment this client pretends to be
     * @param answer      the answer's text
     * @param inputTokens the input token count to report
     * @param outputTokens the output token count to report
     * @param timeoutPath  how a time-bounded call is run
     * @throws IllegalArgumentException if a token count is negative
     */
    public ZeroLatencyClient(ModelDescriptor descriptor, String answer, int inputTokens, int outputTokens,
                             TimeoutPath timeoutPath) {
        this.descriptor = Objects.requireNonNull(descriptor, "descriptor");
        this.timeoutPath = Objects.requireNonNull(timeoutPath, "timeoutPath");
        Objects.requireNonNull(answer, "answer");
        if (inputTokens < 0 || outputTokens < 0) {
            throw new IllegalArgumentException("token counts must be >= 0, got input=" + inputTokens
                    + ", output=" + outputTokens);
        }
        this.response = ChatResponse.builder()
                .aiMessage(AiMessage.from(answer))
                .tokenUsage(new TokenUsage(inputTokens, outputTokens))
                .finishReason(FinishReason.STOP)
                .modelName(descriptor.modelName())
                .id("resp-" + descriptor.id())
                .build();
    }

    @Override
    public ModelDescriptor descriptor() {
        return descriptor;
    }

    /** Returns the pre-built response; never blocks, never allocates. */
    @Override
    public ChatResponse chat(ChatRequest request) {
        return response;
    }

    /**
     * With {@link TimeoutPath#CALLER_THREAD}, returns the pre-built response on the caller's thread; with
     * {@link TimeoutPath#INTERFACE_DEFAULT}, runs {@link #chat(ChatRequest)} through {@link LlmClient}'s default.
     */
    @Override
    public ChatResponse chat(ChatRequest request, Duration timeout) {
        if (timeoutPath == TimeoutPath.CALLER_THREAD) {
            return response;
        }
        return LlmClient.super.chat(request, timeout);
    }

    /** How time-bounded calls are run. */
    public TimeoutPath timeoutPath() {
        return timeoutPath;
    }

    /** The response every call returns. */
    public ChatResponse response() {
        return response;
    }
}
