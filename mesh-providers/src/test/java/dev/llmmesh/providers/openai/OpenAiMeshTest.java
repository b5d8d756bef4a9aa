package dev.llmmesh.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.Attempt;
import dev.llmmesh.CallContext;
import dev.llmmesh.ErrorKind;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.Secret;
import dev.llmmesh.client.Capability;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.client.Pricing;
import dev.llmmesh.testkit.ManualClock;
import dev.llmmesh.testkit.SimulatedOpenAiServer;
import dev.llmmesh.testkit.SimulatedOpenAiServer.Behavior;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A mesh over real HTTP clients against two simulated OpenAI servers. */
class OpenAiMeshTest {

    private static OpenAiClient client(SimulatedOpenAiServer server, String id, double inputPrice) {
        ModelDescriptor d = ModelDescriptor.builder(id, "openai", "gpt-4o-mini")
                .capabilities(Capability.CHAT, Capability.STREAMING)
                .contextWindow(128_000).maxOutputTokens(16_000)
                .pricing(Pricing.perMillion(inputPrice, inputPrice * 4))
                .build();
        return OpenAiClient.builder(d).baseUrl(server.baseUrl()).apiKey(Secret.of("sk-" + id))
                .timeout(Duration.ofSeconds(10)).build();
    }

    @Test
    void fallsBackToTheSecondServerWhenTheFirstAnswers503AndReportsBothAttempts() {
        try (SimulatedOpenAiServer first = SimulatedOpenAiServer.builder().apiKey("sk-primary").start();
             SimulatedOpenAiServer second = SimulatedOpenAiServer.builder().apiKey("sk-secondary")
                     .defaultAnswer("served by the second").start()) {
            first.enqueue(Behavior.status(503).header("retry-after", "20"));
            try (Mesh mesh = Mesh.builder().clock(new ManualClock())
                    .addModel(client(first, "primary", 0.15)) // cheaper, so planned first
                    .addModel(client(second, "secondary", 2.50))
                    .build()) {

                MeshResponse response = mesh.chat(ChatRequest.builder().messages(UserMessage.from("hello")).build(),
                        CallContext.EMPTY);

                assertThat(response.text()).isEqualTo("served by the second");
                assertThat(response.modelId()).contains("secondary");
                assertThat(response.attempts()).extracting(Attempt::modelId).containsExactly("primary", "secondary");
                assertThat(response.attempts().get(0).error()).contains(ErrorKind.OVERLOADED);
                assertThat(response.attempts().get(1).succeeded()).isTrue();
                assertThat(response.failedAttempts()).isEqualTo(1);
            }
            assertThat(first.chatRequests()).hasSize(1);
            assertThat(second.chatRequests()).hasSize(1);
            assertThat(first.lastRequest().orElseThrow().bearerTokenEquals("sk-primary")).isTrue();
            assertThat(second.lastRequest().orElseThrow().bearerTokenEquals("sk-secondary")).isTrue();
        }
    }

    @Test
    void aWrongKeyOnEveryModelIsAConfigurationFailureNamingTheModels() {
        try (SimulatedOpenAiServer first = SimulatedOpenAiServer.builder().apiKey("sk-right-one").start();
             SimulatedOpenAiServer second = SimulatedOpenAiServer.builder().apiKey("sk-right-two").start();
             Mesh mesh = Mesh.builder().clock(new ManualClock())
                     .addModel(client(first, "primary", 0.15))    // keys sk-primary / sk-secondary: both wrong
                     .addModel(client(second, "secondary", 2.50))
                     .build()) {
            ChatRequest request = ChatRequest.builder().messages(UserMessage.from("hello")).build();

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> mesh.chat(request, CallContext.EMPTY))
                    .isInstanceOfSatisfying(dev.llmmesh.ConfigurationFailureException.class, e -> {
                        assertThat(e).isInstanceOf(dev.llmmesh.NonRetryableException.class);
                        assertThat(e.models()).containsExactly("primary", "secondary");
                        assertThat(e.getMessage()).contains("primary (authentication)", "secondary (authentication)")
                                .doesNotContain("sk-");
                    });
            assertThat(first.chatRequests()).hasSize(1);
            assertThat(second.chatRequests()).hasSize(1);
        }
    }
}
