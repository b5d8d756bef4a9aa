package dev.llmmesh.rag.retrieve;

import dev.llmmesh.rag.internal.Rrf;
import dev.llmmesh.rag.store.ScoredChunk;
import java.util.ArrayList;
import java.util.List;

/** Rank fusion of several ranked lists. Stateless and thread-safe. */
public final class Fusion {
    private Fusion() {
    }

    /**
     * Weighted reciprocal-rank fusion (Cormack et al. 2009): a chunk scores {@code sum(weight_i / (k + rank_i))}
     * over the lists it appears in (rank from 1). Ties go to the chunk first seen, so the result is deterministic.
     *
     * @param lists   ranked lists, best first
     * @param weights one weight per list, each >= 0
     * @param k       the rank constant (60 in the paper); smaller values favour the top ranks more
     * @param topK    how many chunks to return
     * @throws IllegalArgumentException if the weights do not match the lists, or {@code k < 0}, or {@code topK < 1}
     */
    public static List<ScoredChunk> reciprocalRank(List<List<ScoredChunk>> lists, List<Double> weights, double k,
                                                   int topK) {
        if (lists.size() != weights.size()) {
            throw new IllegalArgumentException(lists.size() + " lists but " + weights.size() + " weights");
        }
        if (!(k >= 0)) {
            throw new IllegalArgumentException("rank constant k must be >= 0, got " + k);
        }
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be >= 1, got " + topK);
        }
        for (double w : weights) {
            if (!(w >= 0)) {
                throw new IllegalArgumentException("weights must be >= 0, got " + w);
            }
        }
        List<ScoredChunk> out = new ArrayList<>();
        for (Rrf.Fused<ScoredChunk> f : Rrf.fuse(lists, weights, k, topK,
                c -> c.chunk().knowledgeBase() + '\u001f' + c.chunk().id())) {
            out.add(new ScoredChunk(f.item().chunk(), f.score()));
        }
        return out;
    }
}
