package dev.llmmesh.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmmesh.governance.eval.BinaryMetrics;
import dev.llmmesh.governance.guardrail.InjectionClassifier;
import dev.llmmesh.governance.guardrail.PromptInjectionDetector;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.zip.GZIPInputStream;

/**
 * Measures the prompt-injection detectors on a labelled file of your own and prints ROC AUC, TPR and FPR at the
 * threshold, precision, recall and F2, the threshold that a 5% false-positive rate would need, and the p50 time per
 * text (plain timer).
 *
 * <pre>
 * ./mvnw -q -pl mesh-examples -am package -DskipTests -Prun -Dexample=InjectionEval \
 *     -Dexec.args="prompts.jsonl [--detector keywords|classifier|both] [--threshold 0.8]"
 * </pre>
 *
 * The file (optionally gzip-compressed, name ending in {@code .gz}) is either JSON Lines, one
 * {@code {"text": "...", "label": 1}} per line ({@code label} 1/0, true/false, or "injection"/"benign"; other fields
 * are ignored), or CSV with a header row naming the columns {@code text} and {@code label} (RFC 4180 quoting).
 */
public final class InjectionEval {
    private InjectionEval() {
    }

    /** A labelled text. */
    record Example(String text, boolean injection) {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: InjectionEval FILE.jsonl|FILE.csv [--detector keywords|classifier|both] "
                    + "[--threshold 0.8]");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        String detector = "classifier";
        double threshold = InjectionClassifier.OPERATING_POINT;
        for (int i = 1; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--detector" -> detector = args[i + 1].toLowerCase(Locale.ROOT);
                case "--threshold" -> threshold = Double.parseDouble(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<Example> examples = read(file);
        PromptInjectionDetector keywords = new PromptInjectionDetector();
        InjectionClassifier classifier = InjectionClassifier.builtIn();
        ToDoubleFunction<String> scorer = switch (detector) {
            case "keywords" -> keywords::score;
            case "classifier" -> classifier::score;
            case "both" -> t -> Math.max(keywords.score(t), classifier.score(t));
            default -> throw new IllegalArgumentException("--detector must be keywords, classifier or both");
        };
        System.out.println(report(examples, scorer, threshold, detector, file.getFileName().toString()));
    }

    /** The printed report (a separate method so it can be tested). */
    static String report(List<Example> examples, ToDoubleFunction<String> scorer, double threshold, String name,
                         String file) {
        double[] scores = new double[examples.size()];
        boolean[] labels = new boolean[examples.size()];
        long[] nanos = new long[examples.size()];
        for (int i = 0; i < scores.length; i++) {
            long t0 = System.nanoTime();
            scores[i] = scorer.applyAsDouble(examples.get(i).text());
            nanos[i] = System.nanoTime() - t0;
            labels[i] = examples.get(i).injection();
        }
        BinaryMetrics m = BinaryMetrics.of(scores, labels);
        BinaryMetrics.Counts c = m.at(threshold);
        double t05 = m.negatives() == 0 ? Double.NaN : m.thresholdForFpr(0.05);
        Arrays.sort(nanos);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%s on %s: %d texts, %d injections, %d benign%n", name, file,
                examples.size(), m.positives(), m.negatives()));
        out.append(String.format(Locale.ROOT, "ROC AUC              %.3f%n", m.rocAuc()));
        out.append(String.format(Locale.ROOT, "at threshold %.3f:   TPR %.3f  FPR %.3f  precision %.3f  recall %.3f  "
                + "F2 %.3f  (tp %d, fp %d, fn %d)%n", threshold, m.tpr(threshold), m.fpr(threshold), c.precision(),
                c.recall(), c.f2(), c.tp(), c.fp(), c.fn()));
        out.append(String.format(Locale.ROOT, "for FPR <= 0.05:     threshold %.3f  TPR %.3f  (chosen on this file: "
                + "optimistic)%n", t05, m.tpr(t05)));
        out.append(String.format(Locale.ROOT, "time per text        p50 %.1f us (plain timer, first call included)",
                nanos.length == 0 ? Double.NaN : nanos[nanos.length / 2] / 1000.0));
        return out.toString();
    }

    static List<Example> read(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String name = file.getFileName().toString().replaceAll("\\.gz$", "").toLowerCase(Locale.ROOT);
            return name.endsWith(".csv") ? readCsv(r) : readJsonl(r);
        }
    }

    private static List<Example> readJsonl(BufferedReader r) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Example> out = new ArrayList<>();
        String line;
        int n = 0;
        while ((line = r.readLine()) != null) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode node = json.readTree(line);
            if (!node.hasNonNull("text") || !node.has("label")) {
                throw new IllegalArgumentException("line " + n + ": needs \"text\" and \"label\"");
            }
            out.add(new Example(node.get("text").asText(), label(node.get("label").asText(), n)));
        }
        return out;
    }

    private static List<Example> readCsv(BufferedReader r) throws IOException {
        List<List<String>> rows = Csv.parse(r);
        if (rows.isEmpty()) {
            return List.of();
        }
        List<String> header = rows.get(0).stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList();
        int text = header.indexOf("text");
        int label = header.indexOf("label");
        if (text < 0 || label < 0) {
            throw new IllegalArgumentException("the CSV header must name the columns text and label, got " + header);
        }
        List<Example> out = new ArrayList<>();
        for (int i = 1; i < rows.size(); i++) {
            List<String> row = rows.get(i);
            if (row.size() == 1 && row.get(0).isBlank()) {
                continue;
            }
            out.add(new Example(row.get(text), label(row.get(label), i + 1)));
        }
        return out;
    }

    static boolean label(String v, int line) {
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "1", "true", "injection", "jailbreak", "attack" -> true;
            case "0", "false", "benign", "safe" -> false;
            default -> throw new IllegalArgumentException("line " + line + ": label must be 1/0, true/false or "
                    + "injection/benign, got \"" + v + "\"");
        };
    }

    /** A small RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks. */
    static final class Csv {
        private Csv() {
        }

        static List<List<String>> parse(BufferedReader r) throws IOException {
            List<List<String>> rows = new ArrayList<>();
            List<String> row = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            int ch;
            boolean any = false;
            while ((ch = r.read()) != -1) {
                any = true;
                char c = (char) ch;
                if (quoted) {
                    if (c == '"') {
                        r.mark(1);
                        int next = r.read();
                        if (next == '"') {
                            field.append('"');
                        } else {
                            quoted = false;
                            if (next != -1) {
                                r.reset();
                            }
                        }
                    } else {
                        field.append(c);
                    }
                } else if (c == '"' && field.isEmpty()) {
                    quoted = true;
                } else if (c == ',') {
                    row.add(field.toString());
                    field.setLength(0);
                } else if (c == '\n' || c == '\r') {
                    if (c == '\r') {
                        r.mark(1);
                        if (r.read() != '\n') {
                            r.reset();
                        }
                    }
                    row.add(field.toString());
                    field.setLength(0);
                    rows.add(row);
                    row = new ArrayList<>();
                    any = false;
                } else {
                    field.append(c);
                }
            }
            if (any) {
                row.add(field.toString());
                rows.add(row);
            }
            return rows;
        }
    }
}
