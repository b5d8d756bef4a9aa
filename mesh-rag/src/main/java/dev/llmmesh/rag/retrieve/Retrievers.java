package dev.llmmesh.rag.retrieve;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.llmmesh.rag.store.ChunkStore;
import java.util.Objects;

/** The built-in retrievers. */
public final class Retrievers {
    private Retrievers() {
    }

    /** Keyword search (BM25) over the store; nothing when the store does not do text search. */
    public static Retriever bm25(ChunkStore store) {
        Objects.requireNonNull(store, "store");
        return r -> store.searchText(r.knowledgeBase(), r.query(), r.filter(), r.topK());
    }

    /** Nearest neighbours of the query's embedding; {@code model} must be the one the chunks were embedded with. */
    public static Retriever vector(ChunkStore store, EmbeddingModel model) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(model, "model");
        return r -> store.searchVector(r.knowledgeBase(), model.embed(r.query()).content().vector(), r.filter(),
                r.topK());
    }

    /** A builder for BM25 + vector retrieval fused by weighted reciprocal rank, optionally reranked. */
    public static HybridRetriever.Builder hybrid(ChunkStore store, EmbeddingModel model) {
        return HybridRetriever.builder(store, model);
    }
}
