package dev.llmmesh.governance.pii;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs a set of {@link PiiDetector}s over a text and resolves their overlaps into one sorted list of disjoint spans:
 * when spans overlap, the type earlier in {@link EntityType#BUILT_IN} order wins (custom types rank after built-in
 * ones), then the longer span, then the higher score. Immutable and thread-safe; build once and share.
 *
 * <pre>{@code
 * PiiScanner scanner = PiiScanner.defaults();                 // every built-in type except PERSON
 * List<PiiSpan> found = scanner.scan("mail me at ann@example.com");
 * }</pre>
 */
public final class PiiScanner {
    private final List<PiiDetector> detectors;
    private final Set<EntityType> types;

    private PiiScanner(List<PiiDetector> detectors) {
        this.detectors = List.copyOf(detectors);
        Set<EntityType> all = new LinkedHashSet<>();
        detectors.forEach(d -> all.addAll(d.types()));
        this.types = Set.copyOf(all);
    }

    /** The built-in detectors for every built-in type except {@link EntityType#PERSON} (which is opt-in). */
    public static PiiScanner defaults() {
        return builder().add(PiiDetectors.builtIn()).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every type some detector may report. */
    public Set<EntityType> types() {
        return types;
    }

    /** The detected values in {@code text}, sorted by start, disjoint. */
    public List<PiiSpan> scan(CharSequence text) {
        Objects.requireNonNull(text, "text");
        if (text.length() == 0) {
            return List.of();
        }
        List<PiiSpan> all;
        if (detectors.size() == 1) {
            all = detectors.get(0).detect(text);
        } else {
            all = new ArrayList<>();
            for (PiiDetector d : detectors) {
                all.addAll(d.detect(text));
            }
        }
        return resolve(all, text.length());
    }

    private static List<PiiSpan> resolve(List<PiiSpan> spans, int textLength) {
        boolean inside = true;
        boolean ordered = true;
        for (int i = 0; i < spans.size(); i++) {
            PiiSpan s = spans.get(i);
            inside &= s.end() <= textLength;
            ordered &= i == 0 || spans.get(i - 1).end() <= s.start();
        }
        if (inside && ordered) {
            return List.copyOf(spans); // the common case: one detector, already sorted and disjoint
        }
        List<PiiSpan> valid = new ArrayList<>(spans.size());
        for (PiiSpan s : spans) {
            if (s.end() <= textLength) {
                valid.add(s);
            }
        }
        if (valid.size() <= 1) {
            return List.copyOf(valid);
        }
        boolean disjoint = true;
        valid.sort(Comparator.comparingInt(PiiSpan::start));
        for (int i = 1; i < valid.size() && disjoint; i++) {
            disjoint = valid.get(i - 1).end() <= valid.get(i).start();
        }
        if (disjoint) {
            return List.copyOf(valid);
        }
        valid.sort(Comparator.comparingInt((PiiSpan s) -> rank(s.type()))
                .thenComparing(Comparator.comparingInt(PiiSpan::length).reversed())
                .thenComparing(Comparator.comparingDouble(PiiSpan::score).reversed())
                .thenComparingInt(PiiSpan::start));
        TreeMap<Integer, PiiSpan> kept = new TreeMap<>();
        for (PiiSpan s : valid) {
            Map.Entry<Integer, PiiSpan> before = kept.floorEntry(s.start());
            if (before != null && before.getValue().end() > s.start()) {
                continue;
            }
            Map.Entry<Integer, PiiSpan> after = kept.ceilingEntry(s.start());
            if (after != null && after.getValue().start() < s.end()) {
                continue;
            }
            kept.put(s.start(), s);
        }
        return List.copyOf(kept.values());
    }

    private static final java.util.Map<String, Integer> RANK = rankByName();

    private static java.util.Map<String, Integer> rankByName() {
        java.util.Map<String, Integer> m = new java.util.HashMap<>();
        for (int i = 0; i < EntityType.BUILT_IN.size(); i++) {
            m.put(EntityType.BUILT_IN.get(i).name(), i);
        }
        return java.util.Map.copyOf(m);
    }

    private static int rank(EntityType type) {
        return RANK.getOrDefault(type.name(), EntityType.BUILT_IN.size());
    }

    /** Collects detectors. Not thread-safe. */
    public static final class Builder {
        private final List<PiiDetector> detectors = new ArrayList<>();

        private Builder() {
        }

        /** Adds a detector; its spans compete with the others' by the overlap rule. */
        public Builder add(PiiDetector detector) {
            detectors.add(Objects.requireNonNull(detector, "detector"));
            return this;
        }

        /**
         * @throws IllegalStateException if no detector was added
         */
        public PiiScanner build() {
            if (detectors.isEmpty()) {
                throw new IllegalStateException("a PII scanner needs at least one detector; "
                        + "add PiiDetectors.builtIn() for the defaults");
            }
            return new PiiScanner(detectors);
        }
    }
}
