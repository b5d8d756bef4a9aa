package dev.llmmesh.spring.ai;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.llmmesh.CallContext;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;
import reactor.core.publisher.Flux;

/**
 * The mesh as a Spring AI {@link ChatModel} (which is also a {@code StreamingChatModel}): every {@link #call(Prompt)}
 * and {@link #stream(Prompt)} is one mesh call, with routing, fallbacks, budgets, policies and audit.
 *
 * <p><b>Identity.</b> Each call runs with the {@link CallContext} bound to the thread ({@code CallContext.makeCurrent()},
 * or the {@link MeshContextAdvisor} from {@code ChatClient} advisor parameters; for streams also the one the advisor
 * put in the Reactor context), laid over the context this model was made with.
 *
 * <p><b>Mapping.</b> System, user, assistant (with tool calls) and tool-response messages map to langchain4j's; the
 * options {@code model} (a mesh model id or alias pins the call to it), {@code temperature}, {@code topP},
 * {@code topK}, {@code maxTokens}, {@code stopSequences}, {@code frequencyPenalty} and {@code presencePenalty} map to
 * the request parameters. Tool callbacks in {@link ToolCallingChatOptions} are sent as tool specifications (see
 * {@link ToolSchemas} for the schemas understood); the model's tool calls come back as the {@link AssistantMessage}'s
 * tool calls, and {@code ChatClient}'s tool-calling advisor runs them, each step being its own mesh call. Not
 * supported, refused with {@link IllegalArgumentException}: media in messages, and tool schemas outside
 * {@link ToolSchemas}. The tool context ({@code toolContext}) is not sent to the model, as with every provider.
 *
 * <p><b>Response.</b> The {@link ChatResponseMetadata} carries id, model name and usage, plus
 * {@link MeshSpringAi#DECISION} (the routing decision), {@link MeshSpringAi#RESPONSE} (the whole
 * {@link MeshResponse}), {@link MeshSpringAi#MODEL_ID} and {@link MeshSpringAi#COST_USD}. A stream emits one
 * {@link ChatResponse} per text chunk, then a last one with no text that carries the tool calls, the finish reason and
 * that metadata. Errors are the mesh's {@link dev.llmmesh.MeshException}s.
 *
 * <p>Thread-safe; one instance serves the application.
 */
public final class MeshSpringAiChatModel implements ChatModel {
    private final Mesh mesh;
    private final CallContext base;

    /** A model calling {@code mesh} with {@link CallContext#EMPTY} as the base context. */
    public MeshSpringAiChatModel(Mesh mesh) {
        this(mesh, CallContext.EMPTY);
    }

    /** A model calling {@code mesh} with {@code base} under each call's own context. */
    public MeshSpringAiChatModel(Mesh mesh, CallContext base) {
        this.mesh = Objects.requireNonNull(mesh, "mesh");
        this.base = Objects.requireNonNull(base, "base");
    }

    @Override
    public ChatResponse call(Prompt prompt) {
        Objects.requireNonNull(prompt, "prompt");
        return toSpring(mesh.chat(toMesh(prompt), context(null)), true);
    }

    @Override
    public Flux<ChatResponse> stream(Prompt prompt) {
        Objects.requireNonNull(prompt, "prompt");
        return Flux.deferContextual(reactorContext -> {
            CallContext fromReactor = reactorContext.getOrDefault(CallContext.class, null);
            CallContext context = context(fromReactor);
            dev.langchain4j.model.chat.request.ChatRequest request = toMesh(prompt);
            return Flux.<ChatResponse>create(sink -> {
                CompletableFuture<MeshResponse> future = mesh.stream(request, context,
                        new StreamingChatResponseHandler() {
                            @Override
                            public void onPartialResponse(String partial) {
                                sink.next(new ChatResponse(List.of(new Generation(new AssistantMessage(partial)))));
                            }

                            @Override
                            public void onCompleteResponse(dev.langchain4j.model.chat.response.ChatResponse response) {
                                // the future below completes right after, with the mesh's view of the call
                            }

                            @Override
                            public void onError(Throwable error) {
                                // reported through the future
                            }
                        });
                sink.onCancel(() -> future.cancel(true));
                future.whenComplete((response, error) -> {
                    if (error != null) {
                        sink.error(error instanceof CompletionException && error.getCause() != null
                                ? error.getCause() : error);
                    } else {
                        sink.next(toSpring(response, false));
                        sink.complete();
                    }
                });
            });
        });
    }

    /**
     * Options whose builder keeps tool callbacks, so {@code ChatClient} can add tools to a request (it starts from
     * these).
     */
    @Override
    public ChatOptions getOptions() {
        return ToolCallingChatOptions.builder().build();
    }

    /** As {@link #getOptions()}. */
    @Override
    public ChatOptions getDefaultOptions() {
        return getOptions();
    }

    private CallContext context(@Nullable CallContext fromReactor) {
        CallContext c = base;
        if (fromReactor != null) {
            c = fromReactor.over(c);
        }
        CallContext current = CallContext.current().orElse(null);
        return current == null ? c : current.over(c);
    }

    // ------------------------------------------------------------------ Spring AI -> langchain4j

