package dev.llmmesh.rag.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One hybrid search: keyword queries and query vectors over one knowledge base, fused by weighted reciprocal rank.
 * Immutable (vectors are copied in and out).
 *
 * @param knowledgeBase the knowledge base
 * @param texts         keyword queries, each searched with BM25 (ignored by stores without text search)
 * @param vectors       query vectors, each searched for nearest neighbours
 * @param filter        exact-match metadata filter (keys already checked against the allow-list)
 * @param candidates    how many hits each search contributes to the fusion
 * @param textWeight    the fusion weight of each BM25 list
 * @param vectorWeight  the fusion weight of each vector list
 * @param rankConstant  the reciprocal-rank constant k in {@code weight / (k + rank)}
 * @param topK          how many fused chunks to return
 */
public record HybridQuery(String knowledgeBase, List<String> texts, List<float[]> vectors, Map<String, String> filter,
                          int candidates, double textWeight, double vectorWeight, double rankConstant, int topK) {
    public HybridQuery {
        Objects.requireNonNull(knowledgeBase, "knowledgeBase");
        texts = List.copyOf(texts);
        List<float[]> copies = new ArrayList<>(vectors.size());
        vectors.forEach(v -> copies.add(Objects.requireNonNull(v, "vector").clone()));
        vectors = List.copyOf(copies);
        filter = Map.copyOf(filter);
        if (texts.size() != vectors.size() && !texts.isEmpty() && !vectors.isEmpty()) {
            throw new IllegalArgumentException("give one vector per query text (or no texts, or no vectors): "
                    + texts.size() + " texts, " + vectors.size() + " vectors");
        }
        if (candidates < 1 || topK < 1) {
            throw new IllegalArgumentException("candidates and topK must be >= 1, got " + candidates + ", " + topK);
        }
        if (!(textWeight >= 0) || !(vectorWeight >= 0) || !(rankConstant >= 0)) {
            throw new IllegalArgumentException("weights and rankConstant must be >= 0");
        }
    }

    /** Copies of the vectors. */
    @Override
    public List<float[]> vectors() {
        List<float[]> out = new ArrayList<>(vectors.size());
        vectors.forEach(v -> out.add(v.clone()));
        return out;
    }
}
