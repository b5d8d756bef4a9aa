package dev.llmmesh.providers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmmesh.Cost;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.Secret;
import dev.llmmesh.client.Pricing;
import dev.llmmesh.config.MeshConfig;
import dev.llmmesh.providers.anthropic.AnthropicClient;
import dev.llmmesh.providers.gemini.GeminiClient;
import dev.llmmesh.providers.openai.OpenAiClient;
import dev.llmmesh.testkit.ManualClock;
import dev.llmmesh.testkit.SimulatedAnthropicServer;
import dev.llmmesh.testkit.SimulatedGeminiServer;
import dev.llmmesh.testkit.SimulatedOpenAiServer;
import dev.llmmesh.testkit.SimulatedOpenAiServer.Behavior;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The cost the mesh puts in {@link MeshResponse#cost()} for calls over real HTTP, priced from the built-in table (or an
 * override), checked against hand computations. Table prices used (USD per million tokens, LiteLLM snapshot
 * 2026-08-01): o3-mini input 1.1, cached 0.55, output 4.4 (no separate reasoning price: reasoning tokens cost the
 * output price); claude-sonnet-4-5 input 3, cache read 0.3, output 15; gemini-2.5-flash input 0.3, cached 0.03,
 * output 2.5, reasoning 2.5.
 */
class CostFromPriceTableTest {

    private static MeshResponse call(Mesh mesh) {
        return mesh.chat("price this call");
    }

    @Test
    void openAiCallWithCachedAndReasoningTokensCostsWhatTheTableSays() {
        try (SimulatedOpenAiServer server = SimulatedOpenAiServer.start();
             Mesh mesh = Mesh.builder().clock(new ManualClock())
                     .addModel(OpenAiClient.builder("o3-mini", "o3-mini").baseUrl(server.baseUrl()).build()).build()) {
            server.enqueue(Behavior.ok("priced").usage(10_000, 3_000).cachedTokens(6_000).reasoningTokens(2_500));

            MeshResponse response = call(mesh);

            // 4,000 uncached input x 1.1 = 4,400; 6,000 cached x 0.55 = 3,300;
            // 500 visible output x 4.4 = 2,200; 2,500 reasoning x 4.4 = 11,000 → 20,900 per million = $0.0209
            assertThat(response.cost().known()).isTrue();
            assertThat(response.cost().usd()).isEqualByComparingTo("0.0209");
        }
    }

    @Test
    void anthropicCacheReadsArePricedAtTheCacheReadPrice() {
        try (SimulatedAnthropicServer server = SimulatedAnthropicServer.start();
             Mesh mesh = Mesh.builder().clock(new ManualClock())
                     .addModel(AnthropicClient.builder("sonnet", "claude-sonnet-4-5").baseUrl(server.baseUrl())
                             .build()).build()) {
            server.enqueue(Behavior.ok("priced").usage(10_000, 1_000).cachedTokens(8_000));

            MeshResponse response = call(mesh);

            // the wire says input_tokens 2,000 + cache_read_input_tokens 8,000:
            // 2,000 x 3 = 6,000; 8,000 x 0.3 = 2,400; 1,000 output x 15 = 15,000 → 23,400 per million = $0.0234
            assertThat(response.cost().usd()).isEqualByComparingTo("0.0234");
        }
    }

    @Test
    void geminiThoughtsArePricedAsReasoningOnTopOfTheCandidates() {
        try (SimulatedGeminiServer server = SimulatedGeminiServer.start();
             Mesh mesh = Mesh.builder().clock(new ManualClock())
                     .addModel(GeminiClient.builder("flash", "gemini-2.5-flash").baseUrl(server.baseUrl())
                             .apiKey(Secret.of("AIza-cost")).build()).build()) {
            server.enqueue(Behavior.ok("priced").usage(1_000, 300).cachedTokens(200).reasoningTokens(100));

            MeshResponse response = call(mesh);

            // candidatesTokenCount 200 + thoughtsTokenCount 100 = 300 output:
            // 800 x 0.3 = 240; 200 cached x 0.03 = 6; 200 x 2.5 = 500; 100 thoughts x 2.5 = 250 → 996 = $0.000996
            assertThat(response.cost().usd()).isEqualByComparingTo("0.000996");
        }
    }

    @Test
    void aBuilderPriceOverridesTheTableIncludingAReasoningPrice() {
        try (SimulatedOpenAiServer server = SimulatedOpenAiServer.start();
             Mesh mesh = Mesh.builder().clock(new ManualClock())
                     .addModel(OpenAiClient.builder("mini", "gpt-4o-mini").baseUrl(server.baseUrl())
                             .pricing(Pricing.perMillion(1, 4, 0.5).withReasoning(8)).build()).build()) {
            server.enqueue(Behavior.ok("priced").usage(1_000, 1_000).cachedTokens(400).reasoningTokens(600));

            MeshResponse response = call(mesh);

            // 600 x 1 + 400 x 0.5 + 400 x 4 + 600 x 8 = 600 + 200 + 1,600 + 4,800 = 7,200 → $0.0072
            assertThat(response.cost().usd()).isEqualByComparingTo("0.0072");
        }
    }

    @Test
    void aMeshYamlPriceOverridesTheTable() {
        try (SimulatedOpenAiServer server = SimulatedOpenAiServer.start()) {
            String yaml = """
                    models:
                      - id: mini
                        provider: openai
                        model: gpt-4o-mini
                        baseUrl: %s
                        pricing: {input: 2, output: 8, cachedInput: 1}
                    """.formatted(server.baseUrl());
            try (Mesh mesh = MeshConfig.parse(yaml, Map.<String, String>of()::get).clock(new ManualClock()).build()) {
                server.enqueue(Behavior.ok("priced").usage(1_000, 100).cachedTokens(500));

                MeshResponse response = call(mesh);

                // 500 x 2 + 500 x 1 + 100 x 8 = 1,000 + 500 + 800 = 2,300 → $0.0023 (the table says 0.15/0.075/0.6)
                assertThat(response.cost().usd()).isEqualByComparingTo("0.0023");
            }
        }
    }

    @Test
    void aModelMissingFromTheTableHasAnUnknownCostNeverZero() {
        try (SimulatedOpenAiServer server = SimulatedOpenAiServer.start();
             Mesh mesh = Mesh.builder().clock(new ManualClock())
                     .addModel(OpenAiClient.builder("local", "my-finetune-7b").baseUrl(server.baseUrl()).build())
                     .build()) {
            server.enqueue(Behavior.ok("unpriced").usage(1_000, 100));

            MeshResponse response = call(mesh);

            assertThat(response.cost()).isEqualTo(Cost.UNKNOWN);
            assertThat(response.cost().known()).isFalse();
            assertThat(response.cost().usd()).isEqualTo(BigDecimal.ZERO);
        }
    }
}
