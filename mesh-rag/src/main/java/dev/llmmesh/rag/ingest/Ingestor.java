package dev.llmmesh.rag.ingest;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.llmmesh.rag.internal.Hashing;
import dev.llmmesh.rag.store.Chunk;
import dev.llmmesh.rag.store.ChunkStore;
import dev.llmmesh.rag.store.DocumentChunks;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Splits, embeds and stores documents into one {@link ChunkStore}. Each document's content hash (its text, source,
 * metadata, the splitter and the embedding model) is stored with its chunks: re-ingesting an unchanged document is
 * skipped, and re-ingesting a changed one replaces all its chunks in one write, so no stale chunk survives.
 *
 * <pre>{@code
 * Ingestor ingestor = Ingestor.builder(store).splitter(Splitter.byHeading(256, 32)).build();
 * IngestReport r = ingestor.ingest("payments-handbook", DocumentLoader.loadDirectory(dir),
 *         p -> System.out.printf("%.0f%%%n", 100 * p.fraction()));
 * }</pre>
 *
 * <p>The stored hashes of a batch are read before anything is written, so the batch's writes reach the store
 * together (one Lucene segment rather than one per group).
 *
 * <p>Thread-safe if the store and the embedding model are (the defaults are); concurrent ingestions of the same
 * document race, and the last write wins.
 */
public final class Ingestor {
    private final ChunkStore store;
    private final EmbeddingModel model;
    private final Splitter splitter;
    private final int batchSize;
    private final int maxEmbeddingTokens;
    private final TokenCounter counter = TokenCounter.approximate();

    private Ingestor(Builder b) {
        this.store = b.store;
        this.model = b.model == null ? EmbeddingModels.inJar() : b.model;
        this.splitter = b.splitter;
        this.batchSize = b.batchSize;
        this.maxEmbeddingTokens = b.maxEmbeddingTokens;
    }

    /** A builder writing to {@code store}. */
    public static Builder builder(ChunkStore store) {
        return new Builder(store);
    }

    /** Ingests {@code documents} into {@code knowledgeBase} without progress reports. */
    public IngestReport ingest(String knowledgeBase, List<SourceDocument> documents) {
        return ingest(knowledgeBase, documents, IngestListener.NONE);
    }

    /**
     * Ingests {@code documents} into {@code knowledgeBase}, in groups of about {@code batchSize} chunks, reporting
     * after each stored group, then flushes the store. The last report always has every document done (an empty
     * batch, or one whose last documents were unchanged, gets a final report of its own).
     *
     * @throws IllegalArgumentException if two documents share an id, or the knowledge base id is blank
     */
    public IngestReport ingest(String knowledgeBase, List<SourceDocument> documents, IngestListener listener) {
        if (Objects.requireNonNull(knowledgeBase, "knowledgeBase").isBlank()) {
            throw new IllegalArgumentException("knowledge base id must not be blank");
        }
        Objects.requireNonNull(listener, "listener");
        Set<String> ids = new HashSet<>();
        for (SourceDocument d : documents) {
            if (!ids.add(d.id())) {
                throw new IllegalArgumentException("document id \"" + d.id() + "\" appears twice in one batch");
            }
        }
        int added = 0;
        int replaced = 0;
        int unchanged = 0;
        int chunksWritten = 0;
        int done = 0;
        int reported = -1;
        List<Pending> pending = new ArrayList<>();
        int pendingChunks = 0;
        List<Optional<String>> storedHashes = new ArrayList<>(documents.size());
        for (SourceDocument d : documents) {
            storedHashes.add(store.documentHash(knowledgeBase, d.id()));
        }
        for (int i = 0; i < documents.size(); i++) {
            SourceDocument d = documents.get(i);
            String hash = hash(d);
            Optional<String> stored = storedHashes.get(i);
            if (stored.isPresent() && stored.get().equals(hash)) {
                unchanged++;
                done++;
            } else {
                if (stored.isPresent()) {
                    replaced++;
                } else {
                    added++;
                }
                List<TextChunk> pieces = splitter.split(d);
                pending.add(new Pending(d, hash, pieces));
                pendingChunks += pieces.size();
            }
            boolean last = i == documents.size() - 1;
            if (!pending.isEmpty() && (pendingChunks >= batchSize || last)) {
                chunksWritten += write(knowledgeBase, pending);
                done += pending.size();
                pending.clear();
                pendingChunks = 0;
                listener.onProgress(new IngestProgress(done, documents.size(), chunksWritten));
                reported = done;
            }
        }
        store.flush();
        if (reported != done || documents.isEmpty()) {
            listener.onProgress(new IngestProgress(done, documents.size(), chunksWritten));
        }
        return new IngestReport(added, replaced, unchanged, chunksWritten);
    }

    /** Removes a document's chunks; returns whether it was stored. */
    public boolean delete(String knowledgeBase, String documentId) {
        boolean existed = store.deleteDocument(knowledgeBase, documentId);
        store.flush();
        return existed;
    }

