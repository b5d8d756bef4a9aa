package dev.llmmesh.providers.mistral;

import dev.llmmesh.Secret;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.testkit.LlmClientContractTest;
import dev.llmmesh.testkit.SimulatedOpenAiServer;
import dev.llmmesh.testkit.SimulatedProvider;
import java.time.Duration;

/**
 * {@link MistralClient} keeps the {@link LlmClient} contract against the simulated OpenAI server (Mistral's
 * chat-completions protocol is OpenAI's, with the differences the conformance suite checks on Mistral's recordings).
 */
class MistralClientContractTest extends LlmClientContractTest {

    @Override
    protected String apiKey() {
        return "Qm7vX2pL9sK4tR8wY1zN6bH3cJ5dF0gA";
    }

    @Override
    protected boolean reportsReasoningTokens() {
        return false;
    }

    @Override
    protected SimulatedProvider startServer(String apiKey) {
        return SimulatedOpenAiServer.builder().apiKey(apiKey).mistralDialect().start();
    }

    @Override
    protected LlmClient createClient(SimulatedProvider server, String id, String apiKey) {
        return MistralClient.builder(id, "mistral-large-latest").baseUrl(server.baseUrl()).apiKey(Secret.of(apiKey))
                .timeout(Duration.ofSeconds(10)).build();
    }
}
