package dev.llmmesh.rag.eval;

import java.util.List;
import java.util.Objects;

/**
 * A question with the ids of the documents that answer it (binary relevance). Immutable.
 *
 * @param id       the query id
 * @param question the question
 * @param relevant the ids of the relevant documents; at least one, no duplicates
 */
public record LabelledQuery(String id, String question, List<String> relevant) {
    public LabelledQuery {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(question, "question");
        relevant = List.copyOf(relevant);
        if (relevant.isEmpty()) {
            throw new IllegalArgumentException("query \"" + id + "\" lists no relevant document");
        }
        if (relevant.stream().distinct().count() != relevant.size()) {
            throw new IllegalArgumentException("query \"" + id + "\" lists a relevant document twice");
        }
    }
}
