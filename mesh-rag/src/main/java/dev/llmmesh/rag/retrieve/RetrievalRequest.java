package dev.llmmesh.rag.retrieve;

import java.util.Map;
import java.util.Objects;

/**
 * One retrieval: what to look for, where, and how many chunks to return. Immutable.
 *
 * @param query         the user's question
 * @param knowledgeBase the knowledge base to search (callers have checked that the caller may read it)
 * @param filter        exact-match metadata filter; keys have been checked against the knowledge base's allow-list
 * @param topK          how many chunks to return
 */
public record RetrievalRequest(String query, String knowledgeBase, Map<String, String> filter, int topK) {
    public RetrievalRequest {
        Objects.requireNonNull(query, "query");
        if (Objects.requireNonNull(knowledgeBase, "knowledgeBase").isBlank()) {
            throw new IllegalArgumentException("knowledgeBase must not be blank");
        }
        filter = Map.copyOf(filter);
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be >= 1, got " + topK);
        }
    }

    /** A request without filter. */
    public static RetrievalRequest of(String query, String knowledgeBase, int topK) {
        return new RetrievalRequest(query, knowledgeBase, Map.of(), topK);
    }

    /** A copy asking for {@code k} chunks. */
    public RetrievalRequest withTopK(int k) {
        return new RetrievalRequest(query, knowledgeBase, filter, k);
    }

    /** A copy with another query text. */
    public RetrievalRequest withQuery(String text) {
        return new RetrievalRequest(text, knowledgeBase, filter, topK);
    }
}
