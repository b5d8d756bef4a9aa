package dev.llmmesh.rag.retrieve;

import java.util.List;

/**
 * Turns the user's question into the queries actually searched (a rewrite, several expansions, or the question
 * unchanged). The results of every query are fused. Implementations are thread-safe.
 */
@FunctionalInterface
public interface QueryTransformer {

    /** The queries to search for {@code query}; at least one. */
    List<String> transform(String query);

    /** Searches the question as asked. */
    static QueryTransformer identity() {
        return List::of;
    }
}
