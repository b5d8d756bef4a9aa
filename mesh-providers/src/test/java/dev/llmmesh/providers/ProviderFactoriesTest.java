package dev.llmmesh.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.Mesh;
import dev.llmmesh.client.Capability;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.client.LlmClientFactory;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.config.ConfigNode;
import dev.llmmesh.config.MeshConfig;
import dev.llmmesh.config.MeshConfigException;
import dev.llmmesh.providers.anthropic.AnthropicClient;
import dev.llmmesh.providers.anthropic.AnthropicClientFactory;
import dev.llmmesh.providers.azure.AzureOpenAiClient;
import dev.llmmesh.providers.azure.AzureOpenAiClientFactory;
import dev.llmmesh.providers.gemini.GeminiClientFactory;
import dev.llmmesh.providers.mistral.MistralClientFactory;
import dev.llmmesh.providers.ollama.OllamaClientFactory;
import dev.llmmesh.testkit.ManualClock;
import dev.llmmesh.testkit.SimulatedAnthropicServer;
import dev.llmmesh.testkit.SimulatedGeminiServer;
import dev.llmmesh.testkit.SimulatedOllamaServer;
import dev.llmmesh.testkit.SimulatedOpenAiServer;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** Every provider is reachable from {@code mesh.yaml}: registered factories, their settings, their errors. */
class ProviderFactoriesTest {

    /** The settings of {@code models[0]} in a mesh.yaml whose {@code ${VAR}}s come from {@code env}. */
    private static ConfigNode entry(String settingsYaml, Map<String, String> env) {
        String yaml = "models:\n  - " + settingsYaml.strip().replace("\n", "\n    ") + "\n";
        return ConfigNode.fromYaml(yaml, env::get).nodeList("models").get(0);
    }

    private static ModelDescriptor model(String provider, String name) {
        return ModelDescriptor.builder("m", provider, name).build();
    }

    @Test
    void allSixProvidersAreRegisteredWithTheServiceLoader() {
        List<String> providers = ServiceLoader.load(LlmClientFactory.class).stream()
                .map(p -> p.get().provider()).toList();

        assertThat(providers).contains("openai", "azure", "anthropic", "gemini", "mistral", "ollama");
    }

