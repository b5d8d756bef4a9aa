package dev.llmmesh.governance.budget;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.llmmesh.client.Capability;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.client.Pricing;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A deterministic in-process model for governance tests: answers with fixed token usage, can fail, can hold calls
 * at a gate until released, and can hang streams after the first chunk until cancelled. Runs on the caller's thread.
 */
public final class FakeModel implements LlmClient {
    private final ModelDescriptor descriptor;
    private final AtomicInteger calls = new AtomicInteger();
    private final List<ChatRequest> requests = new CopyOnWriteArrayList<>();
    private volatile int inputTokens = 10;
    private volatile int outputTokens = 20;
    private volatile Supplier<RuntimeException> failure;
    private volatile CountDownLatch entered;
    private volatile CountDownLatch release;
    private volatile CountDownLatch streamStarted;
    private volatile Runnable onCall;

    private FakeModel(ModelDescriptor descriptor) {
        this.descriptor = descriptor;
    }

    /** A model priced per million tokens, with chat, streaming and tools. */
    public static FakeModel priced(String id, double inputPerMillion, double outputPerMillion) {
        return of(ModelDescriptor.builder(id, "fake", id)
                .capabilities(Capability.CHAT, Capability.STREAMING, Capability.TOOLS)
                .contextWindow(200_000).maxOutputTokens(32_000)
                .pricing(Pricing.perMillion(inputPerMillion, outputPerMillion)).build());
    }

    /** A model without a price. */
    public static FakeModel unpriced(String id) {
        return of(ModelDescriptor.builder(id, "fake", id).contextWindow(200_000).maxOutputTokens(32_000).build());
    }

    public static FakeModel of(ModelDescriptor descriptor) {
        return new FakeModel(descriptor);
    }

    /** Every answer reports this usage. */
    public FakeModel usage(int input, int output) {
        this.inputTokens = input;
        this.outputTokens = output;
        return this;
    }

    /** Every call fails with what {@code failure} makes (null: answer again). */
    public FakeModel failing(Supplier<RuntimeException> failure) {
        this.failure = failure;
        return this;
    }

    /** Calls count {@code entered} down, then wait for {@code release}. */
    public FakeModel gate(CountDownLatch entered, CountDownLatch release) {
        this.entered = entered;
        this.release = release;
        return this;
    }

    /** Streams send one chunk, count {@code started} down, and never finish (until cancelled). */
    public FakeModel hangStreams(CountDownLatch started) {
        this.streamStarted = started;
        return this;
    }

    /** Runs {@code hook} at the start of every call (e.g. to advance a manual clock). */
    public FakeModel onCall(Runnable hook) {
        this.onCall = hook;
        return this;
    }

    public int calls() {
        return calls.get();
    }

    public List<ChatRequest> requests() {
        return List.copyOf(requests);
    }

    @Override
    public ModelDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public ChatResponse chat(ChatRequest request, Duration timeout) {
        return chat(request);
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        calls.incrementAndGet();
        requests.add(request);
        Runnable hook = onCall;
        if (hook != null) {
            hook.run();
        }
        CountDownLatch in = entered;
        CountDownLatch out = release;
        if (in != null) {
            in.countDown();
        }
        if (out != null) {
            try {
                if (!out.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("test gate was never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted at the test gate", e);
            }
        }
        Supplier<RuntimeException> f = failure;
        if (f != null) {
            throw f.get();
        }
        return ChatResponse.builder().aiMessage(AiMessage.from("answer from " + descriptor.id()))
                .modelName(descriptor.modelName()).tokenUsage(new TokenUsage(inputTokens, outputTokens))
                .finishReason(FinishReason.STOP).build();
    }

    @Override
    public StreamingHandle stream(ChatRequest request, StreamingChatResponseHandler handler) {
        CountDownLatch started = streamStarted;
        if (started == null) {
            return LlmClient.super.stream(request, handler);
        }
        calls.incrementAndGet();
        requests.add(request);
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
        handler.onPartialResponse(new PartialResponse("first chunk "), new PartialResponseContext(handle));
        started.countDown();
        return handle;
    }
}
