package dev.llmmesh;

import java.util.Objects;

/**
 * A source a grounded answer was built from.
 *
 * @param index      the number under which the source was shown to the model, from 1
 * @param documentId the document's id in its knowledge base
 * @param chunkId    the chunk's id in the store
 * @param score      the retrieval score (higher is better; scale depends on the retriever)
 * @param sourceUri  where the document came from (file path, URL); may be empty
 * @param text       the chunk text that was injected
 */
public record Citation(int index, String documentId, String chunkId, double score, String sourceUri, String text) {
    public Citation {
        if (index < 1) {
            throw new IllegalArgumentException("index must be >= 1, got " + index);
        }
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(chunkId, "chunkId");
        Objects.requireNonNull(sourceUri, "sourceUri");
        Objects.requireNonNull(text, "text");
    }
}
