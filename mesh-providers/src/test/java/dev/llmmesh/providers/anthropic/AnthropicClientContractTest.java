package dev.llmmesh.providers.anthropic;

import dev.llmmesh.Secret;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.testkit.LlmClientContractTest;
import dev.llmmesh.testkit.SimulatedAnthropicServer;
import dev.llmmesh.testkit.SimulatedProvider;
import java.time.Duration;

/** {@link AnthropicClient} keeps the {@link LlmClient} contract against the simulated Anthropic server. */
class AnthropicClientContractTest extends LlmClientContractTest {

    @Override
    protected String apiKey() {
        return "sk-ant-api03-canary-Zq8wX2vR7tY4uI1oP6aS3dF9gH0jK5lL";
    }

    @Override
    protected boolean reportsReasoningTokens() {
        return false; // thinking is part of output_tokens, not reported apart
    }

    @Override
    protected SimulatedProvider startServer(String apiKey) {
        return SimulatedAnthropicServer.builder().apiKey(apiKey).start();
    }

    @Override
    protected LlmClient createClient(SimulatedProvider server, String id, String apiKey) {
        return AnthropicClient.builder(id, "claude-sonnet-4-5").baseUrl(server.baseUrl()).apiKey(Secret.of(apiKey))
                .timeout(Duration.ofSeconds(10)).build();
    }
}
