package dev.llmmesh.rag.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmmesh.rag.HashingEmbeddingModel;
import dev.llmmesh.rag.store.LuceneChunkStore;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class IngestorTest {
    private final HashingEmbeddingModel model = new HashingEmbeddingModel(16);

    @Test
    void batchIngestionReportsProgressAfterEachGroupAndAtTheEnd() {
        List<SourceDocument> docs = IntStream.range(0, 10)
                .mapToObj(i -> SourceDocument.of("d" + i, "document number " + i)).toList();
        List<IngestProgress> seen = new ArrayList<>();
        try (LuceneChunkStore store = LuceneChunkStore.inMemory()) {
            IngestReport r = Ingestor.builder(store).embeddingModel(model).batchSize(4).build()
                    .ingest("kb", docs, seen::add);

            assertThat(r).isEqualTo(new IngestReport(10, 0, 0, 10));
            assertThat(seen).extracting(IngestProgress::documentsDone).containsExactly(4, 8, 10);
            assertThat(seen.get(seen.size() - 1).fraction()).isEqualTo(1.0);
            assertThat(store.count("kb")).isEqualTo(10);
        }
    }

    @Test
    void aBatchEndingInUnchangedDocumentsStillReportsCompletion() {
        try (LuceneChunkStore store = LuceneChunkStore.inMemory()) {
            Ingestor ingestor = Ingestor.builder(store).embeddingModel(model).batchSize(1).build();
            ingestor.ingest("kb", List.of(SourceDocument.of("a", "alpha"), SourceDocument.of("b", "beta")));
            List<IngestProgress> seen = new ArrayList<>();

            ingestor.ingest("kb", List.of(SourceDocument.of("a", "alpha, changed"), SourceDocument.of("b", "beta")),
                    seen::add);

            assertThat(seen).containsExactly(new IngestProgress(1, 2, 1), new IngestProgress(2, 2, 1));
        }
    }

    @Test
    void unchangedDocumentsAreNotEmbeddedAgain() {
        try (LuceneChunkStore store = LuceneChunkStore.inMemory()) {
            Ingestor ingestor = Ingestor.builder(store).embeddingModel(model).build();
            ingestor.ingest("kb", List.of(SourceDocument.of("a", "alpha"), SourceDocument.of("b", "beta")));
            int embedded = model.embedded();

            IngestReport r = ingestor.ingest("kb", List.of(SourceDocument.of("a", "alpha"),
                    SourceDocument.of("b", "beta, changed")));

            assertThat(r).isEqualTo(new IngestReport(0, 1, 1, 1));
            assertThat(model.embedded()).isEqualTo(embedded + 1);
        }
    }

    @Test
    void changingTheSplitterChangesTheContentHash() {
        try (LuceneChunkStore store = LuceneChunkStore.inMemory()) {
            SourceDocument d = SourceDocument.of("a", "alpha");
            String h1 = Ingestor.builder(store).embeddingModel(model).splitter(Splitter.byTokens(10, 0)).build().hash(d);
            String h2 = Ingestor.builder(store).embeddingModel(model).splitter(Splitter.byTokens(20, 0)).build().hash(d);
            assertThat(h1).isNotEqualTo(h2).hasSize(64);
        }
    }

    @Test
    void theEmbeddingInputCarriesTheHeadingPathOnceAndIsCut() {
        try (LuceneChunkStore store = LuceneChunkStore.inMemory()) {
            Ingestor ingestor = Ingestor.builder(store).embeddingModel(model).maxEmbeddingTokens(8).build();

            assertThat(ingestor.embeddingInput(new TextChunk("## Install\nRun it", "Guide > Install", 0, 17)))
                    .isEqualTo("Guide\n\n## Install\nRun it");
            assertThat(ingestor.embeddingInput(new TextChunk("Run it", "Guide", 0, 6))).isEqualTo("Guide\n\nRun it");
            assertThat(ingestor.embeddingInput(new TextChunk("aaaa ".repeat(20).strip(), "", 0, 99)))
                    .isEqualTo("aaaa ".repeat(8).strip());
        }
    }

    @Test
    void duplicateIdsInOneBatchAreRejectedBeforeAnythingIsStored() {
        try (LuceneChunkStore store = LuceneChunkStore.inMemory()) {
            Ingestor ingestor = Ingestor.builder(store).embeddingModel(model).build();
            assertThatThrownBy(() -> ingestor.ingest("kb", List.of(SourceDocument.of("a", "x"),
                    SourceDocument.of("a", "y")))).hasMessageContaining("\"a\" appears twice");
            assertThat(store.count("kb")).isZero();
        }
    }
}
