package dev.llmmesh.providers.internal;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.llmmesh.providers.ProviderClientBuilder;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/**
 * A {@link ProviderChatClient} whose exchanges run through a provider's langchain4j blocking and streaming models,
 * built once over the runtime's HTTP thread pool. Not API.
 *
 * <p>Thread-safe (langchain4j's models are); lifecycle as {@link ProviderChatClient}.
 */
public abstract class LangChain4jChatClient extends ProviderChatClient {
    private final ChatModels models;

    /**
     * @param s        the built settings
     * @param protocol the provider's error dialect
     * @param usage    how the provider's usage is normalised
     * @param models   builds the models over the given HTTP I/O executor
     */
    protected LangChain4jChatClient(ProviderClientBuilder.Settings s, WireProtocol protocol, UsageAccounting usage,
                                    Function<ExecutorService, ChatModels> models) {
        super(s, protocol, usage);
        this.models = Objects.requireNonNull(models.apply(runtime().executor()), "models");
    }

    @Override
    protected final ChatResponse send(ChatRequest request) {
        return models.chat().chat(request);
    }

    @Override
    protected final void sendStreaming(ChatRequest request, StreamingChatResponseHandler handler) {
        models.streaming().chat(request, handler);
    }
}
