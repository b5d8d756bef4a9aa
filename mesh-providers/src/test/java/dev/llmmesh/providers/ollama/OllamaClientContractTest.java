package dev.llmmesh.providers.ollama;

import dev.llmmesh.Secret;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.testkit.LlmClientContractTest;
import dev.llmmesh.testkit.SimulatedOllamaServer;
import dev.llmmesh.testkit.SimulatedProvider;
import java.time.Duration;

/**
 * {@link OllamaClient} keeps the {@link LlmClient} contract against the simulated Ollama server, here behind a key (as
 * behind an authenticating proxy), so the key rules are checked too.
 */
class OllamaClientContractTest extends LlmClientContractTest {

    @Override
    protected String apiKey() {
        return "gsk_canaryZq8wX2vR7tY4uI1oP6aS3dF9gH0jK5";
    }

    @Override
    protected boolean reportsCachedTokens() {
        return false;
    }

    @Override
    protected boolean reportsReasoningTokens() {
        return false;
    }

    @Override
    protected SimulatedProvider startServer(String apiKey) {
        return SimulatedOllamaServer.builder().apiKey(apiKey).start();
    }

    @Override
    protected LlmClient createClient(SimulatedProvider server, String id, String apiKey) {
        return OllamaClient.builder(id, "llama3.1").baseUrl(server.baseUrl()).apiKey(Secret.of(apiKey))
                .timeout(Duration.ofSeconds(10)).build();
    }
}
