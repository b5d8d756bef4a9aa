package dev.llmmesh.governance;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.llmmesh.DataClass;
import dev.llmmesh.RetryableException;
import dev.llmmesh.client.Capability;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.client.Pricing;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntPredicate;

/**
 * An in-process model for governance tests: answers with a function of the request, fails on the calls a predicate
 * picks (a retryable 500), and streams its answer in chunks of a chosen size (1 character to split placeholders
 * anywhere). Thread-safe. (mesh-testkit's ScriptedLlmClient streams at word boundaries only.)
 */
final class TestModel implements LlmClient {
    private final ModelDescriptor descriptor;
    private final AtomicInteger calls = new AtomicInteger();
    private final List<ChatRequest> requests = new ArrayList<>();
    private volatile Function<ChatRequest, String> answer;
    private volatile IntPredicate failOnCall = n -> false;
    private volatile int chunkSize = 1;
    private volatile Function<ChatRequest, List<ToolExecutionRequest>> toolCalls = r -> List.of();

    TestModel(ModelDescriptor descriptor) {
        this.descriptor = descriptor;
        this.answer = r -> "answer from " + descriptor.id();
    }

    static TestModel of(String id, DataClass ceiling, double inputPrice) {
        return new TestModel(ModelDescriptor.builder(id, "openai", id + "-model")
                .capabilities(Capability.CHAT, Capability.STREAMING, Capability.TOOLS, Capability.JSON_SCHEMA)
                .contextWindow(128_000).maxOutputTokens(16_000).maxDataClass(ceiling)
                .pricing(Pricing.perMillion(inputPrice, inputPrice * 2)).build());
    }

    TestModel answering(Function<ChatRequest, String> answer) {
        this.answer = answer;
        return this;
    }

    /** Also asks for the tool calls {@code calls} makes of the request (an answer with text and tool calls). */
    TestModel callingTools(Function<ChatRequest, List<ToolExecutionRequest>> calls) {
        this.toolCalls = calls;
        return this;
    }

    TestModel answering(String text) {
        return answering(r -> text);
    }

    /** Fails (retryable 500) on the calls whose 1-based number satisfies {@code which}. */
    TestModel failing(IntPredicate which) {
        this.failOnCall = which;
        return this;
    }

    TestModel chunks(int size) {
        this.chunkSize = size;
        return this;
    }

    int calls() {
        return calls.get();
    }

    synchronized List<ChatRequest> requests() {
        return List.copyOf(requests);
    }

    synchronized ChatRequest lastRequest() {
        return requests.get(requests.size() - 1);
    }

    @Override
    public ModelDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        int n = calls.incrementAndGet();
        synchronized (this) {
            requests.add(request);
        }
        if (failOnCall.test(n)) {
            throw RetryableException.serverError(descriptor.id(), descriptor.id() + ": injected 500");
        }
        List<ToolExecutionRequest> tools = toolCalls.apply(request);
        AiMessage message = tools.isEmpty() ? AiMessage.from(answer.apply(request))
                : AiMessage.builder().text(answer.apply(request)).toolExecutionRequests(tools).build();
        return ChatResponse.builder().aiMessage(message)
                .modelName(descriptor.modelName()).tokenUsage(new TokenUsage(10, 10)).finishReason(FinishReason.STOP)
                .build();
    }

    @Override
    public StreamingHandle stream(ChatRequest request, StreamingChatResponseHandler handler) {
        StreamingHandle handle = new StreamingHandle() {
            private volatile boolean cancelled;

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
        String text = full.aiMessage().text();
        for (int i = 0; i < text.length() && !handle.isCancelled(); i += chunkSize) {
            handler.onPartialResponse(new PartialResponse(text.substring(i, Math.min(text.length(), i + chunkSize))),
                    new PartialResponseContext(handle));
        }
        handler.onCompleteResponse(full);
        return handle;
    }
}
