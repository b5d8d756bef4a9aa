package dev.llmmesh.providers;

import dev.llmmesh.client.Capability;
import dev.llmmesh.client.Pricing;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Prices and capabilities of the main models of each provider, as facts from a named public source. The built-in table
 * ({@link #builtIn()}) is the resource {@code dev/llmmesh/providers/model-facts.tsv}, generated from LiteLLM's
 * {@code model_prices_and_context_window.json} (MIT; the resource names the snapshot and its date) by the test-scope
 * program {@code PriceTableGenerator}. The provider clients' builders and factories use it when no price is given, so a
 * deployment of a listed model is priced, and one of an unlisted model is <em>not</em>: its cost is unknown, never
 * zero.
 *
 * <p>Lookups are exact on the provider and the provider's model name, with two forgiving rules: a Gemini name may carry
 * the API's {@code models/} prefix, and an Ollama name's {@code :tag} is dropped when the tagged name is not listed
 * ({@code llama3.1:8b} finds {@code llama3.1}).
 *
 * <p>Format (tab-separated, one model per line; {@code #} lines are comments; {@code -} is "not listed"):
 * {@code provider model input output cachedInput cacheWrite reasoning contextWindow maxOutputTokens capabilities},
 * prices in USD per million tokens, capabilities as comma-separated {@link Capability#configName()}s. The header
 * comments {@code # source: …} and {@code # source-date: YYYY-MM-DD} are required.
 *
 * <p>Immutable and thread-safe.
 */
public final class PriceTable {
    /** Where the built-in table lives on the class path. */
    public static final String RESOURCE = "/dev/llmmesh/providers/model-facts.tsv";

    private static final class BuiltIn {
        static final PriceTable TABLE = load();

        private static PriceTable load() {
            InputStream in = PriceTable.class.getResourceAsStream(RESOURCE);
            if (in == null) {
                throw new IllegalStateException("the built-in price table " + RESOURCE + " is missing from the class "
                        + "path; mesh-providers was packaged without its resources");
            }
            try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                return parse(r);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the built-in price table " + RESOURCE, e);
            }
        }
    }

    private final String source;
    private final LocalDate sourceDate;
    private final Map<String, ModelFacts> byKey;

    private PriceTable(String source, LocalDate sourceDate, Map<String, ModelFacts> byKey) {
        this.source = source;
        this.sourceDate = sourceDate;
        this.byKey = Collections.unmodifiableMap(new LinkedHashMap<>(byKey));
    }

    /** The table shipped in mesh-providers. Loaded once, on first use. */
    public static PriceTable builtIn() {
        return BuiltIn.TABLE;
    }

    /**
     * Reads a table in the format described above.
     *
     * @throws IllegalArgumentException naming the line and the problem for a malformed line or a missing
     *                                  {@code source}/{@code source-date} header
     * @throws UncheckedIOException     if reading fails
     */
    public static PriceTable parse(Reader tsv) {
        Objects.requireNonNull(tsv, "tsv");
        String source = null;
        LocalDate date = null;
        Map<String, ModelFacts> facts = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(tsv)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                if (line.startsWith("#")) {
                    String c = line.substring(1).strip();
                    if (c.startsWith("source:")) {
                        source = c.substring("source:".length()).strip();
                    } else if (c.startsWith("source-date:")) {
                        try {
                            date = LocalDate.parse(c.substring("source-date:".length()).strip());
                        } catch (DateTimeParseException e) {
                            throw new IllegalArgumentException("price table line " + n + ": source-date must be "
                                    + "YYYY-MM-DD");
                        }
                    }
                    continue;
                }
                ModelFacts f = row(line, n);
                if (facts.putIfAbsent(key(f.provider(), f.model()), f) != null) {
                    throw new IllegalArgumentException("price table line " + n + ": duplicate entry "
                            + f.provider() + "/" + f.model());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the price table", e);
        }
        if (source == null || date == null) {
            throw new IllegalArgumentException("price table: the header must name its source (# source: ...) and the "
                    + "source's date (# source-date: YYYY-MM-DD)");
        }
        return new PriceTable(source, date, facts);
    }

    private static ModelFacts row(String line, int n) {
        String[] c = line.split("\t", -1);
        if (c.length != 10) {
            throw new IllegalArgumentException("price table line " + n + ": expected 10 tab-separated columns, got "
                    + c.length);
        }
        try {
            Optional<BigDecimal> input = decimal(c[2]);
            Optional<BigDecimal> output = decimal(c[3]);
            Optional<Pricing> pricing = input.isPresent() && output.isPresent()
                    ? Optional.of(new Pricing(input.get(), output.get(), decimal(c[4]), decimal(c[6]), decimal(c[5])))
                    : Optional.empty();
            Set<Capability> caps = EnumSet.of(Capability.CHAT, Capability.STREAMING);
            if (!c[9].isBlank() && !c[9].equals("-")) {
                for (String cap : c[9].split(",")) {
                    caps.add(Capability.parse(cap));
                }
            }
            int context = Integer.parseInt(c[7]);
            return new ModelFacts(c[0], c[1], pricing, decimal(c[5]), context,
                    Math.min(context, Integer.parseInt(c[8])), caps);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("price table line " + n + ": " + e.getMessage(), e);
        }
    }

    private static Optional<BigDecimal> decimal(String s) {
        return s.equals("-") || s.isBlank() ? Optional.empty() : Optional.of(new BigDecimal(s));
    }

    private static String key(String provider, String model) {
        return provider.toLowerCase(Locale.ROOT) + "\t" + model;
    }

    /** What the source says about {@code model} of {@code provider}; empty when it is not listed. */
    public Optional<ModelFacts> find(String provider, String model) {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        String p = provider.toLowerCase(Locale.ROOT);
        ModelFacts f = byKey.get(key(p, model));
        if (f == null && p.equals("gemini") && model.startsWith("models/")) {
            f = byKey.get(key(p, model.substring("models/".length())));
        }
        if (f == null && p.equals("ollama") && model.indexOf(':') > 0) {
            f = byKey.get(key(p, model.substring(0, model.indexOf(':'))));
        }
        return Optional.ofNullable(f);
    }

    /** Every listed model, in table order. */
    public List<ModelFacts> all() {
        return List.copyOf(new ArrayList<>(byKey.values()));
    }

    /** How many models are listed. */
    public int size() {
        return byKey.size();
    }

    /** The source the facts come from, as named in the table's header. */
    public String source() {
        return source;
    }

    /** The date of the source snapshot. */
    public LocalDate sourceDate() {
        return sourceDate;
    }

    @Override
    public String toString() {
        return "PriceTable[" + byKey.size() + " models, source=" + source + ", date=" + sourceDate + "]";
    }
}
