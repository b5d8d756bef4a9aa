package dev.llmmesh.rag.ingest;

import java.util.Objects;

/**
 * A piece of a document's text as a splitter cut it. Immutable.
 *
 * @param text    the chunk text, equal to {@code document.text().substring(start, end)}
 * @param heading the heading path it sits under ({@code "Setup > Install"}); empty when none
 * @param start   offset of the first character in the document text
 * @param end     offset after the last character
 */
public record TextChunk(String text, String heading, int start, int end) {
    public TextChunk {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(heading, "heading");
        if (start < 0 || end < start || end - start != text.length()) {
            throw new IllegalArgumentException("chunk span [" + start + ", " + end + ") does not match its text of "
                    + text.length() + " characters");
        }
    }
}
