package dev.llmmesh.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmmesh.governance.eval.SpanMetrics;
import dev.llmmesh.governance.eval.SpanMetrics.Span;
import dev.llmmesh.governance.pii.PiiDetectors;
import dev.llmmesh.governance.pii.PiiScanner;
import dev.llmmesh.governance.pii.PiiSpan;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Measures the PII scanner on a labelled file of your own and prints precision, recall and F2 per entity type and
 * overall (span level: a prediction finds a gold span of the same type when their overlap covers at least half of
 * the longer one; {@code --exact} for equal offsets).
 *
 * <pre>
 * ./mvnw -q -pl mesh-examples -am package -DskipTests -Prun -Dexample=PiiEval \
 *     -Dexec.args="labelled.json [--detectors default|all] [--exact]"
 * </pre>
 *
 * Formats (optionally gzip-compressed): a JSON array in Presidio's research format,
 * {@code [{"full_text": "...", "spans": [{"entity_type": "PERSON", "start_position": 0, "end_position": 5}]}]}, or
 * JSON Lines with {@code {"text": "...", "spans": [{"entity_type": "PERSON", "start": 0, "end": 5}]}} per line
 * (offsets in UTF-16 characters, end exclusive). Labels use Presidio's names (PERSON, EMAIL_ADDRESS, PHONE_NUMBER,
 * CREDIT_CARD, IBAN_CODE, US_SSN, IP_ADDRESS, DATE_TIME, LOCATION or GPE, STREET_ADDRESS or ADDRESS, ZIP_CODE,
 * DOMAIN_NAME, US_DRIVER_LICENSE, AGE, ORGANIZATION, ...); the scanner's types are mapped onto them
 * ({@link #PRESIDIO_NAMES}). Gold types the scanner has no detector for count as misses.
 */
public final class PiiEval {
    /** Scanner type name to Presidio label. Types not listed keep their own name. */
    static final Map<String, String> PRESIDIO_NAMES = Map.ofEntries(
            Map.entry("EMAIL", "EMAIL_ADDRESS"), Map.entry("PHONE", "PHONE_NUMBER"),
            Map.entry("IBAN", "IBAN_CODE"), Map.entry("DATE_OF_BIRTH", "DATE_TIME"),
            Map.entry("POSTAL_CODE", "ZIP_CODE"));
    /** Gold label synonyms. */
    static final Map<String, String> GOLD_SYNONYMS = Map.of("GPE", "LOCATION", "ADDRESS", "STREET_ADDRESS");

    private PiiEval() {
    }

    /** One labelled text. */
    record Doc(String text, List<Span> gold) {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: PiiEval FILE.json|FILE.jsonl [--detectors default|all] [--exact]");
            System.exit(2);
        }
        String detectors = "default";
        SpanMetrics.Matching matching = SpanMetrics.Matching.HALF;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--detectors" -> detectors = args[++i].toLowerCase(Locale.ROOT);
                case "--exact" -> matching = SpanMetrics.Matching.EXACT;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        PiiScanner scanner = switch (detectors) {
            case "default" -> PiiScanner.defaults();
            case "all" -> PiiScanner.builder().add(PiiDetectors.builtIn()).add(PiiDetectors.personNames())
                    .add(PiiDetectors.extended()).build();
            default -> throw new IllegalArgumentException("--detectors must be default or all");
        };
        List<Doc> docs = read(Path.of(args[0]));
        System.out.printf(Locale.ROOT, "%s: %d texts, detectors %s, %s matching%n", Path.of(args[0]).getFileName(),
                docs.size(), detectors, matching.name().toLowerCase(Locale.ROOT));
        System.out.println(evaluate(docs, scanner, matching).table());
    }

    static SpanMetrics evaluate(List<Doc> docs, PiiScanner scanner, SpanMetrics.Matching matching) {
        List<List<Span>> gold = new ArrayList<>();
        List<List<Span>> pred = new ArrayList<>();
        for (Doc d : docs) {
            gold.add(d.gold());
            List<Span> p = new ArrayList<>();
            for (PiiSpan s : scanner.scan(d.text())) {
                String name = s.type().name();
                p.add(new Span(PRESIDIO_NAMES.getOrDefault(name, name), s.start(), s.end()));
            }
            pred.add(p);
        }
        return SpanMetrics.evaluate(gold, pred, matching);
    }

    static List<Doc> read(Path file) throws IOException {
        String content;
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        ObjectMapper json = new ObjectMapper();
        List<Doc> out = new ArrayList<>();
        String trimmed = content.stripLeading();
        if (trimmed.startsWith("[")) {
            for (JsonNode n : json.readTree(trimmed)) {
                out.add(doc(n));
            }
        } else {
            int line = 0;
            for (String l : content.split("\n")) {
                line++;
                if (!l.isBlank()) {
                    try {
                        out.add(doc(json.readTree(l)));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("line " + line + ": " + e.getMessage(), e);
                    }
                }
            }
        }
        return out;
    }

    private static Doc doc(JsonNode n) {
        JsonNode text = n.hasNonNull("full_text") ? n.get("full_text") : n.get("text");
        if (text == null) {
            throw new IllegalArgumentException("a record needs \"full_text\" or \"text\"");
        }
        List<Span> gold = new ArrayList<>();
        for (JsonNode s : n.path("spans")) {
            String type = s.path("entity_type").asText();
            type = GOLD_SYNONYMS.getOrDefault(type, type);
            int start = (s.has("start_position") ? s.get("start_position") : s.path("start")).asInt(-1);
            int end = (s.has("end_position") ? s.get("end_position") : s.path("end")).asInt(-1);
            if (type.isEmpty() || start < 0 || end < start || end > text.asText().length()) {
                throw new IllegalArgumentException("bad span " + s);
            }
            gold.add(new Span(type, start, end));
        }
        return new Doc(text.asText(), gold);
    }
}