    static dev.langchain4j.model.chat.request.ChatRequest toMesh(Prompt prompt) {
        List<ChatMessage> messages = new ArrayList<>();
        for (Message m : prompt.getInstructions()) {
            messages.addAll(toMesh(m));
        }
        dev.langchain4j.model.chat.request.ChatRequest.Builder b = dev.langchain4j.model.chat.request.ChatRequest
                .builder().messages(messages);
        ChatOptions o = prompt.getOptions();
        if (o != null) {
            if (o.getModel() != null && !o.getModel().isBlank()) {
                b.modelName(o.getModel());
            }
            if (o.getTemperature() != null) {
                b.temperature(o.getTemperature());
            }
            if (o.getTopP() != null) {
                b.topP(o.getTopP());
            }
            if (o.getTopK() != null) {
                b.topK(o.getTopK());
            }
            if (o.getMaxTokens() != null) {
                b.maxOutputTokens(o.getMaxTokens());
            }
            if (o.getStopSequences() != null && !o.getStopSequences().isEmpty()) {
                b.stopSequences(o.getStopSequences());
            }
            if (o.getFrequencyPenalty() != null) {
                b.frequencyPenalty(o.getFrequencyPenalty());
            }
            if (o.getPresencePenalty() != null) {
                b.presencePenalty(o.getPresencePenalty());
            }
            if (o instanceof ToolCallingChatOptions tools && tools.getToolCallbacks() != null
                    && !tools.getToolCallbacks().isEmpty()) {
                List<ToolSpecification> specs = new ArrayList<>();
                for (ToolCallback t : tools.getToolCallbacks()) {
                    specs.add(ToolSchemas.specification(t.getToolDefinition()));
                }
                b.toolSpecifications(specs);
            }
        }
        return b.build();
    }

    private static List<ChatMessage> toMesh(Message m) {
        if (m instanceof SystemMessage s) {
            return List.of(dev.langchain4j.data.message.SystemMessage.from(s.getText()));
        }
        if (m instanceof UserMessage u) {
            if (!u.getMedia().isEmpty()) {
                throw new IllegalArgumentException("user messages with media are not supported by the mesh's Spring "
                        + "AI adapter; send text only");
            }
            return List.of(dev.langchain4j.data.message.UserMessage.from(u.getText()));
        }
        if (m instanceof AssistantMessage a) {
            List<ToolExecutionRequest> calls = new ArrayList<>();
            for (AssistantMessage.ToolCall c : a.getToolCalls()) {
                calls.add(ToolExecutionRequest.builder().id(c.id()).name(c.name()).arguments(c.arguments()).build());
            }
            String text = a.getText();
            if (calls.isEmpty()) {
                return List.of(AiMessage.from(text == null ? "" : text));
            }
            return List.of(text == null || text.isEmpty() ? AiMessage.from(calls) : AiMessage.from(text, calls));
        }
        if (m instanceof ToolResponseMessage t) {
            List<ChatMessage> out = new ArrayList<>();
            for (ToolResponseMessage.ToolResponse r : t.getResponses()) {
                out.add(ToolExecutionResultMessage.from(r.id(), r.name(), r.responseData()));
            }
            return out;
        }
        throw new IllegalArgumentException("message type " + m.getMessageType() + " is not supported by the mesh's "
                + "Spring AI adapter");
    }

    // ------------------------------------------------------------------ langchain4j -> Spring AI

    static ChatResponse toSpring(MeshResponse r, boolean withText) {
        dev.langchain4j.model.chat.response.ChatResponse cr = r.chatResponse();
        AiMessage ai = cr.aiMessage();
        List<AssistantMessage.ToolCall> calls = new ArrayList<>();
        if (ai != null && ai.toolExecutionRequests() != null) {
            for (ToolExecutionRequest t : ai.toolExecutionRequests()) {
                calls.add(new AssistantMessage.ToolCall(t.id() == null ? "" : t.id(), "function", t.name(),
                        t.arguments() == null ? "{}" : t.arguments()));
            }
        }
        AssistantMessage message = AssistantMessage.builder().content(withText ? r.text() : "").toolCalls(calls)
                .build();
        FinishReason finish = cr.metadata() == null ? null : cr.metadata().finishReason();
        ChatGenerationMetadata generation = ChatGenerationMetadata.builder()
                .finishReason(finish == null ? (calls.isEmpty() ? "STOP" : "TOOL_CALLS") : finishReason(finish))
                .build();
        ChatResponseMetadata.Builder meta = ChatResponseMetadata.builder().id(r.requestId());
        String modelName = cr.metadata() == null ? null : cr.metadata().modelName();
        if (modelName != null) {
            meta.model(modelName);
        } else {
            r.modelId().ifPresent(meta::model);
        }
        TokenUsage usage = cr.metadata() == null ? null : cr.metadata().tokenUsage();
        if (usage != null) {
            meta.usage(new DefaultUsage(usage.inputTokenCount(), usage.outputTokenCount(), usage.totalTokenCount()));
        }
        meta.keyValue(MeshSpringAi.RESPONSE, r);
        r.decision().ifPresent(d -> meta.keyValue(MeshSpringAi.DECISION, d));
        r.modelId().ifPresent(id -> meta.keyValue(MeshSpringAi.MODEL_ID, id));
        if (r.cost().known()) {
            meta.keyValue(MeshSpringAi.COST_USD, r.cost().usd());
        }
        return new ChatResponse(List.of(new Generation(message, generation)), meta.build());
    }

    private static String finishReason(FinishReason f) {
        return switch (f) {
            case TOOL_EXECUTION -> "TOOL_CALLS";
            default -> f.name().toUpperCase(Locale.ROOT);
        };
    }
}
