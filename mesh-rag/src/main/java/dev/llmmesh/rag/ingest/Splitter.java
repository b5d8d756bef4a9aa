package dev.llmmesh.rag.ingest;

import java.util.List;
import java.util.Objects;

/**
 * Cuts a document into chunks. Implementations are immutable and thread-safe, and their {@code toString()} describes
 * their settings: it is part of a document's content hash, so changing the splitter re-chunks every document on the
 * next ingestion.
 */
@FunctionalInterface
public interface Splitter {

    /** The chunks of {@code document}, in document order; none for a blank document. */
    List<TextChunk> split(SourceDocument document);

    /**
     * One chunk per document, whatever its size: for corpora that come already chunked. The chunk's heading is the
     * document's {@code heading} metadata, if any.
     */
    static Splitter whole() {
        return new Splitters.Whole();
    }

    /**
     * Windows of at most {@code maxTokens} tokens (approximate count), each starting {@code overlapTokens} before
     * the previous one ended, cut at a sentence or paragraph end when one falls in the second half of the window.
     *
     * @throws IllegalArgumentException if {@code maxTokens < 1} or {@code overlapTokens} is not in [0, maxTokens)
     */
    static Splitter byTokens(int maxTokens, int overlapTokens) {
        return byTokens(maxTokens, overlapTokens, TokenCounter.approximate());
    }

    /**
     * As {@link #byTokens(int, int)}, counting with {@code counter}.
     *
     * @throws IllegalArgumentException if {@code maxTokens < 1} or {@code overlapTokens} is not in [0, maxTokens)
     */
    static Splitter byTokens(int maxTokens, int overlapTokens, TokenCounter counter) {
        return new Splitters.ByTokens(maxTokens, overlapTokens, Objects.requireNonNull(counter, "counter"));
    }

    /**
     * One chunk per Markdown section ({@code #} to {@code ######}, outside code fences), with the heading path
     * ({@code "Guide > Setup > Install"}) as the chunk heading; sections longer than {@code maxTokens} are cut by
     * {@link #byTokens(int, int)}. Text before the first heading forms a section of its own; a heading with no text
     * of its own before the next heading only contributes to its children's heading path. HTML documents are loaded
     * with their headings as Markdown headings, so this works for them too.
     *
     * @throws IllegalArgumentException if {@code maxTokens < 1} or {@code overlapTokens} is not in [0, maxTokens)
     */
    static Splitter byHeading(int maxTokens, int overlapTokens) {
        return byHeading(maxTokens, overlapTokens, TokenCounter.approximate());
    }

    /**
     * As {@link #byHeading(int, int)}, counting with {@code counter}.
     *
     * @throws IllegalArgumentException if {@code maxTokens < 1} or {@code overlapTokens} is not in [0, maxTokens)
     */
    static Splitter byHeading(int maxTokens, int overlapTokens, TokenCounter counter) {
        return new Splitters.ByHeading(new Splitters.ByTokens(maxTokens, overlapTokens,
                Objects.requireNonNull(counter, "counter")));
    }
}
