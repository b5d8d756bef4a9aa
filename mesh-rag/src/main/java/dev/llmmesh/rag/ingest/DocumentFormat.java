package dev.llmmesh.rag.ingest;

import java.util.Locale;
import java.util.Optional;

/** The formats the loaders read. */
public enum DocumentFormat {
    /** Plain UTF-8 text. */
    TEXT,
    /** Markdown (kept as written; {@code #} headings drive {@link Splitter#byHeading}). */
    MARKDOWN,
    /** HTML, reduced to text with its headings kept as Markdown headings. */
    HTML,
    /** PDF, through langchain4j's PDFBox parser (an optional dependency). */
    PDF;

    /** The format a file name suggests by its extension, if it is one of ours. */
    public static Optional<DocumentFormat> fromFileName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".txt") || n.endsWith(".text")) {
            return Optional.of(TEXT);
        }
        if (n.endsWith(".md") || n.endsWith(".markdown")) {
            return Optional.of(MARKDOWN);
        }
        if (n.endsWith(".html") || n.endsWith(".htm")) {
            return Optional.of(HTML);
        }
        if (n.endsWith(".pdf")) {
            return Optional.of(PDF);
        }
        return Optional.empty();
    }
}
