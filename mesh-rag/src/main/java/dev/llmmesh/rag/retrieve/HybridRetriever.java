package dev.llmmesh.rag.retrieve;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.llmmesh.rag.store.ChunkStore;
import dev.llmmesh.rag.store.HybridQuery;
import dev.llmmesh.rag.store.ScoredChunk;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The retriever chain: query transformation, BM25 and vector search for every transformed query, weighted
 * reciprocal-rank fusion, an optional reranker over the best fused candidates, then the top {@code k}.
 *
 * <p>Immutable and thread-safe if the store, the model, the transformer and the reranker are. When the store does
 * not do keyword search, the chain is vector-only.
 */
public final class HybridRetriever implements Retriever {
    private final ChunkStore store;
    private final EmbeddingModel model;
    private final QueryTransformer transformer;
    private final @Nullable Reranker reranker;
    private final double textWeight;
    private final double vectorWeight;
    private final double rankConstant;
    private final int candidates;
    private final int rerankDepth;

    private HybridRetriever(Builder b) {
        this.store = b.store;
        this.model = b.model;
        this.transformer = b.transformer;
        this.reranker = b.reranker;
        this.textWeight = b.textWeight;
        this.vectorWeight = b.vectorWeight;
        this.rankConstant = b.rankConstant;
        this.candidates = b.candidates;
        this.rerankDepth = b.rerankDepth;
    }

    static Builder builder(ChunkStore store, EmbeddingModel model) {
        return new Builder(store, model);
    }

    @Override
    public List<ScoredChunk> retrieve(RetrievalRequest request) {
        List<String> queries = transformer.transform(request.query());
        if (queries.isEmpty()) {
            throw new IllegalStateException("query transformer " + transformer + " returned no query");
        }
        boolean text = store.supportsText() && textWeight > 0;
        double vWeight = text ? vectorWeight : Math.max(vectorWeight, 1.0);
        List<float[]> vectors = new ArrayList<>();
        if (vWeight > 0) {
            for (String q : queries) {
                vectors.add(model.embed(q).content().vector());
            }
        }
        int fused = reranker == null ? request.topK() : Math.max(rerankDepth, request.topK());
        List<ScoredChunk> hits = store.searchHybrid(new HybridQuery(request.knowledgeBase(),
                text ? queries : List.of(), vectors, request.filter(), Math.max(candidates, request.topK()),
                text ? textWeight : 0, vWeight, rankConstant, fused));
        if (reranker == null) {
            return hits;
        }
        List<ScoredChunk> reranked = reranker.rerank(request.query(), hits);
        return reranked.size() <= request.topK() ? List.copyOf(reranked)
                : List.copyOf(reranked.subList(0, request.topK()));
    }

    /** The reranker, if any. */
    public Optional<Reranker> reranker() {
        return Optional.ofNullable(reranker);
    }

    @Override
    public String toString() {
        return "HybridRetriever{textWeight=" + textWeight + ", vectorWeight=" + vectorWeight + ", rankConstant="
                + rankConstant + ", candidates=" + candidates + ", reranker=" + reranker + '}';
    }

    /** Configures a {@link HybridRetriever}. Not thread-safe. */
    public static final class Builder {
        private final ChunkStore store;
        private final EmbeddingModel model;
        private QueryTransformer transformer = QueryTransformer.identity();
        private @Nullable Reranker reranker;
        private double textWeight = 1.0;
        private double vectorWeight = 1.0;
        private double rankConstant = 60;
        private int candidates = 50;
        private int rerankDepth = 20;

        private Builder(ChunkStore store, EmbeddingModel model) {
            this.store = Objects.requireNonNull(store, "store");
            this.model = Objects.requireNonNull(model, "model");
        }

        /** How the question becomes queries; default: searched as asked. */
        public Builder queryTransformer(QueryTransformer transformer) {
            this.transformer = Objects.requireNonNull(transformer, "transformer");
            return this;
        }

        /** Re-orders the best {@link #rerankDepth(int)} fused candidates. */
        public Builder reranker(Reranker reranker) {
            this.reranker = Objects.requireNonNull(reranker, "reranker");
            return this;
        }

        /**
         * The fusion weights of the BM25 and the vector list (default 1 and 1). A weight of 0 turns a retriever off.
         *
         * @throws IllegalArgumentException if a weight is negative or not finite, or both are 0
         */
        public Builder weights(double text, double vector) {
            if (!(text >= 0) || !(vector >= 0) || !Double.isFinite(text) || !Double.isFinite(vector)) {
                throw new IllegalArgumentException("weights must be finite and >= 0, got text=" + text
                        + ", vector=" + vector);
            }
            if (text == 0 && vector == 0) {
                throw new IllegalArgumentException("at least one of the text and vector weights must be > 0");
            }
            this.textWeight = text;
            this.vectorWeight = vector;
            return this;
        }

        /**
         * The reciprocal-rank constant (default 60).
         *
         * @throws IllegalArgumentException if negative or not finite
         */
        public Builder rankConstant(double k) {
            if (!(k >= 0) || !Double.isFinite(k)) {
                throw new IllegalArgumentException("rankConstant must be finite and >= 0, got " + k);
            }
            this.rankConstant = k;
            return this;
        }

        /**
         * How many chunks each retriever contributes to the fusion (default 50).
         *
         * @throws IllegalArgumentException if {@code n < 1}
         */
        public Builder candidates(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("candidates must be >= 1, got " + n);
            }
            this.candidates = n;
            return this;
        }

        /**
         * How many fused candidates the reranker sees (default 20).
         *
         * @throws IllegalArgumentException if {@code n < 1}
         */
        public Builder rerankDepth(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("rerankDepth must be >= 1, got " + n);
            }
            this.rerankDepth = n;
            return this;
        }

        public HybridRetriever build() {
            return new HybridRetriever(this);
        }
    }
}
