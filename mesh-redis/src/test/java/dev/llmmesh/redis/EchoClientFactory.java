package dev.llmmesh.redis;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.client.LlmClientFactory;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.config.ConfigNode;

/** Test provider {@code redis-test} for mesh.yaml tests: a client that answers "ok". */
public final class EchoClientFactory implements LlmClientFactory {
    @Override
    public String provider() {
        return "redis-test";
    }

    @Override
    public LlmClient create(ModelDescriptor descriptor, ConfigNode settings) {
        return new LlmClient() {
            @Override
            public ModelDescriptor descriptor() {
                return descriptor;
            }

            @Override
            public ChatResponse chat(ChatRequest request) {
                return ChatResponse.builder().aiMessage(AiMessage.from("ok")).build();
            }
        };
    }
}
