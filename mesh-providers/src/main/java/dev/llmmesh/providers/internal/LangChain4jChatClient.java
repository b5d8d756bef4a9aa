package dev.llmmesh.providers.internal;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.llmmesh.providers.ProviderClientBuilder;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link ProviderChatClient}s whose exchanges run through a provider's langchain4j blocking and streaming models,
 * built once over the runtime's HTTP thread pool. Not API.
 */
public final class LangChain4jChatClient {
    private LangChain4jChatClient() {
    }

    /**
     * A client over the models {@code models} builds on the client's HTTP I/O executor.
     *
     * @param name     the public client's simple name, for {@code toString()}
     * @param s        the built settings
     * @param protocol the provider's error dialect
     * @param usage    how the provider's usage is normalised
     * @param models   builds the models over the given HTTP I/O executor
     * @param location where requests go, as {@code toString()} shows it; null for {@code baseUrl=…}
     */
    public static ProviderChatClient create(String name, ProviderClientBuilder.Settings s, WireProtocol protocol,
                                            UsageAccounting usage, Function<ExecutorService, ChatModels> models,
                                            Supplier<String> location) {
        Models x = new Models();
        ProviderChatClient client = new ProviderChatClient(name, s, protocol, usage, x, location);
        x.models = Objects.requireNonNull(models.apply(client.runtime().executor()), "models");
        return client;
    }

    private static final class Models implements ProviderChatClient.Exchanges {
        private volatile ChatModels models;

        @Override
        public ChatResponse send(ChatRequest request) {
            return models.chat().chat(request);
        }

        @Override
        public void sendStreaming(ChatRequest request, StreamingChatResponseHandler handler) {
            models.streaming().chat(request, handler);
        }
    }
}
