package dev.llmmesh.rag.retrieve;

import dev.llmmesh.rag.store.ScoredChunk;
import java.util.List;

/**
 * Re-orders fused candidates with a finer (slower) judgement of relevance: a cross-encoder or an LLM. Returns the
 * same chunks (or a subset), best first, with the reranker's scores. Implementations are thread-safe. See
 * {@link Rerankers}.
 */
@FunctionalInterface
public interface Reranker {
    List<ScoredChunk> rerank(String query, List<ScoredChunk> candidates);
}