    @Test
    void aMeshYamlWithEveryProviderBuildsClientsThatAnswerFromTheirOwnServers() {
        try (SimulatedOpenAiServer openAi = SimulatedOpenAiServer.builder().apiKey("sk-yaml-openai")
                .defaultAnswer("from openai").start();
             SimulatedOpenAiServer azure = SimulatedOpenAiServer.builder().apiKey("0123456789abcdef0123456789abcdef")
                     .defaultAnswer("from azure").start();
             SimulatedOpenAiServer mistral = SimulatedOpenAiServer.builder().mistralDialect().apiKey("mistral-yaml")
                     .defaultAnswer("from mistral").start();
             SimulatedAnthropicServer anthropic = SimulatedAnthropicServer.builder().apiKey("sk-ant-yaml")
                     .defaultAnswer("from anthropic").start();
             SimulatedGeminiServer gemini = SimulatedGeminiServer.builder().apiKey("AIza-yaml")
                     .defaultAnswer("from gemini").start();
             SimulatedOllamaServer ollama = SimulatedOllamaServer.builder().defaultAnswer("from ollama").start()) {
            String yaml = """
                    models:
                      - {id: oa, provider: openai, model: gpt-4o-mini, baseUrl: '%s', apiKey: '${OPENAI_KEY}'}
                      - {id: az, provider: azure, model: gpt-4o-mini, baseUrl: '%s', deployment: prod-mini,
                         apiVersion: 2024-10-21, apiKey: '${AZURE_KEY}'}
                      - {id: mi, provider: mistral, model: mistral-large-latest, baseUrl: '%s', apiKey: '${MISTRAL_KEY}'}
                      - {id: an, provider: anthropic, model: claude-sonnet-4-5, baseUrl: '%s',
                         apiKey: '${ANTHROPIC_KEY}', defaultMaxTokens: 1024}
                      - {id: ge, provider: gemini, model: gemini-2.5-flash, baseUrl: '%s', apiKey: '${GEMINI_KEY}'}
                      - {id: ol, provider: ollama, model: 'llama3.1:8b', baseUrl: '%s', keepAlive: 5m, think: false}
                    """.formatted(openAi.baseUrl(), azure.azureEndpoint(), mistral.baseUrl(), anthropic.baseUrl(),
                    gemini.baseUrl(), ollama.baseUrl());
            Map<String, String> env = Map.of("OPENAI_KEY", "sk-yaml-openai",
                    "AZURE_KEY", "0123456789abcdef0123456789abcdef", "MISTRAL_KEY", "mistral-yaml",
                    "ANTHROPIC_KEY", "sk-ant-yaml", "GEMINI_KEY", "AIza-yaml");

            try (Mesh mesh = MeshConfig.parse(yaml, env::get).clock(new ManualClock()).build()) {
                Map<String, String> expected = Map.of("oa", "from openai", "az", "from azure", "mi", "from mistral",
                        "an", "from anthropic", "ge", "from gemini", "ol", "from ollama");
                expected.forEach((id, answer) -> assertThat(mesh.chat(ChatRequest.builder()
                        .messages(UserMessage.from("hi")).modelName(id).build()).text()).as(id).isEqualTo(answer));
            }
            assertThat(azure.lastRequest().orElseThrow().path()).isEqualTo("/openai/deployments/prod-mini/chat/completions");
            assertThat(azure.lastRequest().orElseThrow().query()).contains("api-version=2024-10-21");
            assertThat(ollama.lastRequest().orElseThrow().json().path("keep_alive").asText()).isEqualTo("5m");
            assertThat(ollama.lastRequest().orElseThrow().json().path("think").asBoolean(true)).isFalse();
            assertThat(anthropic.lastRequest().orElseThrow().json().path("max_tokens").asInt()).isEqualTo(1024);
        }
    }

    @Test
    void theTableFillsInPriceWindowAndCapabilitiesForEveryProvider() {
        Map<String, String> models = Map.of("anthropic", "claude-sonnet-4-5", "gemini", "gemini-2.5-flash",
                "mistral", "mistral-large-latest", "ollama", "llama3.1:8b");
        Map<String, LlmClientFactory> factories = Map.of("anthropic", new AnthropicClientFactory(),
                "gemini", new GeminiClientFactory(), "mistral", new MistralClientFactory(),
                "ollama", new OllamaClientFactory());
        factories.forEach((provider, factory) -> {
            try (LlmClient client = factory.create(model(provider, models.get(provider)), entry("{}", Map.of()))) {
                assertThat(client.descriptor().pricing()).as(provider).isPresent();
                ModelFacts facts = PriceTable.builtIn().find(provider, models.get(provider)).orElseThrow();
                assertThat(client.descriptor().pricing()).as(provider).isEqualTo(facts.pricing());
                assertThat(client.descriptor().contextWindow()).as(provider).isEqualTo(facts.contextWindow());
                assertThat(client.descriptor().maxOutputTokens()).as(provider).isEqualTo(facts.maxOutputTokens());
                assertThat(client.descriptor().capabilities()).as(provider).contains(Capability.TOOLS);
            }
        });
    }

