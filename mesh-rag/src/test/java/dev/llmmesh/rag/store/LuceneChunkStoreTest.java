package dev.llmmesh.rag.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.llmmesh.rag.HashingEmbeddingModel;
import dev.llmmesh.rag.ingest.EmbeddingModels;
import dev.llmmesh.rag.ingest.IngestReport;
import dev.llmmesh.rag.ingest.Ingestor;
import dev.llmmesh.rag.ingest.SourceDocument;
import dev.llmmesh.rag.ingest.Splitter;
import dev.llmmesh.rag.retrieve.HybridRetriever;
import dev.llmmesh.rag.retrieve.RetrievalRequest;
import dev.llmmesh.rag.retrieve.Retrievers;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LuceneChunkStoreTest {
    private static final List<SourceDocument> DOCS = List.of(
            SourceDocument.of("refunds.md", """
                    # Refunds
                    Refunds are paid back to the original card within five business days.
                    ## Partial refunds
                    A partial refund needs the order id and the amount; the rest of the order stays captured.
                    """),
            SourceDocument.of("chargebacks.md", """
                    # Chargebacks
                    A chargeback is a dispute the cardholder raises with the bank. Answer it with evidence
                    within seven days, or the funds are lost.
                    """),
            SourceDocument.of("payouts.md", """
                    # Payouts
                    Merchants receive payouts daily. A payout can be delayed when the account is under review.
                    """));
    private static final List<String> QUERIES = List.of("how long does a refund take", "cardholder dispute evidence",
            "why is my payout late", "partial refund amount");

    private final HashingEmbeddingModel hashing = new HashingEmbeddingModel(64);

    @Test
    void indexSurvivesARestartAndAnswersTheSameQueriesIdentically(@TempDir Path dir) {
        EmbeddingModel model = EmbeddingModels.inJar();
        List<List<ScoredChunk>> before;
        try (LuceneChunkStore store = LuceneChunkStore.open(dir)) {
            Ingestor.builder(store).embeddingModel(model).splitter(Splitter.byHeading(64, 8)).build()
                    .ingest("payments", DOCS);
            before = answers(Retrievers.hybrid(store, model).build());
            assertThat(before).allSatisfy(r -> assertThat(r).isNotEmpty());
        }
        try (LuceneChunkStore reopened = LuceneChunkStore.open(dir)) {
            assertThat(reopened.count("payments")).isEqualTo(4);
            assertThat(reopened.dimension()).isEqualTo(384);
            assertThat(answers(Retrievers.hybrid(reopened, model).build())).isEqualTo(before);
            IngestReport again = Ingestor.builder(reopened).embeddingModel(model)
                    .splitter(Splitter.byHeading(64, 8)).build().ingest("payments", DOCS);
            assertThat(again.unchanged()).isEqualTo(3);
            assertThat(again.chunks()).isZero();
        }
    }

    @Test
    void reingestingAChangedDocumentLeavesNoStaleChunk() {
        try (LuceneChunkStore store = LuceneChunkStore.inMemory()) {
            Ingestor ingestor = Ingestor.builder(store).embeddingModel(hashing).splitter(Splitter.byTokens(12, 2))
                    .build();
            String longer = "Refunds are paid within five days. " .repeat(12);
            ingestor.ingest("kb", List.of(SourceDocument.of("refunds", longer), SourceDocument.of("other", "unrelated")));
            long oldChunks = store.count("kb");
            assertThat(oldChunks).isGreaterThan(3);

            IngestReport r = ingestor.ingest("kb", List.of(SourceDocument.of("refunds", "Refunds now take ten days.")));

            assertThat(r.replaced()).isEqualTo(1);
            assertThat(store.count("kb")).isEqualTo(2);
            assertThat(store.searchText("kb", "five", Map.of(), 10)).isEmpty();
            assertThat(store.searchText("kb", "refunds", Map.of(), 10))
                    .extracting(c -> c.chunk().text()).containsExactly("Refunds now take ten days.");
            assertThat(store.chunk("kb", "refunds#1")).isEmpty();
            assertThat(store.documentHash("kb", "refunds")).contains(ingestor.hash(
                    SourceDocument.of("refunds", "Refunds now take ten days.")));
        }
    }

    @Test
    void searchesNeverReturnChunksOfAnotherKnowledgeBase() {
        try (LuceneChunkStore store = LuceneChunkStore.inMemory()) {
            Ingestor ingestor = Ingestor.builder(store).embeddingModel(hashing).build();
            ingestor.ingest("a", List.of(SourceDocument.of("x", "secret plans of team a")));
            ingestor.ingest("b", List.of(SourceDocument.of("x", "secret plans of team b")));

            assertThat(store.searchText("a", "secret plans team b", Map.of(), 10))
                    .extracting(c -> c.chunk().knowledgeBase()).containsOnly("a");
            assertThat(store.searchVector("b", hashing.vector("team a"), Map.of(), 10))
                    .extracting(c -> c.chunk().knowledgeBase()).containsOnly("b");
            assertThat(store.chunk("a", "x#0").orElseThrow().text()).contains("team a");
            assertThat(store.documentIds("a")).containsExactly("x");
        }
    }

    @Test
    void filtersKeepOnlyChunksWithMatchingMetadata() {
        try (LuceneChunkStore store = LuceneChunkStore.inMemory()) {
            Ingestor.builder(store).embeddingModel(hashing).build().ingest("kb", List.of(
                    new SourceDocument("en", "refund policy", "", Map.of("lang", "en")),
                    new SourceDocument("de", "refund policy", "", Map.of("lang", "de"))));

            assertThat(store.searchText("kb", "refund", Map.of("lang", "de"), 10))
                    .extracting(c -> c.chunk().documentId()).containsExactly("de");
            assertThat(store.searchVector("kb", hashing.vector("refund"), Map.of("lang", "en"), 10))
                    .extracting(c -> c.chunk().documentId()).containsExactly("en");
            assertThat(store.searchText("kb", "refund", Map.of("lang", "fr"), 10)).isEmpty();
        }
    }

    @Test
    void queryTextIsSearchedAsWordsNeverAsQuerySyntax() {
        try (LuceneChunkStore store = LuceneChunkStore.inMemory()) {
            Ingestor.builder(store).embeddingModel(hashing).build().ingest("kb", List.of(
                    SourceDocument.of("a", "alpha"), SourceDocument.of("b", "beta")));

            assertThat(store.searchText("kb", "*:* OR kb:* (beta~2)", Map.of(), 10))
                    .extracting(c -> c.chunk().documentId()).containsExactly("b");
            assertThat(store.searchText("kb", "!!! ???", Map.of(), 10)).isEmpty();
        }
    }

    @Test
    void headingsAreSearchedWithTheirOwnBoost() {
        try (LuceneChunkStore plain = LuceneChunkStore.builder().headingBoost(0).build();
             LuceneChunkStore boosted = LuceneChunkStore.builder().headingBoost(3).build()) {
            List<SourceDocument> docs = List.of(
                    SourceDocument.of("a", "# Streaming\nEvents arrive one by one over the connection."),
                    SourceDocument.of("b", "# Errors\nStreaming errors end the connection; streaming resumes later."));
            Ingestor.builder(plain).embeddingModel(hashing).build().ingest("kb", docs);
            Ingestor.builder(boosted).embeddingModel(hashing).build().ingest("kb", docs);

            assertThat(plain.searchText("kb", "streaming", Map.of(), 2).get(0).chunk().documentId()).isEqualTo("b");
            assertThat(boosted.searchText("kb", "streaming", Map.of(), 2).get(0).chunk().documentId()).isEqualTo("a");
        }
    }

    @Test
    void reopeningWithAnotherAnalyzerFailsAndNamesTheFix(@TempDir Path dir) {
        try (LuceneChunkStore store = LuceneChunkStore.open(dir)) {
            Ingestor.builder(store).embeddingModel(hashing).build().ingest("kb", List.of(SourceDocument.of("a", "x")));
        }
        assertThatThrownBy(() -> LuceneChunkStore.builder().directory(dir).analyzer(new StandardAnalyzer()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("EnglishAnalyzer").hasMessageContaining("same analyzer");
        try (LuceneChunkStore again = LuceneChunkStore.open(dir)) {
            assertThat(again.count("kb")).isEqualTo(1);
        }
    }

    @Test
    void vectorsOfAnotherDimensionAreRejected() {
        try (LuceneChunkStore store = LuceneChunkStore.inMemory()) {
            Ingestor.builder(store).embeddingModel(hashing).build().ingest("kb", List.of(SourceDocument.of("a", "x")));

            assertThatThrownBy(() -> store.searchVector("kb", new float[3], Map.of(), 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dimension 3")
                    .hasMessageContaining("64");
            assertThatThrownBy(() -> Ingestor.builder(store).embeddingModel(new HashingEmbeddingModel(8)).build()
                    .ingest("kb", List.of(SourceDocument.of("b", "y"))))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(store.count("kb")).isEqualTo(1);
        }
    }

    @Test
    void deletingADocumentRemovesAllItsChunks() {
        try (LuceneChunkStore store = LuceneChunkStore.inMemory()) {
            Ingestor ingestor = Ingestor.builder(store).embeddingModel(hashing).splitter(Splitter.byTokens(4, 0))
                    .build();
            ingestor.ingest("kb", List.of(SourceDocument.of("a", "one two three four five six seven eight nine")));
            assertThat(store.count("kb")).isGreaterThan(1);

            assertThat(ingestor.delete("kb", "a")).isTrue();
            assertThat(store.count("kb")).isZero();
            assertThat(ingestor.delete("kb", "a")).isFalse();
        }
    }

    @Test
    void theFusedHybridSearchEqualsFusingTheSeparateSearches() {
        try (LuceneChunkStore store = LuceneChunkStore.inMemory()) {
            Ingestor.builder(store).embeddingModel(hashing).splitter(Splitter.byHeading(20, 4)).build()
                    .ingest("payments", DOCS);
            ChunkStore generic = new ChunkStore() {
                @Override
                public Optional<String> documentHash(String kb, String doc) {
                    return store.documentHash(kb, doc);
                }

                @Override
                public void replaceDocument(DocumentChunks document) {
                    store.replaceDocument(document);
                }

                @Override
                public boolean deleteDocument(String kb, String doc) {
                    return store.deleteDocument(kb, doc);
                }

                @Override
                public List<ScoredChunk> searchText(String kb, String q, Map<String, String> f, int k) {
                    return store.searchText(kb, q, f, k);
                }

                @Override
                public List<ScoredChunk> searchVector(String kb, float[] v, Map<String, String> f, int k) {
                    return store.searchVector(kb, v, f, k);
                }

                @Override
                public Optional<Chunk> chunk(String kb, String id) {
                    return store.chunk(kb, id);
                }

                @Override
                public List<String> documentIds(String kb) {
                    return store.documentIds(kb);
                }

                @Override
                public long count(String kb) {
                    return store.count(kb);
                }

                @Override
                public void close() {
                }
            };
            for (String q : QUERIES) {
                HybridQuery hq = new HybridQuery("payments", List.of(q, "refund"),
                        List.of(hashing.vector(q), hashing.vector("refund")), Map.of(), 5, 1.0, 0.7, 20, 4);
                assertThat(store.searchHybrid(hq)).isNotEmpty().isEqualTo(generic.searchHybrid(hq));
            }
        }
    }

    @Test
    void writesAreVisibleWhenTheyReturnAndOptimizeKeepsEveryChunk() {
        try (LuceneChunkStore store = LuceneChunkStore.inMemory()) {
            Ingestor ingestor = Ingestor.builder(store).embeddingModel(hashing).build();
            for (int i = 0; i < 5; i++) {
                ingestor.ingest("kb", List.of(SourceDocument.of("d" + i, "document number " + i)));
                assertThat(store.count("kb")).isEqualTo(i + 1);
            }
            List<ScoredChunk> before = store.searchText("kb", "document number 3", Map.of(), 5);

            store.optimize();

            assertThat(store.count("kb")).isEqualTo(5);
            assertThat(store.searchText("kb", "document number 3", Map.of(), 5)).isEqualTo(before);
            assertThat(store.searchVector("kb", hashing.vector("document number 3"), Map.of(), 1).get(0).chunk().id())
                    .isEqualTo("d3#0");
        }
    }

    @Test
    void aClosedStoreRefusesWork() {
        LuceneChunkStore store = LuceneChunkStore.inMemory();
        store.close();
        store.close();
        assertThatThrownBy(() -> store.count("kb")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    private static List<List<ScoredChunk>> answers(HybridRetriever retriever) {
        return QUERIES.stream().map(q -> retriever.retrieve(RetrievalRequest.of(q, "payments", 3))).toList();
    }
}
