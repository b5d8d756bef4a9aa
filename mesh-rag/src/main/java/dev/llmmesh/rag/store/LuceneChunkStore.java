package dev.llmmesh.rag.store;

import dev.llmmesh.rag.internal.Rrf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.SerialMergeScheduler;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ChunkStore} on one Lucene index that holds the BM25 text (chunk text, heading and document title as
 * separate fields) and the HNSW vectors of every chunk together. On disk ({@link #open(Path)}) it survives restarts
 * and answers the same queries identically after reopening; on the heap ({@link #inMemory()}) it is the in-memory
 * store.
 *
 * <p>Queries are built from analyzed terms, never parsed, so no query syntax can be injected through a query, a
 * filter key or a filter value. Every search carries a mandatory filter on the knowledge base.
 *
 * <p>Thread-safe. Writes are visible to searches when they return (the first search after a write refreshes the
 * index snapshot, so a batch of writes lands in one segment) and durable after {@link #flush()} or {@link #close()}.
 * {@link #optimize()} merges the index into one segment. Merges run on the writing thread, so segment layout (and with it every score) is deterministic
 * for a given sequence of writes. One process may open a directory at a time (Lucene's write lock).
 */
public final class LuceneChunkStore implements ChunkStore {
    private static final String SEP = "\u001f";
    private static final String F_KEY = "key";
    private static final String F_KB = "kb";
    private static final String F_DOCKEY = "dockey";
    private static final String F_DOC = "doc";
    private static final String F_CHUNK = "chunk";
    private static final String F_HASH = "hash";
    private static final String F_TEXT = "text";
    private static final String F_HEADING = "heading";
    private static final String F_TITLE = "title";
    private static final String F_URI = "uri";
    private static final String F_START = "start";
    private static final String F_END = "end";
    private static final String F_VECTOR = "vector";
    private static final String META_PREFIX = "m.";
    private static final String COMMIT_DIMENSION = "mesh.rag.dimension";
    private static final String COMMIT_ANALYZER = "mesh.rag.analyzer";
    /** The metadata key whose value is indexed as the document title. */
    public static final String TITLE_KEY = "title";
    private static final int MAX_QUERY_TERMS = 512;

    private final Directory directory;
    private final Analyzer analyzer;
    private final String analyzerName;
    private final BM25Similarity similarity;
    private final float headingBoost;
    private final float titleBoost;
    private final int vectorCandidates;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong writes = new AtomicLong();
    private final Object refreshLock = new Object();
    private volatile long visibleWrites;
    private volatile int dimension;

    private LuceneChunkStore(Builder b) throws IOException {
        this.directory = b.path == null ? new ByteBuffersDirectory() : FSDirectory.open(b.path);
        this.analyzer = b.analyzer == null ? new EnglishAnalyzer() : b.analyzer;
        this.analyzerName = analyzer.getClass().getName();
        this.similarity = new BM25Similarity(b.k1, b.b);
        this.headingBoost = b.headingBoost;
        this.titleBoost = b.titleBoost;
        this.vectorCandidates = b.vectorCandidates;
        Map<String, String> previous = DirectoryReader.indexExists(directory)
                ? SegmentInfos.readLatestCommit(directory).getUserData() : Map.of();
        String storedAnalyzer = previous.get(COMMIT_ANALYZER);
        if (storedAnalyzer != null && !storedAnalyzer.equals(analyzerName)) {
            directory.close();
            throw new IllegalArgumentException("the index at " + b.path + " was written with analyzer "
                    + storedAnalyzer + " but is opened with " + analyzerName
                    + "; open it with the same analyzer or re-ingest into a new directory");
        }
        this.dimension = Integer.parseInt(previous.getOrDefault(COMMIT_DIMENSION, "0"));
        IndexWriterConfig config = new IndexWriterConfig(analyzer)
                .setSimilarity(similarity)
                .setMergeScheduler(new SerialMergeScheduler())
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                .setRAMBufferSizeMB(64)
                .setCommitOnClose(true);
        this.writer = new IndexWriter(directory, config);
        this.searchers = new SearcherManager(writer, new SearcherFactory() {
            @Override
            public IndexSearcher newSearcher(org.apache.lucene.index.IndexReader reader,
                                             org.apache.lucene.index.@Nullable IndexReader previousReader) {
                IndexSearcher s = new IndexSearcher(reader);
                s.setSimilarity(similarity);
                return s;
            }
        });
    }

    /** A builder; the defaults are an in-memory index, Lucene's {@link EnglishAnalyzer}, BM25(1.2, 0.75). */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens (or creates) an index in {@code directory} with the default settings.
     *
     * @throws UncheckedIOException if the directory cannot be opened or is locked by another writer
     */
    public static LuceneChunkStore open(Path directory) {
        return builder().directory(directory).build();
    }

    /** A new empty index on the heap with the default settings. */
    public static LuceneChunkStore inMemory() {
        return builder().build();
    }

    /** The vector dimension of this index; 0 until the first chunk is written. */
    public int dimension() {
        return dimension;
    }

    @Override
    public Optional<String> documentHash(String knowledgeBase, String documentId) {
        return withSearcher(s -> {
            TopDocs top = s.search(new TermQuery(new Term(F_DOCKEY, docKey(knowledgeBase, documentId))), 1);
            if (top.scoreDocs.length == 0) {
                return Optional.<String>empty();
            }
            return Optional.of(s.storedFields().document(top.scoreDocs[0].doc).get(F_HASH));
        });
    }

    @Override
    public void replaceDocument(DocumentChunks document) {
        replaceDocuments(List.of(document));
    }

    /**
     * Replaces several documents and refreshes searches once: use this for batch ingestion.
     *
     * @throws IllegalArgumentException if a vector's dimension differs from the index's
     */
    @Override
    public void replaceDocuments(List<DocumentChunks> documents) {
        ensureOpen();
        try {
            for (DocumentChunks d : documents) {
                checkKb(d.knowledgeBase());
                List<Document> docs = new ArrayList<>(d.chunks().size());
                for (int i = 0; i < d.chunks().size(); i++) {
                    float[] v = d.vector(i);
                    checkDimension(v.length, true);
                    docs.add(toDocument(d.chunks().get(i), v));
                }
                writer.updateDocuments(new Term(F_DOCKEY, docKey(d.knowledgeBase(), d.documentId())), docs);
            }
            writes.incrementAndGet();
        } catch (IOException e) {
            throw new UncheckedIOException("could not write to the Lucene index: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean deleteDocument(String knowledgeBase, String documentId) {
        ensureOpen();
        boolean existed = documentHash(knowledgeBase, documentId).isPresent();
        try {
            writer.deleteDocuments(new Term(F_DOCKEY, docKey(knowledgeBase, documentId)));
            writes.incrementAndGet();
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete from the Lucene index: " + e.getMessage(), e);
        }
        return existed;
    }

    @Override
    public List<ScoredChunk> searchText(String knowledgeBase, String query, Map<String, String> filter, int k) {
        requirePositive(k);
        Optional<Query> q = textQuery(knowledgeBase, query, filter);
        return q.isEmpty() ? List.of() : search(q.get(), k);
    }

    @Override
    public List<ScoredChunk> searchVector(String knowledgeBase, float[] vector, Map<String, String> filter, int k) {
        requirePositive(k);
        if (dimension == 0) {
            return List.of();
        }
        return search(vectorQuery(knowledgeBase, vector, filter, k), k);
    }

    /**
     * Runs every search on one index snapshot and fuses the ranked lists before loading any chunk, so only the
     * {@code topK} fused chunks are read from the index. Equal to {@link ChunkStore#searchHybrid}'s default result.
     */
    @Override
    public List<ScoredChunk> searchHybrid(HybridQuery query) {
        checkKb(query.knowledgeBase());
        List<float[]> vectors = query.vectors();
        List<Query> queries = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        int n = Math.max(query.texts().size(), vectors.size());
        for (int i = 0; i < n; i++) {
            if (i < query.texts().size() && query.textWeight() > 0) {
                textQuery(query.knowledgeBase(), query.texts().get(i), query.filter()).ifPresent(q -> {
                    queries.add(q);
                    weights.add(query.textWeight());
                });
            }
            if (i < vectors.size() && query.vectorWeight() > 0 && dimension > 0) {
                queries.add(vectorQuery(query.knowledgeBase(), vectors.get(i), query.filter(), query.candidates()));
                weights.add(query.vectorWeight());
            }
        }
        return withSearcher(s -> {
            List<List<Integer>> lists = new ArrayList<>(queries.size());
            for (Query q : queries) {
                ScoreDoc[] hits = s.search(q, query.candidates()).scoreDocs;
                List<Integer> ids = new ArrayList<>(hits.length);
                for (ScoreDoc sd : hits) {
                    ids.add(sd.doc);
                }
                lists.add(ids);
            }
            StoredFields fields = s.storedFields();
            List<ScoredChunk> out = new ArrayList<>();
            for (Rrf.Fused<Integer> f : Rrf.fuse(lists, weights, query.rankConstant(), query.topK(), d -> d)) {
                out.add(new ScoredChunk(fromDocument(fields.document(f.item())), f.score()));
            }
            return out;
        });
    }

    private Optional<Query> textQuery(String knowledgeBase, String query, Map<String, String> filter) {
        BooleanQuery.Builder terms = new BooleanQuery.Builder();
        Set<String> seen = new LinkedHashSet<>();
        for (String t : analyze(F_TEXT, query)) {
            if (seen.size() >= MAX_QUERY_TERMS) {
                break;
            }
            if (seen.add(t)) {
                terms.add(new TermQuery(new Term(F_TEXT, t)), BooleanClause.Occur.SHOULD);
                if (headingBoost > 0) {
                    terms.add(new BoostQuery(new TermQuery(new Term(F_HEADING, t)), headingBoost),
                            BooleanClause.Occur.SHOULD);
                }
                if (titleBoost > 0) {
                    terms.add(new BoostQuery(new TermQuery(new Term(F_TITLE, t)), titleBoost),
                            BooleanClause.Occur.SHOULD);
                }
            }
        }
        if (seen.isEmpty()) {
            checkKb(knowledgeBase);
            return Optional.empty();
        }
        BooleanQuery.Builder q = new BooleanQuery.Builder().add(terms.build(), BooleanClause.Occur.MUST);
        addFilters(q, knowledgeBase, filter);
        return Optional.of(q.build());
    }

    private Query vectorQuery(String knowledgeBase, float[] vector, Map<String, String> filter, int k) {
        checkDimension(vector.length, false);
        BooleanQuery.Builder f = new BooleanQuery.Builder();
        addFilters(f, knowledgeBase, filter);
        return new KnnFloatVectorQuery(F_VECTOR, unit(vector), Math.max(k, vectorCandidates), f.build());
    }

    /**
     * A unit-length copy: vectors are stored and searched normalized with the dot product, which ranks and scores
     * exactly like cosine similarity ({@code (1 + cos) / 2}) at a third of the cost.
     */
    private static float[] unit(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        if (norm == 0 || !Double.isFinite(norm)) {
            throw new IllegalArgumentException("a vector must be finite and not all zeros");
        }
        float[] out = new float[v.length];
        double inv = 1 / Math.sqrt(norm);
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] * inv);
        }
        return out;
    }

    @Override
    public Optional<Chunk> chunk(String knowledgeBase, String chunkId) {
        List<ScoredChunk> hit = search(new TermQuery(new Term(F_KEY, knowledgeBase + SEP + chunkId)), 1);
        return hit.isEmpty() ? Optional.empty() : Optional.of(hit.get(0).chunk());
    }

    @Override
    public List<String> documentIds(String knowledgeBase) {
        return withSearcher(s -> {
            Set<String> ids = new TreeSet<>();
            TermQuery q = new TermQuery(new Term(F_KB, knowledgeBase));
            int n = Math.max(1, s.count(q));
            StoredFields fields = s.storedFields();
            for (ScoreDoc sd : s.search(q, n).scoreDocs) {
                ids.add(fields.document(sd.doc, Set.of(F_DOC)).get(F_DOC));
            }
            return List.copyOf(ids);
        });
    }

    @Override
    public long count(String knowledgeBase) {
        return withSearcher(s -> (long) s.count(new TermQuery(new Term(F_KB, knowledgeBase))));
    }

    @Override
    public void flush() {
        ensureOpen();
        try {
            commitData();
            writer.commit();
        } catch (IOException e) {
            throw new UncheckedIOException("could not commit the Lucene index: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            commitData();
            searchers.close();
            writer.close();
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not close the Lucene index: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "LuceneChunkStore{" + directory + ", analyzer=" + analyzerName + ", dimension=" + dimension + '}';
    }

    /**
     * Makes every write that returned before this call visible to the searcher about to be acquired. Refreshing on
     * read rather than on write keeps a batch of writes in one segment instead of one segment per write.
     */
    private void refreshIfWritten() throws IOException {
        long target = writes.get();
        if (visibleWrites >= target) {
            return;
        }
        synchronized (refreshLock) {
            long now = writes.get();
            if (visibleWrites < now) {
                searchers.maybeRefreshBlocking();
                visibleWrites = now;
            }
        }
    }

    /**
     * Merges the index into one segment, purging deleted and replaced chunks for good (each segment has its own
     * HNSW graph, searched in turn). Costly on large indexes: the graph is rebuilt (about two minutes for 100k
     * chunks on two cores). Searches keep working meanwhile. Worth it after a bulk ingestion or many updates: a
     * 100k-chunk index ingested in one go (a few segments) answered hybrid queries in about half the time after it.
     *
     * @throws UncheckedIOException if the index cannot be written
     */
    public void optimize() {
        ensureOpen();
        try {
            writer.forceMerge(1);
            writes.incrementAndGet();
        } catch (IOException e) {
            throw new UncheckedIOException("could not merge the Lucene index: " + e.getMessage(), e);
        }
    }

    private void commitData() {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(COMMIT_ANALYZER, analyzerName);
        data.put(COMMIT_DIMENSION, Integer.toString(dimension));
        writer.setLiveCommitData(data.entrySet());
    }

    private Document toDocument(Chunk c, float[] vector) {
        Document d = new Document();
        d.add(new StringField(F_KEY, c.knowledgeBase() + SEP + c.id(), Field.Store.NO));
        d.add(new StringField(F_KB, c.knowledgeBase(), Field.Store.YES));
        d.add(new StringField(F_DOCKEY, docKey(c.knowledgeBase(), c.documentId()), Field.Store.NO));
        d.add(new StoredField(F_DOC, c.documentId()));
        d.add(new StoredField(F_CHUNK, c.id()));
        d.add(new StoredField(F_HASH, c.contentHash()));
        d.add(new TextField(F_TEXT, c.text(), Field.Store.YES));
        d.add(new TextField(F_HEADING, c.heading(), Field.Store.YES));
        String title = c.metadata().get(TITLE_KEY);
        if (title != null) {
            d.add(new TextField(F_TITLE, title, Field.Store.NO));
        }
        d.add(new StoredField(F_URI, c.sourceUri()));
        d.add(new StoredField(F_START, c.start()));
        d.add(new StoredField(F_END, c.end()));
        c.metadata().forEach((key, value) -> d.add(new StringField(META_PREFIX + key, value, Field.Store.YES)));
        d.add(new KnnFloatVectorField(F_VECTOR, unit(vector), VectorSimilarityFunction.DOT_PRODUCT));
        return d;
    }

    private static Chunk fromDocument(Document d) {
        Map<String, String> meta = new HashMap<>();
        for (IndexableField f : d.getFields()) {
            if (f.name().startsWith(META_PREFIX)) {
                meta.put(f.name().substring(META_PREFIX.length()), f.stringValue());
            }
        }
        return new Chunk(d.get(F_KB), d.get(F_CHUNK), d.get(F_DOC), d.get(F_HASH), d.get(F_TEXT), d.get(F_HEADING),
                d.get(F_URI), d.getField(F_START).numericValue().intValue(),
                d.getField(F_END).numericValue().intValue(), meta);
    }

    private static void addFilters(BooleanQuery.Builder q, String knowledgeBase, Map<String, String> filter) {
        checkKb(knowledgeBase);
        q.add(new TermQuery(new Term(F_KB, knowledgeBase)), BooleanClause.Occur.FILTER);
        filter.forEach((key, value) -> q.add(new TermQuery(new Term(META_PREFIX + key, value)),
                BooleanClause.Occur.FILTER));
    }

    private List<ScoredChunk> search(Query query, int k) {
        return withSearcher(s -> {
            TopDocs top = s.search(query, k);
            StoredFields fields = s.storedFields();
            List<ScoredChunk> out = new ArrayList<>(top.scoreDocs.length);
            for (ScoreDoc sd : top.scoreDocs) {
                out.add(new ScoredChunk(fromDocument(fields.document(sd.doc)), sd.score));
            }
            return out;
        });
    }

    private List<String> analyze(String field, String text) {
        List<String> out = new ArrayList<>();
        try (TokenStream ts = analyzer.tokenStream(field, text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                out.add(term.toString());
            }
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private <T> T withSearcher(SearchFunction<T> f) {
        ensureOpen();
        IndexSearcher s;
        try {
            refreshIfWritten();
            s = searchers.acquire();
        } catch (IOException e) {
            throw new UncheckedIOException("could not open a Lucene searcher: " + e.getMessage(), e);
        }
        try {
            return f.apply(s);
        } catch (IOException e) {
            throw new UncheckedIOException("Lucene search failed: " + e.getMessage(), e);
        } finally {
            try {
                searchers.release(s);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void checkDimension(int length, boolean writing) {
        if (length == 0) {
            throw new IllegalArgumentException("vectors must not be empty");
        }
        if (dimension == length) {
            return;
        }
        if (writing) {
            synchronized (this) {
                if (dimension == 0) {
                    dimension = length;
                    return;
                }
            }
        }
        throw new IllegalArgumentException("vector dimension " + length + " does not match this index's "
                + dimension + "; use the embedding model the index was built with, or re-ingest into a new index");
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("this LuceneChunkStore is closed");
        }
    }

    private static String docKey(String knowledgeBase, String documentId) {
        return knowledgeBase + SEP + documentId;
    }

    private static void checkKb(String knowledgeBase) {
        if (Objects.requireNonNull(knowledgeBase, "knowledgeBase").isBlank() || knowledgeBase.contains(SEP)) {
            throw new IllegalArgumentException("knowledge base id must be non-blank and without control characters");
        }
    }

    private static void requirePositive(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
    }

    @FunctionalInterface
    private interface SearchFunction<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }

    /**
     * Configures a {@link LuceneChunkStore}. Not thread-safe. The analyzer must stay the same for the life of an
     * on-disk index (it is recorded in the index and checked on open); BM25 parameters and boosts are query-time
     * settings and may change between openings.
     */
    public static final class Builder {
        private @Nullable Path path;
        private @Nullable Analyzer analyzer;
        private float k1 = 1.2f;
        private float b = 0.75f;
        private float headingBoost = 1.0f;
        private float titleBoost = 1.0f;
        private int vectorCandidates = 100;

        private Builder() {
        }

        /**
         * Keeps the index in {@code path} (created if missing) instead of on the heap.
         *
         * @throws IllegalArgumentException if {@code path} exists and is not a directory
         */
        public Builder directory(Path path) {
            Objects.requireNonNull(path, "path");
            if (Files.exists(path) && !Files.isDirectory(path)) {
                throw new IllegalArgumentException("index path " + path + " is a file; give a directory");
            }
            this.path = path;
            return this;
        }

        /** The analyzer for text, heading and title, at index and query time. Default {@link EnglishAnalyzer}. */
        public Builder analyzer(Analyzer analyzer) {
            this.analyzer = Objects.requireNonNull(analyzer, "analyzer");
            return this;
        }

        /**
         * BM25 parameters.
         *
         * @throws IllegalArgumentException if {@code k1 < 0} or {@code b} is outside [0, 1]
         */
        public Builder bm25(float k1, float b) {
            if (!(k1 >= 0) || !Float.isFinite(k1)) {
                throw new IllegalArgumentException("bm25 k1 must be a finite number >= 0, got " + k1);
            }
            if (!(b >= 0 && b <= 1)) {
                throw new IllegalArgumentException("bm25 b must be in [0, 1], got " + b);
            }
            this.k1 = k1;
            this.b = b;
            return this;
        }

        /**
         * How much a query term found in the chunk's heading counts, relative to the body (0 ignores headings).
         *
         * @throws IllegalArgumentException if negative or not finite
         */
        public Builder headingBoost(float boost) {
            this.headingBoost = requireBoost(boost, "headingBoost");
            return this;
        }

        /**
         * How much a query term found in the document title (metadata key
         * {@value LuceneChunkStore#TITLE_KEY}) counts, relative to the body (0 ignores titles).
         *
         * @throws IllegalArgumentException if negative or not finite
         */
        public Builder titleBoost(float boost) {
            this.titleBoost = requireBoost(boost, "titleBoost");
            return this;
        }

        /**
         * How many candidates an HNSW search explores at least (default 100); the best {@code k} are returned. More
         * finds the true nearest neighbours more often and costs more; the graph is approximate, so with fewer the
         * vector results of small {@code k} get noticeably worse.
         *
         * @throws IllegalArgumentException if {@code n < 1}
         */
        public Builder vectorCandidates(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("vectorCandidates must be >= 1, got " + n);
            }
            this.vectorCandidates = n;
            return this;
        }

        /**
         * Opens the store.
         *
         * @throws UncheckedIOException if the directory cannot be opened or is locked by another writer
         * @throws IllegalArgumentException if the index was written with another analyzer
         */
        public LuceneChunkStore build() {
            try {
                return new LuceneChunkStore(this);
            } catch (IOException e) {
                throw new UncheckedIOException("could not open the Lucene index at "
                        + (path == null ? "(heap)" : path) + ": " + e.getMessage(), e);
            }
        }

        private static float requireBoost(float boost, String name) {
            if (!(boost >= 0) || !Float.isFinite(boost)) {
                throw new IllegalArgumentException(name + " must be a finite number >= 0, got " + boost);
            }
            return boost;
        }
    }
}
