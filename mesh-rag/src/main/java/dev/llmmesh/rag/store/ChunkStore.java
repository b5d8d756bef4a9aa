package dev.llmmesh.rag.store;

import dev.llmmesh.rag.internal.Rrf;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Holds chunks with their text and vectors, and searches them. Every method is scoped to one knowledge base: a store
 * never returns a chunk of another knowledge base, whatever the query or filter says. Filters are exact matches on
 * chunk metadata; callers validate filter keys against the knowledge base's allow-list before they get here, and
 * stores still pass keys and values only as data (never as query syntax).
 *
 * <p>Implementations are thread-safe: searches may run concurrently with each other and with writes. A write is
 * visible to searches when the method returns; {@link #flush()} makes earlier writes durable. {@link #close()}
 * flushes and releases files; a closed store throws {@link IllegalStateException}.
 */
public interface ChunkStore extends AutoCloseable {

    /** The content hash of the stored version of a document, if the document is stored. */
    Optional<String> documentHash(String knowledgeBase, String documentId);

    /** Replaces every chunk of the document with {@code document}'s chunks, atomically for searches. */
    void replaceDocument(DocumentChunks document);

    /** Replaces several documents, as {@link #replaceDocument} does for each; stores may make this one write. */
    default void replaceDocuments(List<DocumentChunks> documents) {
        documents.forEach(this::replaceDocument);
    }

    /** Removes every chunk of a document; returns whether there was any. */
    boolean deleteDocument(String knowledgeBase, String documentId);

    /**
     * The {@code k} best chunks for {@code query} by keyword relevance (BM25), best first. Returns an empty list
     * when {@link #supportsText()} is false.
     */
    List<ScoredChunk> searchText(String knowledgeBase, String query, Map<String, String> filter, int k);

    /** The {@code k} chunks nearest to {@code vector}, best first. */
    List<ScoredChunk> searchVector(String knowledgeBase, float[] vector, Map<String, String> filter, int k);

    /**
     * Searches every text of {@code query} with BM25 (when {@link #supportsText()}) and every vector for nearest
     * neighbours, then fuses the lists by weighted reciprocal rank, in this order: for each query, its BM25 list then
     * its vector list; ties keep the chunk seen first. Stores may override this to fuse before loading chunks; the
     * result must equal this default's.
     */
    default List<ScoredChunk> searchHybrid(HybridQuery query) {
        List<List<ScoredChunk>> lists = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        List<float[]> vectors = query.vectors();
        int n = Math.max(query.texts().size(), vectors.size());
        for (int i = 0; i < n; i++) {
            if (supportsText() && i < query.texts().size() && query.textWeight() > 0) {
                lists.add(searchText(query.knowledgeBase(), query.texts().get(i), query.filter(), query.candidates()));
                weights.add(query.textWeight());
            }
            if (i < vectors.size() && query.vectorWeight() > 0) {
                lists.add(searchVector(query.knowledgeBase(), vectors.get(i), query.filter(), query.candidates()));
                weights.add(query.vectorWeight());
            }
        }
        List<ScoredChunk> out = new ArrayList<>();
        for (Rrf.Fused<ScoredChunk> f : Rrf.fuse(lists, weights, query.rankConstant(), query.topK(),
                c -> c.chunk().knowledgeBase() + '\u001f' + c.chunk().id())) {
            out.add(new ScoredChunk(f.item().chunk(), f.score()));
        }
        return out;
    }

    /** The chunk with {@code chunkId}, if stored. */
    Optional<Chunk> chunk(String knowledgeBase, String chunkId);

    /**
     * The ids of every stored document of a knowledge base, sorted. Optional: stores that cannot enumerate (most
     * remote vector stores) throw {@link UnsupportedOperationException}.
     */
    List<String> documentIds(String knowledgeBase);

    /**
     * How many chunks a knowledge base holds. Optional: stores that cannot count throw
     * {@link UnsupportedOperationException}.
     */
    long count(String knowledgeBase);

    /** Whether this store does keyword search; vector-only stores (most langchain4j stores) return false. */
    default boolean supportsText() {
        return true;
    }

    /** Makes earlier writes durable. The default does nothing (for stores that are durable on every write). */
    default void flush() {
    }

    /** Flushes and releases resources. Idempotent. */
    @Override
    void close();
}
