package dev.llmmesh.examples.fleet;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.llmmesh.client.Capability;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.client.Pricing;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/** A priced model answering at once with fixed usage; may wait at a gate or fail on chosen calls. */
final class PricedModel implements LlmClient {
    private final ModelDescriptor descriptor;
    private final int input;
    private final int output;
    private final AtomicInteger calls = new AtomicInteger();
    private volatile @Nullable CountDownLatch entered;
    private volatile @Nullable CountDownLatch release;
    private volatile @Nullable IntFunction<@Nullable RuntimeException> failure;

    PricedModel(String id, double inputPerMillion, double outputPerMillion, int input, int output) {
        this(ModelDescriptor.builder(id, "fake", id).capabilities(Capability.CHAT).contextWindow(200_000)
                .maxOutputTokens(32_000).pricing(Pricing.perMillion(inputPerMillion, outputPerMillion)).build(),
                input, output);
    }

    PricedModel(ModelDescriptor descriptor, int input, int output) {
        this.descriptor = descriptor;
        this.input = input;
        this.output = output;
    }

    PricedModel gate(CountDownLatch entered, CountDownLatch release) {
        this.entered = entered;
        this.release = release;
        return this;
    }

    /** Call number n (from 1) fails with what this returns, or answers when it returns null. */
    PricedModel failing(IntFunction<@Nullable RuntimeException> failure) {
        this.failure = failure;
        return this;
    }

    int calls() {
        return calls.get();
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
        int n = calls.incrementAndGet();
        CountDownLatch in = entered;
        CountDownLatch out = release;
        if (in != null) {
            in.countDown();
        }
        if (out != null) {
            try {
                if (!out.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("test gate was never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted at the test gate", e);
            }
        }
        IntFunction<@Nullable RuntimeException> f = failure;
        RuntimeException e = f == null ? null : f.apply(n);
        if (e != null) {
            throw e;
        }
        return ChatResponse.builder().aiMessage(AiMessage.from("answer from " + descriptor.id()))
                .modelName(descriptor.modelName()).tokenUsage(new TokenUsage(input, output)).build();
    }
}
