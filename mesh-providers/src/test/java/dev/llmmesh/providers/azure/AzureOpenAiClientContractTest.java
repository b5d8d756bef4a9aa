package dev.llmmesh.providers.azure;

import dev.llmmesh.Secret;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.testkit.LlmClientContractTest;
import dev.llmmesh.testkit.SimulatedOpenAiServer;
import dev.llmmesh.testkit.SimulatedProvider;
import java.time.Duration;

/**
 * {@link AzureOpenAiClient} keeps the {@link LlmClient} contract against the simulated OpenAI server, which also answers
 * Azure's deployment URLs and takes the key in the {@code api-key} header. The key is an Azure-style 32-hex canary.
 */
class AzureOpenAiClientContractTest extends LlmClientContractTest {

    @Override
    protected String apiKey() {
        return "3f9a1c7e5b2d4068a9e1c3b5d7f90246";
    }

    @Override
    protected SimulatedProvider startServer(String apiKey) {
        return new AzureView(SimulatedOpenAiServer.builder().apiKey(apiKey).start());
    }

    @Override
    protected LlmClient createClient(SimulatedProvider server, String id, String apiKey) {
        return AzureOpenAiClient.builder(id, "gpt-4o-mini").baseUrl(((AzureView) server).openAi.azureEndpoint())
                .deployment("prod-mini").apiKey(Secret.of(apiKey)).timeout(Duration.ofSeconds(10)).build();
    }
}
