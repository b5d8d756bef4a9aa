package dev.llmmesh.providers.openai;

import dev.llmmesh.Secret;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.testkit.LlmClientContractTest;
import dev.llmmesh.testkit.SimulatedOpenAiServer;
import dev.llmmesh.testkit.SimulatedProvider;
import java.time.Duration;

/** {@link OpenAiClient} keeps the {@link LlmClient} contract against the simulated OpenAI server. */
class OpenAiClientContractTest extends LlmClientContractTest {

    @Override
    protected SimulatedProvider startServer(String apiKey) {
        return SimulatedOpenAiServer.builder().apiKey(apiKey).start();
    }

    @Override
    protected LlmClient createClient(SimulatedProvider server, String id, String apiKey) {
        return OpenAiClient.builder(id, "gpt-4o-mini").baseUrl(server.baseUrl()).apiKey(Secret.of(apiKey))
                .timeout(Duration.ofSeconds(10)).build();
    }
}
