package dev.llmmesh.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmmesh.client.Capability;
import dev.llmmesh.client.Pricing;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PriceTableTest {
    private static final PriceTable TABLE = PriceTable.builtIn();

    private static Pricing price(String provider, String model) {
        return TABLE.find(provider, model).flatMap(ModelFacts::pricing)
                .orElseThrow(() -> new AssertionError(provider + "/" + model + " has no price"));
    }

    @Test
    void builtInTableNamesItsSourceAndTheSourcesDate() {
        assertThat(TABLE.source()).contains("LiteLLM").contains("model_prices_and_context_window.json")
                .contains("MIT");
        assertThat(TABLE.sourceDate()).isEqualTo(LocalDate.of(2026, 8, 1));
        assertThat(TABLE.size()).isGreaterThan(200);
    }

    @Test
    void listsTheMainModelsOfEveryProviderTheMeshHasAClientFor() {
        assertThat(TABLE.all()).extracting(ModelFacts::provider).contains("openai", "azure", "anthropic", "gemini",
                "mistral", "ollama");
    }

    @Test
    void pricesArePerMillionTokensIncludingCachedInput() {
        Pricing mini = price("openai", "gpt-4o-mini");

        assertThat(mini.inputPerMillion()).isEqualByComparingTo("0.15");
        assertThat(mini.outputPerMillion()).isEqualByComparingTo("0.6");
        assertThat(mini.cachedInputPerMillion()).hasValueSatisfying(p -> assertThat(p).isEqualByComparingTo("0.075"));
        assertThat(mini.reasoningPerMillion()).isEmpty();
    }

    @Test
    void reasoningPricesAreKeptWhereTheSourceListsThem() {
        Pricing flash = price("gemini", "gemini-2.5-flash");

        assertThat(flash.reasoningPerMillion()).hasValueSatisfying(p -> assertThat(p).isEqualByComparingTo("2.5"));
        assertThat(flash.cachedInputPerMillion()).hasValueSatisfying(p -> assertThat(p).isEqualByComparingTo("0.03"));
    }

    @Test
    void anthropicCacheWritePriceIsKeptAsAFact() {
        ModelFacts sonnet = TABLE.find("anthropic", "claude-sonnet-4-5").orElseThrow();

        assertThat(sonnet.cacheWritePerMillion()).hasValueSatisfying(p -> assertThat(p).isEqualByComparingTo("3.75"));
        assertThat(sonnet.pricing().orElseThrow().cachedInputPerMillion())
                .hasValueSatisfying(p -> assertThat(p).isEqualByComparingTo("0.3"));
        assertThat(sonnet.contextWindow()).isEqualTo(200_000);
        assertThat(sonnet.maxOutputTokens()).isEqualTo(64_000);
    }

    @Test
    void capabilitiesComeFromTheSourcesFlags() {
        ModelFacts mini = TABLE.find("openai", "gpt-4o-mini").orElseThrow();
        ModelFacts o3mini = TABLE.find("openai", "o3-mini").orElseThrow();

        assertThat(mini.capabilities()).contains(Capability.CHAT, Capability.STREAMING, Capability.TOOLS,
                Capability.PARALLEL_TOOLS, Capability.JSON_SCHEMA, Capability.VISION, Capability.PROMPT_CACHING)
                .doesNotContain(Capability.REASONING);
        assertThat(o3mini.capabilities()).contains(Capability.REASONING).doesNotContain(Capability.VISION,
                Capability.PARALLEL_TOOLS);
    }

    @Test
    void providersAreSeparateNamespaces() {
        assertThat(price("azure", "gpt-4o-mini").inputPerMillion()).isEqualByComparingTo("0.165");
        assertThat(price("openai", "gpt-4o-mini").inputPerMillion()).isEqualByComparingTo("0.15");
        assertThat(TABLE.find("anthropic", "gpt-4o-mini")).isEmpty();
    }

    @Test
    void aModelMissingFromTheTableHasNoPriceNeverZero() {
        assertThat(TABLE.find("openai", "gpt-99-imaginary")).isEmpty();
        assertThat(TABLE.find("nobody", "gpt-4o-mini")).isEmpty();
    }

    @Test
    void ollamaTagsAndGeminiModelPrefixesAreForgiven() {
        assertThat(TABLE.find("ollama", "llama3.1:8b")).map(ModelFacts::model).contains("llama3.1");
        assertThat(TABLE.find("gemini", "models/gemini-2.5-flash")).map(ModelFacts::model)
                .contains("gemini-2.5-flash");
    }

    @Test
    void malformedTablesAreRejectedNamingTheLine() {
        String header = "# source: test\n# source-date: 2026-01-01\n";
        assertThatThrownBy(() -> PriceTable.parse(new StringReader(header + "openai\tx\t1\n")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 3");
        assertThatThrownBy(() -> PriceTable.parse(new StringReader("openai\tx\t1\t2\t-\t-\t-\t10\t5\t-\n")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("source");
        assertThatThrownBy(() -> PriceTable.parse(new StringReader(header + "openai\tx\tcheap\t2\t-\t-\t-\t10\t5\t-\n")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 3");
    }

    @Test
    void aRowWithoutPricesHasNoPricing() {
        PriceTable t = PriceTable.parse(new StringReader("# source: test\n# source-date: 2026-01-01\n"
                + "openai\tfree-lunch\t-\t-\t-\t-\t-\t1000\t100\ttools\n"));

        assertThat(t.find("openai", "free-lunch")).hasValueSatisfying(f -> {
            assertThat(f.pricing()).isEmpty();
            assertThat(f.capabilities()).contains(Capability.TOOLS);
        });
    }

    /**
     * The committed resource is exactly what {@link PriceTableGenerator} makes from the LiteLLM fixture. With
     * {@code -Dmesh.priceTable.write=true} it rewrites the resource instead (see the generator's javadoc).
     */
    @Test
    void builtInTableIsWhatTheGeneratorMakesFromTheLiteLlmSnapshot() throws IOException {
        String fixtures = System.getenv("MESH_FIXTURES");
        if (fixtures == null || fixtures.isBlank()) {
            System.out.println("skipped: MESH_FIXTURES not set");
            return;
        }
        String generated = PriceTableGenerator.generate(Path.of(fixtures, PriceTableGenerator.LITELLM_FILE));
        if (Boolean.getBoolean("mesh.priceTable.write")) {
            Files.writeString(PriceTableGenerator.RESOURCE, generated, StandardCharsets.UTF_8);
            System.out.println("wrote " + PriceTableGenerator.RESOURCE.toAbsolutePath());
        }
        assertThat(Files.readString(PriceTableGenerator.RESOURCE, StandardCharsets.UTF_8)).isEqualTo(generated);
        assertThat(PriceTable.parse(new StringReader(generated)).size()).isEqualTo(TABLE.size());
        assertThat(Optional.of(new BigDecimal("0.15")))
                .isEqualTo(PriceTable.parse(new StringReader(generated)).find("openai", "gpt-4o-mini")
                        .flatMap(ModelFacts::pricing).map(Pricing::inputPerMillion));
    }
}
