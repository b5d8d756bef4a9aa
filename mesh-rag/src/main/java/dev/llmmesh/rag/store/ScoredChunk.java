package dev.llmmesh.rag.store;

import java.util.Objects;

/**
 * A chunk and how well it matched a query. Higher is better; the scale depends on who scored it (BM25 scores are
 * unbounded, Lucene cosine scores lie in [0, 1], fused scores are reciprocal-rank sums).
 *
 * @param chunk the chunk
 * @param score the score
 */
public record ScoredChunk(Chunk chunk, double score) {
    public ScoredChunk {
        Objects.requireNonNull(chunk, "chunk");
        if (Double.isNaN(score)) {
            throw new IllegalArgumentException("score must be a number for chunk \"" + chunk.id() + "\"");
        }
    }
}
