package dev.llmmesh.rag.ingest;

import java.util.Map;
import java.util.Objects;

/**
 * A loaded document, ready to split: its text (plain text or Markdown; HTML and PDF are converted on load), where
 * it came from and its metadata. Immutable.
 *
 * @param id        the document id, unique within a knowledge base; re-ingesting the same id replaces the document
 * @param text      the document text
 * @param sourceUri where it came from (file path, URL); may be empty
 * @param metadata  key/value pairs copied onto every chunk (filterable when the knowledge base allow-lists the key);
 *                  {@code title} is also searched as the document title
 */
public record SourceDocument(String id, String text, String sourceUri, Map<String, String> metadata) {
    public SourceDocument {
        if (Objects.requireNonNull(id, "id").isBlank()) {
            throw new IllegalArgumentException("document id must not be blank");
        }
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(sourceUri, "sourceUri");
        metadata = Map.copyOf(metadata);
    }

    /** A document with no source URI and no metadata. */
    public static SourceDocument of(String id, String text) {
        return new SourceDocument(id, text, "", Map.of());
    }

    /** A copy with one more metadata entry (replacing any value under {@code key}). */
    public SourceDocument withMetadata(String key, String value) {
        java.util.Map<String, String> m = new java.util.HashMap<>(metadata);
        m.put(key, value);
        return new SourceDocument(id, text, sourceUri, m);
    }
}
