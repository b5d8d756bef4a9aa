package dev.llmmesh.governance.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Span-level precision, recall and F-beta per entity type over a labelled corpus. A predicted span matches a gold
 * span of the same type when their overlap covers at least half of the longer of the two ({@link Matching#HALF}, the
 * default: tolerates a bracket or a trailing dot) or when their offsets are equal ({@link Matching#EXACT}). A gold
 * span with a matching prediction is a true positive, one without a false negative; a prediction matching no gold
 * span of its type is a false positive. Types are compared by name, so map both sides to one taxonomy first.
 */
public final class SpanMetrics {
    /** One labelled or predicted span: {@code text.substring(start, end)} of type {@code type}. */
    public record Span(String type, int start, int end) {
        public Span {
            Objects.requireNonNull(type, "type");
            if (start < 0 || end < start) {
                throw new IllegalArgumentException("bad span offsets [" + start + ", " + end + ")");
            }
        }
    }

    /** When a prediction counts as finding a gold span. */
    public enum Matching {
        /** Same type, overlap of at least half the longer span. */
        HALF,
        /** Same type, same offsets. */
        EXACT
    }

    private final Map<String, BinaryMetrics.Counts> perType;

    private SpanMetrics(Map<String, BinaryMetrics.Counts> perType) {
        this.perType = perType;
    }

    /**
     * Scores {@code predicted.get(i)} against {@code gold.get(i)} for every document {@code i}.
     *
     * @throws IllegalArgumentException if the two lists differ in length
     */
    public static SpanMetrics evaluate(List<List<Span>> gold, List<List<Span>> predicted, Matching matching) {
        if (gold.size() != predicted.size()) {
            throw new IllegalArgumentException("gold has " + gold.size() + " documents, predictions "
                    + predicted.size());
        }
        Map<String, int[]> c = new TreeMap<>(); // tp, fp, fn
        for (int d = 0; d < gold.size(); d++) {
            List<Span> g = gold.get(d);
            List<Span> p = predicted.get(d);
            for (Span s : g) {
                int[] x = c.computeIfAbsent(s.type(), k -> new int[3]);
                if (p.stream().anyMatch(q -> matches(s, q, matching))) {
                    x[0]++;
                } else {
                    x[2]++;
                }
            }
            for (Span s : p) {
                int[] x = c.computeIfAbsent(s.type(), k -> new int[3]);
                if (g.stream().noneMatch(q -> matches(q, s, matching))) {
                    x[1]++;
                }
            }
        }
        Map<String, BinaryMetrics.Counts> out = new TreeMap<>();
        c.forEach((type, x) -> out.put(type, new BinaryMetrics.Counts(x[0], x[1], x[2])));
        return new SpanMetrics(out);
    }

    /** Whether {@code predicted} finds {@code gold} under {@code matching}. */
    public static boolean matches(Span gold, Span predicted, Matching matching) {
        if (!gold.type().equals(predicted.type())) {
            return false;
        }
        if (matching == Matching.EXACT) {
            return gold.start() == predicted.start() && gold.end() == predicted.end();
        }
        int overlap = Math.min(gold.end(), predicted.end()) - Math.max(gold.start(), predicted.start());
        int longer = Math.max(gold.end() - gold.start(), predicted.end() - predicted.start());
        return overlap > 0 && overlap * 2 >= longer;
    }

    /** Counts per type (every type seen in gold or predictions), sorted by name. */
    public Map<String, BinaryMetrics.Counts> perType() {
        return java.util.Collections.unmodifiableMap(perType);
    }

    /** Counts summed over all types (micro average). */
    public BinaryMetrics.Counts overall() {
        BinaryMetrics.Counts sum = new BinaryMetrics.Counts(0, 0, 0);
        for (BinaryMetrics.Counts x : perType.values()) {
            sum = sum.plus(x);
        }
        return sum;
    }

    /** A table: type, gold, predicted, tp, precision, recall, F2; then the overall line. */
    public String table() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(java.util.Locale.ROOT, "%-20s %6s %6s %6s %9s %7s %6s", "type", "gold", "pred", "tp",
                "precision", "recall", "F2"));
        perType.forEach((t, x) -> lines.add(row(t, x)));
        lines.add(row("overall", overall()));
        return String.join("\n", lines);
    }

    private static String row(String type, BinaryMetrics.Counts x) {
        return String.format(java.util.Locale.ROOT, "%-20s %6d %6d %6d %9.3f %7.3f %6.3f", type, x.tp() + x.fn(),
                x.tp() + x.fp(), x.tp(), x.precision(), x.recall(), x.f2());
    }
}
