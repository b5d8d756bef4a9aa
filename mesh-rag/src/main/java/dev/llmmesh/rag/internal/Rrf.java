package dev.llmmesh.rag.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Weighted reciprocal-rank fusion over lists of anything with a key. Stateless. */
public final class Rrf {
    private Rrf() {
    }

    /** A fused item and its score. */
    public record Fused<T>(T item, double score) {
    }

    /**
     * Scores each distinct key {@code sum(weight_i / (k + rank_i))}; ties keep the order first seen (lists in order,
     * ranks in order), so two callers that present the same lists get the same result.
     */
    public static <T> List<Fused<T>> fuse(List<? extends List<T>> lists, List<Double> weights, double k, int topK,
                                          Function<T, Object> key) {
        Map<Object, T> items = new LinkedHashMap<>();
        Map<Object, Double> scores = new LinkedHashMap<>();
        for (int l = 0; l < lists.size(); l++) {
            double w = weights.get(l);
            List<T> list = lists.get(l);
            for (int r = 0; r < list.size(); r++) {
                Object id = key.apply(list.get(r));
                items.putIfAbsent(id, list.get(r));
                scores.merge(id, w / (k + r + 1), Double::sum);
            }
        }
        List<Map.Entry<Object, Double>> ranked = new ArrayList<>(scores.entrySet());
        ranked.sort(Map.Entry.comparingByValue(Comparator.reverseOrder()));
        List<Fused<T>> out = new ArrayList<>(Math.min(topK, ranked.size()));
        for (int i = 0; i < ranked.size() && i < topK; i++) {
            out.add(new Fused<>(items.get(ranked.get(i).getKey()), ranked.get(i).getValue()));
        }
        return out;
    }
}
