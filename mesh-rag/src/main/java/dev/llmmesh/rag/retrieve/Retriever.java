package dev.llmmesh.rag.retrieve;

import dev.llmmesh.rag.store.ScoredChunk;
import java.util.List;

/**
 * Finds the chunks that answer a request, best first, at most {@code request.topK()}. Implementations are
 * thread-safe and never return chunks of a knowledge base other than {@code request.knowledgeBase()}.
 * See {@link Retrievers} for the built-in ones.
 */
@FunctionalInterface
public interface Retriever {
    List<ScoredChunk> retrieve(RetrievalRequest request);
}
