package dev.llmmesh.providers.gemini;

import dev.llmmesh.Secret;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.testkit.LlmClientContractTest;
import dev.llmmesh.testkit.SimulatedGeminiServer;
import dev.llmmesh.testkit.SimulatedProvider;
import java.time.Duration;

/**
 * {@link GeminiClient} keeps the {@link LlmClient} contract against the simulated Gemini server, which answers a wrong
 * key with the real API's 400 {@code API_KEY_INVALID}: the contract's "authentication failure" holds for it too.
 */
class GeminiClientContractTest extends LlmClientContractTest {

    @Override
    protected String apiKey() {
        return "AIzaSyCanary-Zq8wX2vR7tY4uI1oP6aS3dF9gH0";
    }

    @Override
    protected SimulatedProvider startServer(String apiKey) {
        return SimulatedGeminiServer.builder().apiKey(apiKey).start();
    }

    @Override
    protected LlmClient createClient(SimulatedProvider server, String id, String apiKey) {
        return GeminiClient.builder(id, "gemini-2.5-flash").baseUrl(server.baseUrl()).apiKey(Secret.of(apiKey))
                .timeout(Duration.ofSeconds(10)).build();
    }
}
