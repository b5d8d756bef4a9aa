package dev.llmmesh;

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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

/** A scripted in-process client for core's own tests (core cannot depend on mesh-testkit). */
public class FakeClient implements LlmClient {
    private final ModelDescriptor descriptor;
    private final Deque<Supplier<ChatResponse>> script = new ArrayDeque<>();
    private final List<ChatRequest> requests = new ArrayList<>();
    private String answer;
    private int streamCutAfter = -1;
    private RuntimeException streamError;

    public FakeClient(ModelDescriptor descriptor, String answer) {
        this.descriptor = descriptor;
        this.answer = answer;
    }

    /** A model with chat, streaming and tools, 128k context, priced input/output per million. */
    public static FakeClient model(String id, double input, double output) {
        return new FakeClient(ModelDescriptor.builder(id, "openai", id + "-model")
                .capabilities(Capability.CHAT, Capability.STREAMING, Capability.TOOLS)
                .contextWindow(128_000).maxOutputTokens(16_000)
                .pricing(Pricing.perMillion(input, output)).build(), "answer from " + id);
    }

    public FakeClient thenFail(RuntimeException e) {
        script.add(() -> {
            throw e;
        });
        return this;
    }

    public FakeClient thenAnswer(String text) {
        script.add(() -> response(text));
        return this;
    }

    public FakeClient alwaysFail(RuntimeException e) {
        this.answer = null;
        this.streamError = e;
        return this;
    }

    /** Streams the answer word by word, failing with {@code error} after {@code chunks} chunks. */
    public FakeClient streamCutAfter(int chunks, RuntimeException error) {
        this.streamCutAfter = chunks;
        this.streamError = error;
        return this;
    }

    public synchronized int calls() {
        return requests.size();
    }

    public synchronized List<ChatRequest> requests() {
        return List.copyOf(requests);
    }

    @Override
    public ModelDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        Supplier<ChatResponse> next;
        synchronized (this) {
            requests.add(request);
            next = script.poll();
        }
        if (next != null) {
            return next.get();
        }
        if (answer == null) {
            throw streamError;
        }
        return response(answer);
    }

    @Override
    public ChatResponse chat(ChatRequest request, java.time.Duration timeout) {
        return chat(request); // answers at once: no need for the default's bounding thread
    }

    @Override
    public StreamingHandle stream(ChatRequest request, StreamingChatResponseHandler handler) {
        StreamingHandle handle = new StreamingHandle() {
            volatile boolean cancelled;

            @Override
            public void cancel() {
                cancelled = true;
            }

            @Override
            public boolean isCancelled() {
                return cancelled;
            }
        };
        ChatResponse full;
        try {
            full = chat(request);
        } catch (RuntimeException e) {
            handler.onError(e);
            return handle;
        }
        String[] words = full.aiMessage().text().split("(?<= )");
        for (int i = 0; i < words.length; i++) {
            if (i == streamCutAfter) {
                handler.onError(streamError);
                return handle;
            }
            handler.onPartialResponse(new PartialResponse(words[i]), new PartialResponseContext(handle));
        }
        handler.onCompleteResponse(full);
        return handle;
    }

    public ChatResponse response(String text) {
        return ChatResponse.builder().aiMessage(AiMessage.from(text)).modelName(descriptor.modelName())
                .tokenUsage(new TokenUsage(100, 50)).finishReason(FinishReason.STOP).build();
    }
}
