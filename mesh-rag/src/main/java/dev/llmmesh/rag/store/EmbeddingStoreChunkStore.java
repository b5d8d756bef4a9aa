package dev.llmmesh.rag.store;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.filter.Filter;
import dev.langchain4j.store.embedding.filter.MetadataFilterBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A {@link ChunkStore} over any langchain4j {@link EmbeddingStore} (pgvector, Elasticsearch/OpenSearch, Qdrant, ...),
 * for teams that outgrow one machine. Vector search only ({@link #supportsText()} is false, so a hybrid retriever
 * over it is vector-only); {@link #documentIds} and {@link #count} are not supported.
 *
 * <p>Each chunk is stored as a {@link TextSegment} whose metadata carries the knowledge base ({@code mesh_kb}),
 * document, chunk id, content hash, heading, source and span ({@code mesh_*} keys) and the chunk metadata under
 * {@code m_<key>}; ids are name-based UUIDs of knowledge base and chunk id, which every store accepts. Every search
 * carries a {@code mesh_kb} filter; filter keys and values go to the store only as langchain4j filter values, never
 * as query text. Looking a document or chunk up is a filtered search with a fixed probe vector, so the store must
 * support metadata filters and return matches at any similarity.
 *
 * <p>As thread-safe as the wrapped store. Replacing a document is a delete then an add: on a store without
 * transactions a concurrent search may briefly see neither version (never both).
 */
public final class EmbeddingStoreChunkStore implements ChunkStore {
    private static final String KB = "mesh_kb";
    private static final String DOC = "mesh_doc";
    private static final String CHUNK = "mesh_chunk";
    private static final String HASH = "mesh_hash";
    private static final String HEADING = "mesh_heading";
    private static final String URI = "mesh_uri";
    private static final String START = "mesh_start";
    private static final String END = "mesh_end";
    private static final String META = "m_";

    private final EmbeddingStore<TextSegment> store;
    private final int dimension;

    /**
     * Wraps {@code store}, whose vectors have {@code dimension} dimensions (384 for the in-jar model).
     *
     * @throws IllegalArgumentException if {@code dimension < 1}
     */
    public EmbeddingStoreChunkStore(EmbeddingStore<TextSegment> store, int dimension) {
        this.store = Objects.requireNonNull(store, "store");
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be >= 1, got " + dimension);
        }
        this.dimension = dimension;
    }

    @Override
    public Optional<String> documentHash(String knowledgeBase, String documentId) {
        List<EmbeddingMatch<TextSegment>> m = probe(kb(knowledgeBase).and(eq(DOC, documentId)), 1);
        return m.isEmpty() ? Optional.empty() : Optional.ofNullable(m.get(0).embedded().metadata().getString(HASH));
    }

    @Override
    public void replaceDocument(DocumentChunks document) {
        store.removeAll(kb(document.knowledgeBase()).and(eq(DOC, document.documentId())));
        if (document.chunks().isEmpty()) {
            return;
        }
        List<String> ids = new ArrayList<>();
        List<Embedding> embeddings = new ArrayList<>();
        List<TextSegment> segments = new ArrayList<>();
        for (int i = 0; i < document.chunks().size(); i++) {
            Chunk c = document.chunks().get(i);
            float[] v = document.vector(i);
            if (v.length != dimension) {
                throw new IllegalArgumentException("vector dimension " + v.length + " does not match this store's "
                        + dimension + "; embed with the model the store was created for");
            }
            Map<String, Object> meta = new HashMap<>();
            c.metadata().forEach((k, val) -> meta.put(META + k, val));
            meta.put(KB, c.knowledgeBase());
            meta.put(DOC, c.documentId());
            meta.put(CHUNK, c.id());
            meta.put(HASH, c.contentHash());
            meta.put(HEADING, c.heading());
            meta.put(URI, c.sourceUri());
            meta.put(START, c.start());
            meta.put(END, c.end());
            ids.add(uuid(c.knowledgeBase(), c.id()));
            embeddings.add(Embedding.from(v));
            segments.add(TextSegment.from(c.text(), Metadata.from(meta)));
        }
        store.addAll(ids, embeddings, segments);
    }

    @Override
    public boolean deleteDocument(String knowledgeBase, String documentId) {
        boolean existed = documentHash(knowledgeBase, documentId).isPresent();
        store.removeAll(kb(knowledgeBase).and(eq(DOC, documentId)));
        return existed;
    }

    @Override
    public List<ScoredChunk> searchText(String knowledgeBase, String query, Map<String, String> filter, int k) {
        return List.of();
    }

    @Override
    public List<ScoredChunk> searchVector(String knowledgeBase, float[] vector, Map<String, String> filter, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        Filter f = kb(knowledgeBase);
        for (Map.Entry<String, String> e : filter.entrySet()) {
            f = f.and(eq(META + e.getKey(), e.getValue()));
        }
        List<ScoredChunk> out = new ArrayList<>();
        for (EmbeddingMatch<TextSegment> m : store.search(EmbeddingSearchRequest.builder()
                .queryEmbedding(Embedding.from(vector.clone())).maxResults(k).filter(f).build()).matches()) {
            Chunk c = toChunk(m.embedded());
            if (c.knowledgeBase().equals(knowledgeBase)) {
                out.add(new ScoredChunk(c, m.score()));
            }
        }
        return out;
    }

    @Override
    public Optional<Chunk> chunk(String knowledgeBase, String chunkId) {
        List<EmbeddingMatch<TextSegment>> m = probe(kb(knowledgeBase).and(eq(CHUNK, chunkId)), 1);
        return m.isEmpty() ? Optional.empty() : Optional.of(toChunk(m.get(0).embedded()));
    }

    @Override
    public List<String> documentIds(String knowledgeBase) {
        throw new UnsupportedOperationException("a langchain4j EmbeddingStore cannot list documents");
    }

    @Override
    public long count(String knowledgeBase) {
        throw new UnsupportedOperationException("a langchain4j EmbeddingStore cannot count chunks");
    }

    @Override
    public boolean supportsText() {
        return false;
    }

    /** Does nothing: the wrapped store's life is the caller's. */
    @Override
    public void close() {
    }

    private List<EmbeddingMatch<TextSegment>> probe(Filter filter, int k) {
        float[] probe = new float[dimension];
        probe[0] = 1f;
        return store.search(EmbeddingSearchRequest.builder().queryEmbedding(Embedding.from(probe)).maxResults(k)
                .minScore(0.0).filter(filter).build()).matches();
    }

    private static Chunk toChunk(TextSegment s) {
        Metadata md = s.metadata();
        Map<String, String> meta = new HashMap<>();
        md.toMap().forEach((k, v) -> {
            if (k.startsWith(META)) {
                meta.put(k.substring(META.length()), String.valueOf(v));
            }
        });
        return new Chunk(md.getString(KB), md.getString(CHUNK), md.getString(DOC), md.getString(HASH), s.text(),
                md.getString(HEADING), md.getString(URI), md.getInteger(START), md.getInteger(END), meta);
    }

    private static Filter kb(String knowledgeBase) {
        if (Objects.requireNonNull(knowledgeBase, "knowledgeBase").isBlank()) {
            throw new IllegalArgumentException("knowledgeBase must not be blank");
        }
        return eq(KB, knowledgeBase);
    }

    private static Filter eq(String key, String value) {
        return MetadataFilterBuilder.metadataKey(key).isEqualTo(value);
    }

    private static String uuid(String knowledgeBase, String chunkId) {
        return UUID.nameUUIDFromBytes((knowledgeBase + '\u001f' + chunkId).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
