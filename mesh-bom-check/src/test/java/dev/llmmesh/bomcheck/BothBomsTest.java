package dev.llmmesh.bomcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.llmmesh.Mesh;
import dev.llmmesh.client.Capability;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.providers.openai.OpenAiClient;
import dev.llmmesh.testkit.SimulatedOpenAiServer;
import org.junit.jupiter.api.Test;

/** A project importing langchain4j-bom 1.19.0 and mesh-bom, with only the OpenAI SDK, builds and calls a model. */
class BothBomsTest {

    @Test
    void aProjectWithBothBomsAndOneProviderSdkCallsItsModel() {
        try (SimulatedOpenAiServer server = SimulatedOpenAiServer.builder().defaultAnswer("hello from both BOMs").start();
             Mesh mesh = Mesh.builder().addModel(OpenAiClient.builder(ModelDescriptor.builder("gpt", "openai", "gpt-4o-mini")
                     .capabilities(Capability.CHAT).build()).baseUrl(server.baseUrl()).build()).build()) {
            assertEquals("hello from both BOMs", mesh.chat("hi").text());
        }
    }

    @Test
    void streamingWorksWithOnlyTheOpenAiSdk() throws Exception {
        try (SimulatedOpenAiServer server = SimulatedOpenAiServer.builder().defaultAnswer("streamed answer").start();
             Mesh mesh = Mesh.builder().addModel(OpenAiClient.builder(ModelDescriptor.builder("gpt", "openai", "gpt-4o-mini")
                     .capabilities(Capability.CHAT, Capability.STREAMING).build()).baseUrl(server.baseUrl()).build()).build()) {
            StringBuilder text = new StringBuilder();
            mesh.stream(dev.langchain4j.model.chat.request.ChatRequest.builder()
                            .messages(dev.langchain4j.data.message.UserMessage.from("hi")).build(),
                    dev.llmmesh.CallContext.EMPTY, new dev.langchain4j.model.chat.response.StreamingChatResponseHandler() {
                        @Override
                        public void onPartialResponse(String partial) {
                            text.append(partial);
                        }

                        @Override
                        public void onCompleteResponse(dev.langchain4j.model.chat.response.ChatResponse response) {
                        }

                        @Override
                        public void onError(Throwable error) {
                        }
                    }).get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals("streamed answer", text.toString());
        }
    }

    @Test
    void aProviderWhoseSdkIsMissingSaysWhichArtifactToAdd() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> dev.llmmesh.providers.mistral.MistralClient
                .builder(ModelDescriptor.builder("m", "mistral", "mistral-small-latest").build()).build());
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("dev.langchain4j:langchain4j-mistral-ai"),
                e.getMessage());
    }

    @Test
    void providerSdksItDoesNotUseAreNotOnItsClasspath() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("dev.langchain4j.model.mistralai.MistralAiChatModel"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("dev.langchain4j.model.anthropic.AnthropicChatModel"));
    }
}
