package dev.llmmesh.rag.store;

import java.util.Map;
import java.util.Objects;

/**
 * One stored piece of a document: the unit that is retrieved, injected and cited. Immutable.
 *
 * @param knowledgeBase the knowledge base it belongs to; every store read is scoped to one
 * @param id            the chunk id, unique within its knowledge base ({@code documentId#ordinal})
 * @param documentId    the id of the document it was cut from
 * @param contentHash   the hash of the document version it was cut from (SHA-256, hex)
 * @param text          the chunk text
 * @param heading       the heading path it sits under ({@code "Setup > Install"}); empty when none
 * @param sourceUri     where the document came from (file path, URL); may be empty
 * @param start         offset of the first character of {@code text} in the document text
 * @param end           offset after the last character of {@code text} in the document text
 * @param metadata      filterable key/value pairs (keys must be allow-listed by the knowledge base to filter on)
 */
public record Chunk(String knowledgeBase, String id, String documentId, String contentHash, String text,
                    String heading, String sourceUri, int start, int end, Map<String, String> metadata) {
    public Chunk {
        requireText(knowledgeBase, "knowledgeBase");
        requireText(id, "id");
        requireText(documentId, "documentId");
        Objects.requireNonNull(contentHash, "contentHash");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(heading, "heading");
        Objects.requireNonNull(sourceUri, "sourceUri");
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("chunk span must satisfy 0 <= start <= end, got [" + start + ", " + end
                    + ") for chunk \"" + id + "\"");
        }
        metadata = Map.copyOf(metadata);
    }

    /** The id a document's {@code ordinal}-th chunk gets (from 0). */
    public static String idFor(String documentId, int ordinal) {
        return documentId + "#" + ordinal;
    }

    private static void requireText(String s, String what) {
        if (Objects.requireNonNull(s, what).isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }
}
