package dev.llmmesh.rag;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.client.LlmClientFactory;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.config.ConfigNode;

/** Test provider {@code rag-test} for mesh.yaml tests: a client that answers "See [1]." to everything. */
public final class RecordingClientFactory implements LlmClientFactory {
    @Override
    public String provider() {
        return "rag-test";
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
                return ChatResponse.builder().aiMessage(AiMessage.from("See [1].")).build();
            }
        };
    }
}