    @Test
    void azureNeedsItsResourceEndpoint() {
        assertThatThrownBy(() -> new AzureOpenAiClientFactory().create(model("azure", "gpt-4o-mini"),
                entry("apiKey: x", Map.of())))
                .isInstanceOfSatisfying(MeshConfigException.class, e -> {
                    assertThat(e.path()).isEqualTo("models[0].baseUrl");
                    assertThat(e.getMessage()).contains("openai.azure.com");
                });
        assertThatThrownBy(() -> AzureOpenAiClient.builder("a", "gpt-4o-mini").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("baseUrl is required");
    }

    @Test
    void badProviderSettingsAreConfigErrorsNamingTheirPath() {
        assertThatThrownBy(() -> new AzureOpenAiClientFactory().create(model("azure", "gpt-4o-mini"),
                entry("baseUrl: https://r.openai.azure.com\napiVersion: latest", Map.of())))
                .isInstanceOfSatisfying(MeshConfigException.class,
                        e -> assertThat(e.path()).isEqualTo("models[0].apiVersion"));
        assertThatThrownBy(() -> new AzureOpenAiClientFactory().create(model("azure", "gpt-4o-mini"),
                entry("baseUrl: https://r.openai.azure.com\ndeployment: 'my deployment!'", Map.of())))
                .isInstanceOfSatisfying(MeshConfigException.class,
                        e -> assertThat(e.path()).isEqualTo("models[0].deployment"));
        assertThatThrownBy(() -> new AnthropicClientFactory().create(model("anthropic", "claude-sonnet-4-5"),
                entry("thinkingBudget: 10", Map.of())))
                .isInstanceOfSatisfying(MeshConfigException.class,
                        e -> assertThat(e.path()).isEqualTo("models[0].thinkingBudget"));
        assertThatThrownBy(() -> new OllamaClientFactory().create(model("ollama", "llama3.1"),
                entry("keepAlive: forever", Map.of())))
                .isInstanceOfSatisfying(MeshConfigException.class,
                        e -> assertThat(e.path()).isEqualTo("models[0].keepAlive"));
        assertThatThrownBy(() -> new GeminiClientFactory().create(model("gemini", "gemini-2.5-flash"),
                entry("baseUrl: http://metadata.google.internal/v1beta", Map.of())))
                .isInstanceOfSatisfying(MeshConfigException.class,
                        e -> assertThat(e.path()).isEqualTo("models[0].baseUrl"));
    }

    @Test
    void unknownSettingsAreLeftUnreadForTheLoaderToReport() {
        ConfigNode settings = entry("baseUrl: http://localhost:11434\nkeepalive: 5m", Map.of());

        new OllamaClientFactory().create(model("ollama", "llama3.1"), settings).close();

        assertThatThrownBy(settings::requireNoUnknownKeys).isInstanceOf(MeshConfigException.class)
                .hasMessageContaining("keepalive").hasMessageContaining("keepAlive");
    }

    @Test
    void anOperatorContextWindowBelowTheTablesMaximumOutputClampsIt() {
        ConfigNode settings = entry("contextWindow: 4000", Map.of());
        settings.consume("contextWindow");
        ModelDescriptor configured = ModelDescriptor.builder("m", "anthropic", "claude-sonnet-4-5")
                .contextWindow(4000).maxOutputTokens(4000).build();

        try (AnthropicClient client = new AnthropicClientFactory().create(configured, settings)) {
            assertThat(client.descriptor().contextWindow()).isEqualTo(4000);
            assertThat(client.descriptor().maxOutputTokens()).isEqualTo(4000);
            assertThat(client.defaultMaxTokens()).isEqualTo(4000);
        }
    }

    @Test
    void providersFacadeNamesDeploymentsAfterProviderAndModel() {
        try (LlmClient ollama = Providers.ollama("llama3.1:8b").build();
             LlmClient gpt = Providers.openAi("gpt-4o-mini").build();
             LlmClient groq = Providers.openAiCompatible("groq-llama", "llama-3.3-70b-versatile",
                     "https://api.groq.com/openai/v1").build()) {
            assertThat(ollama.descriptor().id()).isEqualTo("ollama-llama3.1-8b");
            assertThat(ollama.descriptor().modelName()).isEqualTo("llama3.1:8b");
            assertThat(gpt.descriptor().id()).isEqualTo("openai-gpt-4o-mini");
            assertThat(gpt.descriptor().pricing()).isPresent();
            assertThat(groq.descriptor().provider()).isEqualTo("openai");
            assertThat(groq.descriptor().pricing()).as("the table prices OpenAI's own models only").isEmpty();
        }
        assertThat(Providers.priceTable()).isSameAs(PriceTable.builtIn());
    }
}