    /** The content hash a document would be stored under with this ingestor's settings. */
    public String hash(SourceDocument d) {
        return Hashing.sha256(d.text(), d.sourceUri(), Hashing.canonical(d.metadata()), splitter.toString(),
                model.getClass().getName(), Integer.toString(maxEmbeddingTokens));
    }

    private int write(String knowledgeBase, List<Pending> group) {
        List<TextSegment> inputs = new ArrayList<>();
        for (Pending p : group) {
            for (TextChunk c : p.pieces) {
                inputs.add(TextSegment.from(embeddingInput(c)));
            }
        }
        List<Embedding> vectors = new ArrayList<>(inputs.size());
        for (int from = 0; from < inputs.size(); from += batchSize) {
            List<TextSegment> slice = inputs.subList(from, Math.min(inputs.size(), from + batchSize));
            List<Embedding> got = model.embedAll(slice).content();
            if (got.size() != slice.size()) {
                throw new IllegalStateException("embedding model returned " + got.size() + " vectors for "
                        + slice.size() + " inputs");
            }
            vectors.addAll(got);
        }
        List<DocumentChunks> docs = new ArrayList<>(group.size());
        int v = 0;
        for (Pending p : group) {
            List<Chunk> chunks = new ArrayList<>(p.pieces.size());
            List<float[]> vs = new ArrayList<>(p.pieces.size());
            for (int i = 0; i < p.pieces.size(); i++) {
                TextChunk c = p.pieces.get(i);
                chunks.add(new Chunk(knowledgeBase, Chunk.idFor(p.doc.id(), i), p.doc.id(), p.hash, c.text(),
                        c.heading(), p.doc.sourceUri(), c.start(), c.end(), p.doc.metadata()));
                vs.add(vectors.get(v++).vector());
            }
            docs.add(new DocumentChunks(knowledgeBase, p.doc.id(), p.hash, chunks, vs));
        }
        store.replaceDocuments(docs);
        return inputs.size();
    }

    /**
     * What the embedding model sees for a chunk: the heading path (unless the text already opens with it) and the
     * text, cut after about {@code maxEmbeddingTokens} tokens. Small sentence encoders read only their first few
     * hundred word pieces anyway (all-MiniLM-L6-v2 was trained on 128 and is used with 256); the whole text stays
     * searchable by BM25.
     */
    String embeddingInput(TextChunk c) {
        String text = c.text();
        String heading = c.heading();
        if (!heading.isEmpty()) {
            int cut = heading.lastIndexOf(" > ");
            String last = cut < 0 ? heading : heading.substring(cut + 3);
            String opening = text.stripLeading();
            while (opening.startsWith("#")) {
                opening = opening.substring(1);
            }
            if (opening.stripLeading().startsWith(last)) {
                heading = cut < 0 ? "" : heading.substring(0, cut);
            }
        }
        String input = heading.isEmpty() ? text : heading + "\n\n" + text;
        return truncate(input, maxEmbeddingTokens);
    }

    private String truncate(String s, int maxTokens) {
        int tokens = 0;
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i > start) {
                tokens += counter.count(s.substring(start, i));
                if (tokens > maxTokens) {
                    return s.substring(0, start).stripTrailing();
                }
            }
        }
        return s;
    }

    private record Pending(SourceDocument doc, String hash, List<TextChunk> pieces) {
    }

    /** Configures an {@link Ingestor}. Not thread-safe. */
    public static final class Builder {
        private final ChunkStore store;
        private @Nullable EmbeddingModel model;
        private Splitter splitter = Splitter.byHeading(256, 32);
        private int batchSize = 64;
        private int maxEmbeddingTokens = 256;

        private Builder(ChunkStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /** The embedding model; default {@link EmbeddingModels#inJar()}. Queries must use the same model. */
        public Builder embeddingModel(EmbeddingModel model) {
            this.model = Objects.requireNonNull(model, "model");
            return this;
        }

        /** How documents are cut; default {@code Splitter.byHeading(256, 32)}. */
        public Builder splitter(Splitter splitter) {
            this.splitter = Objects.requireNonNull(splitter, "splitter");
            return this;
        }

        /**
         * How many chunks go to the embedding model in one call (and roughly how many are stored per write).
         *
         * @throws IllegalArgumentException if {@code size < 1}
         */
        public Builder batchSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1, got " + size);
            }
            this.batchSize = size;
            return this;
        }

        /**
         * How many (approximate) tokens of a chunk the embedding model reads; the rest is only searched by BM25.
         * Default 256, the window all-MiniLM-L6-v2 is used with.
         *
         * @throws IllegalArgumentException if {@code tokens < 8}
         */
        public Builder maxEmbeddingTokens(int tokens) {
            if (tokens < 8) {
                throw new IllegalArgumentException("maxEmbeddingTokens must be >= 8, got " + tokens);
            }
            this.maxEmbeddingTokens = tokens;
            return this;
        }

        public Ingestor build() {
            return new Ingestor(this);
        }
    }
}
