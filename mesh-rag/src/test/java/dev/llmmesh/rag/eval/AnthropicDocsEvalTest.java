package dev.llmmesh.rag.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.llmmesh.rag.ingest.EmbeddingModels;
import dev.llmmesh.rag.ingest.Ingestor;
import dev.llmmesh.rag.ingest.Splitter;
import dev.llmmesh.rag.retrieve.Retrievers;
import dev.llmmesh.rag.store.LuceneChunkStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Acceptance: on the 50 dev queries of the anthropic-cookbook RAG set (232 pre-chunked documents), hybrid retrieval
 * with the in-jar all-MiniLM-L6-v2 model reaches recall@3 >= 0.70 and MRR@3 >= 0.80. Reads the fixtures from
 * {@code MESH_FIXTURES}; never the hold-out queries.
 */
class AnthropicDocsEvalTest {

    @Test
    void hybridRetrievalWithTheInJarModelReachesRecall070AndMrr080AtK3OnTheDevQueries() {
        String fixtures = System.getenv("MESH_FIXTURES");
        if (fixtures == null || fixtures.isBlank()) {
            System.out.println("skipped: MESH_FIXTURES not set");
            return;
        }
        Path dir = Path.of(fixtures, "rag-eval");
        assertThat(dir.resolve("anthropic-docs-corpus.json")).exists();
        EvalDataset ds = EvalDataset.readCookbook(dir.resolve("anthropic-docs-corpus.json"),
                dir.resolve("anthropic-docs-eval-queries-dev.json"));
        assertThat(ds.documents()).hasSize(232);
        assertThat(ds.queries()).hasSize(50);
        EmbeddingModel model = new MemoizingModel(EmbeddingModels.inJar());
        try (LuceneChunkStore store = LuceneChunkStore.inMemory()) {
            Ingestor.builder(store).embeddingModel(model).splitter(Splitter.whole()).build()
                    .ingest("anthropic-docs", ds.documents());

            EvalReport bm25 = RetrievalEvaluator.evaluate("bm25", Retrievers.bm25(store), "anthropic-docs",
                    ds.queries(), 3);
            EvalReport vector = RetrievalEvaluator.evaluate("vector", Retrievers.vector(store, model),
                    "anthropic-docs", ds.queries(), 3);
            EvalReport hybrid = RetrievalEvaluator.evaluate("hybrid", Retrievers.hybrid(store, model).build(),
                    "anthropic-docs", ds.queries(), 3);
            System.out.println(EvalReport.header());
            List.of(bm25, vector, hybrid).forEach(r -> System.out.println(r.toRow()));

            assertThat(hybrid.recall()).isGreaterThanOrEqualTo(0.70);
            assertThat(hybrid.mrr()).isGreaterThanOrEqualTo(0.80);
        }
    }

    /** Embeds each distinct query once per test run (the evaluation asks each question three times). */
    private static final class MemoizingModel implements EmbeddingModel {
        private final EmbeddingModel delegate;
        private final Map<String, Embedding> seen = new ConcurrentHashMap<>();

        MemoizingModel(EmbeddingModel delegate) {
            this.delegate = delegate;
        }

        @Override
        public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
            if (segments.size() == 1) {
                String t = segments.get(0).text();
                return Response.from(List.of(seen.computeIfAbsent(t,
                        x -> delegate.embedAll(segments).content().get(0))));
            }
            return delegate.embedAll(segments);
        }

        @Override
        public int dimension() {
            return delegate.dimension();
        }
    }
}
