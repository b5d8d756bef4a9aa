package dev.llmmesh.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmmesh.client.Capability;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * Generates the built-in price table ({@code src/main/resources/dev/llmmesh/providers/model-facts.tsv}) from LiteLLM's
 * {@code model_prices_and_context_window.json}. It keeps the facts only (prices, context window, maximum output,
 * capability flags) of every {@code mode: chat} entry of the six providers the mesh has clients for, converts prices
 * from USD per token to USD per million tokens with exact decimals, and writes them sorted, with a header naming the
 * source and its date.
 *
 * <p>Run it from the repository root with the fixtures in place:
 * <pre>{@code
 * MESH_FIXTURES=/path/to/fixtures ./mvnw -o -q -pl mesh-providers test \
 *     -Dtest=PriceTableTest -Dmesh.priceTable.write=true
 * }</pre>
 * {@code PriceTableTest} also checks, whenever {@code MESH_FIXTURES} is set, that the committed resource is exactly
 * what this program makes from the fixture.
 */
public final class PriceTableGenerator {
    /** The LiteLLM snapshot in the fixtures, relative to {@code MESH_FIXTURES}. */
    public static final String LITELLM_FILE = "pricing/litellm-model_prices_and_context_window.json";
    /** Where the table goes, relative to the mesh-providers module. */
    public static final Path RESOURCE = Path.of("src/main/resources/dev/llmmesh/providers/model-facts.tsv");

    static final String SOURCE = "LiteLLM model_prices_and_context_window.json (MIT), BerriAI/litellm main as "
            + "snapshotted by Prajwalsrinvas/token-tariff@dc2baf9d (feed refreshed 2026-08-01)";
    static final String SOURCE_DATE = "2026-08-01";

    /** LiteLLM's {@code litellm_provider} → the mesh's provider name, and the key prefix LiteLLM uses for it. */
    private static final Map<String, String[]> PROVIDERS = Map.of(
            "openai", new String[]{"openai", ""},
            "azure", new String[]{"azure", "azure/"},
            "anthropic", new String[]{"anthropic", ""},
            "gemini", new String[]{"gemini", "gemini/"},
            "mistral", new String[]{"mistral", "mistral/"},
            "ollama", new String[]{"ollama", "ollama/"});

    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000L);

    private PriceTableGenerator() {
    }

    /** Writes the table generated from {@code args[0]} (the LiteLLM JSON) to {@code args[1]} (default: the resource). */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: PriceTableGenerator <model_prices_and_context_window.json> [output.tsv]");
            System.exit(2);
        }
        Path out = args.length > 1 ? Path.of(args[1]) : RESOURCE;
        String table = generate(Path.of(args[0]));
        Files.writeString(out, table, StandardCharsets.UTF_8);
        System.out.println("wrote " + out + " (" + table.lines().filter(l -> !l.startsWith("#")).count() + " models)");
    }

    /** The table text for the LiteLLM file at {@code litellm}. Deterministic. */
    public static String generate(Path litellm) throws IOException {
        JsonNode root = new ObjectMapper().readTree(litellm.toFile());
        TreeMap<String, String> rows = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            JsonNode m = e.getValue();
            String[] provider = PROVIDERS.get(m.path("litellm_provider").asText(""));
            if (provider == null || !"chat".equals(m.path("mode").asText()) || !e.getKey().startsWith(provider[1])) {
                continue;
            }
            String model = e.getKey().substring(provider[1].length());
            int context = m.path("max_input_tokens").asInt(m.path("max_tokens").asInt(0));
            int maxOut = m.path("max_output_tokens").asInt(m.path("max_tokens").asInt(0));
            if (model.isBlank() || model.contains("\t") || context < 1 || maxOut < 1) {
                continue; // no usable window: not a fact the mesh can route on
            }
            StringJoiner row = new StringJoiner("\t");
            row.add(provider[0]).add(model)
                    .add(perMillion(m.path("input_cost_per_token")))
                    .add(perMillion(m.path("output_cost_per_token")))
                    .add(perMillion(m.path("cache_read_input_token_cost")))
                    .add(perMillion(m.path("cache_creation_input_token_cost")))
                    .add(perMillion(m.path("output_cost_per_reasoning_token")))
                    .add(String.valueOf(context))
                    .add(String.valueOf(Math.min(maxOut, context)))
                    .add(capabilities(m));
            rows.put(provider[0] + "\t" + model, row.toString());
        }
        StringBuilder sb = new StringBuilder();
        sb.append("# LLM Mesh built-in model facts: prices in USD per million tokens, context window, capabilities.\n");
        sb.append("# Generated by PriceTableGenerator (mesh-providers, test scope); do not edit by hand.\n");
        sb.append("# source: ").append(SOURCE).append('\n');
        sb.append("# source-date: ").append(SOURCE_DATE).append('\n');
        sb.append("# contextWindow is the source's max_input_tokens; '-' means the source lists no value.\n");
        sb.append("# columns: provider\tmodel\tinput\toutput\tcachedInput\tcacheWrite\treasoning\tcontextWindow"
                + "\tmaxOutputTokens\tcapabilities\n");
        rows.values().forEach(r -> sb.append(r).append('\n'));
        return sb.toString();
    }

    private static String perMillion(JsonNode cost) {
        if (!cost.isNumber()) {
            return "-";
        }
        BigDecimal perToken = new BigDecimal(cost.asText());
        BigDecimal v = perToken.multiply(MILLION).stripTrailingZeros();
        return v.signum() == 0 ? "0" : v.toPlainString();
    }

    private static String capabilities(JsonNode m) {
        Set<Capability> caps = EnumSet.noneOf(Capability.class);
        if (m.path("supports_function_calling").asBoolean(false)) {
            caps.add(Capability.TOOLS);
        }
        if (m.path("supports_parallel_function_calling").asBoolean(false)) {
            caps.add(Capability.PARALLEL_TOOLS);
        }
        if (m.path("supports_response_schema").asBoolean(false)) {
            caps.add(Capability.JSON_MODE);
            caps.add(Capability.JSON_SCHEMA);
        }
        if (m.path("supports_vision").asBoolean(false)) {
            caps.add(Capability.VISION);
        }
        if (m.path("supports_audio_input").asBoolean(false) || m.path("supports_audio_output").asBoolean(false)) {
            caps.add(Capability.AUDIO);
        }
        if (m.path("supports_reasoning").asBoolean(false)) {
            caps.add(Capability.REASONING);
        }
        if (m.path("supports_prompt_caching").asBoolean(false)) {
            caps.add(Capability.PROMPT_CACHING);
        }
        if (caps.isEmpty()) {
            return "-";
        }
        List<String> names = new ArrayList<>();
        caps.forEach(c -> names.add(c.configName()));
        return String.join(",", names);
    }
}
