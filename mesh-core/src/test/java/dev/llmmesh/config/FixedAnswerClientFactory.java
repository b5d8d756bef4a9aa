package dev.llmmesh.config;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmmesh.Secret;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.client.LlmClientFactory;
import dev.llmmesh.client.ModelDescriptor;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Test provider {@code test}: a client that answers a fixed text. Reads {@code answer} (default {@code ok}),
 * {@code baseUrl}, {@code apiKey}, {@code timeout}, and {@code rejectWith} (makes {@link #create} throw an
 * {@link IllegalArgumentException} with that message, as a buggy or strict provider would).
 */
public final class FixedAnswerClientFactory implements LlmClientFactory {
    /** Every client created, so tests can check that a failed load closes them. Cleared by tests. */
    static final List<FixedAnswerClient> CREATED = new CopyOnWriteArrayList<>();

    @Override
    public String provider() {
        return "test";
    }

    @Override
    public LlmClient create(ModelDescriptor descriptor, ConfigNode settings) {
        String answer = settings.string("answer", "ok");
        Optional<URI> baseUrl = settings.optionalUrl("baseUrl");
        Optional<Secret> apiKey = settings.optionalSecret("apiKey");
        Duration timeout = settings.duration("timeout", Duration.ofSeconds(30));
        Optional<String> reject = settings.optionalString("rejectWith");
        if (reject.isPresent()) {
            throw new IllegalArgumentException(reject.get());
        }
        FixedAnswerClient client = new FixedAnswerClient(descriptor, answer, baseUrl, apiKey, timeout);
        CREATED.add(client);
        return client;
    }

    /** Answers {@link #answer} to every request. */
    static final class FixedAnswerClient implements LlmClient {
        final ModelDescriptor descriptor;
        final String answer;
        final Optional<URI> baseUrl;
        final Optional<Secret> apiKey;
        final Duration timeout;
        final AtomicBoolean closed = new AtomicBoolean();

        FixedAnswerClient(ModelDescriptor descriptor, String answer, Optional<URI> baseUrl, Optional<Secret> apiKey,
                          Duration timeout) {
            this.descriptor = descriptor;
            this.answer = answer;
            this.baseUrl = baseUrl;
            this.apiKey = apiKey;
            this.timeout = timeout;
        }

        @Override
        public ModelDescriptor descriptor() {
            return descriptor;
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
            return ChatResponse.builder().aiMessage(AiMessage.from(answer)).modelName(descriptor.modelName()).build();
        }

        @Override
        public void close() {
            closed.set(true);
        }

        @Override
        public String toString() {
            return "FixedAnswerClient[" + descriptor.id() + ", baseUrl=" + baseUrl + ", apiKey=" + apiKey + "]";
        }
    }
}
