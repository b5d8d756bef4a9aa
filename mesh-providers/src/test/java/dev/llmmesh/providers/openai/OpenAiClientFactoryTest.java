package dev.llmmesh.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.client.Capability;
import dev.llmmesh.client.LlmClientFactory;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.client.Pricing;
import dev.llmmesh.config.ConfigNode;
import dev.llmmesh.config.MeshConfigException;
import dev.llmmesh.testkit.SimulatedOpenAiServer;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class OpenAiClientFactoryTest {
    private static final ModelDescriptor MODEL = ModelDescriptor.builder("oa", "openai", "gpt-4o-mini").build();

    /** The settings of {@code models[0]} in a mesh.yaml whose {@code ${VAR}}s come from {@code env}. */
    private static ConfigNode entry(String settingsYaml, Map<String, String> env) {
        String yaml = "models:\n  - " + settingsYaml.strip().replace("\n", "\n    ") + "\n";
        return ConfigNode.fromYaml(yaml, env::get).nodeList("models").get(0);
    }

    @Test
    void isRegisteredWithTheServiceLoaderUnderProviderOpenai() {
        assertThat(ServiceLoader.load(LlmClientFactory.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(f -> {
                    assertThat(f).isInstanceOf(OpenAiClientFactory.class);
                    assertThat(f.provider()).isEqualTo("openai");
                });
    }

    @Test
    void readsBaseUrlKeyAndTimeoutMarksThemReadAndTheClientWorks() {
        try (SimulatedOpenAiServer server = SimulatedOpenAiServer.builder().apiKey("sk-from-config").start()) {
            ConfigNode settings = entry("baseUrl: " + server.baseUrl() + "\napiKey: ${OPENAI_KEY}\ntimeout: 5s",
                    Map.of("OPENAI_KEY", "sk-from-config"));

            try (OpenAiClient client = new OpenAiClientFactory().create(MODEL, settings)) {
                settings.requireNoUnknownKeys();
                assertThat(client.baseUrl()).isEqualTo(server.baseUrl());
                assertThat(client.timeout()).isEqualTo(Duration.ofSeconds(5));
                assertThat(client.chat(ChatRequest.builder().messages(UserMessage.from("hi")).build())
                        .aiMessage().text()).isEqualTo("echo: hi");
                assertThat(server.lastRequest().orElseThrow().bearerTokenEquals("sk-from-config")).isTrue();
            }
        }
    }

    @Test
    void withoutSettingsTheClientTalksToOpenAiWithTheDefaultTimeout() {
        try (OpenAiClient client = new OpenAiClientFactory().create(MODEL, entry("{}", Map.of()))) {
            assertThat(client.baseUrl()).isEqualTo(OpenAiClient.DEFAULT_BASE_URL);
            assertThat(client.timeout()).isEqualTo(OpenAiClient.DEFAULT_TIMEOUT);
            assertThat(client.descriptor().id()).isEqualTo(MODEL.id());
        }
    }

    @Test
    void withoutPricingOrWindowTheBuiltInTableFillsThemIn() {
        try (OpenAiClient client = new OpenAiClientFactory().create(MODEL, entry("{}", Map.of()))) {
            assertThat(client.descriptor().pricing()).hasValueSatisfying(p -> {
                assertThat(p.inputPerMillion()).isEqualByComparingTo("0.15");
                assertThat(p.cachedInputPerMillion()).hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo("0.075"));
            });
            assertThat(client.descriptor().contextWindow()).isEqualTo(128_000);
            assertThat(client.descriptor().maxOutputTokens()).isEqualTo(16_384);
            assertThat(client.descriptor().capabilities()).contains(Capability.TOOLS, Capability.JSON_SCHEMA);
        }
    }

    @Test
    void pricingAndWindowTheOperatorSetWinOverTheTable() {
        ModelDescriptor configured = ModelDescriptor.builder("oa", "openai", "gpt-4o-mini")
                .pricing(Pricing.perMillion(1, 2)).contextWindow(32_000).maxOutputTokens(1_000).build();
        ConfigNode settings = entry("pricing: {input: 1, output: 2}\ncontextWindow: 32000\nmaxOutputTokens: 1000",
                Map.of());
        settings.consume("pricing");
        settings.consume("contextWindow");
        settings.consume("maxOutputTokens");

        try (OpenAiClient client = new OpenAiClientFactory().create(configured, settings)) {
            assertThat(client.descriptor().pricing()).contains(Pricing.perMillion(1, 2));
            assertThat(client.descriptor().contextWindow()).isEqualTo(32_000);
            assertThat(client.descriptor().maxOutputTokens()).isEqualTo(1_000);
        }
    }

    @Test
    void aModelTheTableDoesNotListHasNoPrice() {
        ModelDescriptor local = ModelDescriptor.builder("local", "openai", "my-finetune-7b").build();
        try (OpenAiClient client = new OpenAiClientFactory().create(local, entry("{}", Map.of()))) {
            assertThat(client.descriptor().pricing()).isEmpty();
        }
    }

    @Test
    void unknownSettingIsLeftUnreadSoTheLoaderCanReportIt() {
        ConfigNode settings = entry("baseUrl: http://localhost:11434/v1\nbaseURL: typo", Map.of());

        new OpenAiClientFactory().create(MODEL, settings).close();

        assertThatThrownBy(settings::requireNoUnknownKeys).isInstanceOf(MeshConfigException.class)
                .hasMessageContaining("baseURL");
    }

    @Test
    void scenario33_metadataBaseUrlIsAConfigErrorNamingThePath() {
        assertThatThrownBy(() -> new OpenAiClientFactory().create(MODEL,
                entry("baseUrl: http://169.254.169.254/v1", Map.of())))
                .isInstanceOfSatisfying(MeshConfigException.class,
                        e -> assertThat(e.path()).isEqualTo("models[0].baseUrl"));
        assertThatThrownBy(() -> new OpenAiClientFactory().create(MODEL,
                entry("baseUrl: http://2852039166/v1", Map.of())))
                .isInstanceOfSatisfying(MeshConfigException.class,
                        e -> assertThat(e.path()).isEqualTo("models[0].baseUrl"));
    }

    @Test
    void nonPositiveTimeoutIsAConfigErrorNamingThePath() {
        assertThatThrownBy(() -> new OpenAiClientFactory().create(MODEL, entry("timeout: 0s", Map.of())))
                .isInstanceOfSatisfying(MeshConfigException.class,
                        e -> assertThat(e.path()).isEqualTo("models[0].timeout"));
    }

    @Test
    void keyNeverAppearsInAConfigError() {
        assertThatThrownBy(() -> new OpenAiClientFactory().create(MODEL,
                entry("apiKey: ${OPENAI_KEY}\ntimeout: -1s", Map.of("OPENAI_KEY", "sk-config-canary-12345678"))))
                .isInstanceOf(MeshConfigException.class)
                .hasMessageNotContaining("sk-config-canary");
    }
}
