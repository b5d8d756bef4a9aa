package dev.llmmesh.rag.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import dev.llmmesh.rag.HashingEmbeddingModel;
import dev.llmmesh.rag.ingest.IngestReport;
import dev.llmmesh.rag.ingest.Ingestor;
import dev.llmmesh.rag.ingest.SourceDocument;
import dev.llmmesh.rag.ingest.Splitter;
import dev.llmmesh.rag.retrieve.RetrievalRequest;
import dev.llmmesh.rag.retrieve.Retrievers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddingStoreChunkStoreTest {
    private final HashingEmbeddingModel model = new HashingEmbeddingModel(32);
    private final EmbeddingStoreChunkStore store = new EmbeddingStoreChunkStore(new InMemoryEmbeddingStore<TextSegment>(), 32);
    private final Ingestor ingestor = Ingestor.builder(store).embeddingModel(model).splitter(Splitter.byTokens(6, 0)).build();

    @Test
    void storesChunksInALangChain4jEmbeddingStoreAndFindsThemByVector() {
        ingestor.ingest("kb", List.of(new SourceDocument("refunds", "refunds are paid in five days", "file:/r.md",
                Map.of("lang", "en"))));

        List<ScoredChunk> hits = Retrievers.hybrid(store, model).build()
                .retrieve(RetrievalRequest.of("refunds paid", "kb", 2));

        assertThat(hits).isNotEmpty();
        Chunk c = hits.get(0).chunk();
        assertThat(c.documentId()).isEqualTo("refunds");
        assertThat(c.sourceUri()).isEqualTo("file:/r.md");
        assertThat(c.metadata()).containsEntry("lang", "en");
        assertThat(store.chunk("kb", c.id())).contains(c);
        assertThat(store.supportsText()).isFalse();
        assertThat(store.searchText("kb", "refunds", Map.of(), 3)).isEmpty();
    }

    @Test
    void reingestingAChangedDocumentReplacesItsChunks() {
        ingestor.ingest("kb", List.of(SourceDocument.of("d", "one two three four five six seven eight nine ten")));
        assertThat(store.chunk("kb", "d#1")).isPresent();

        IngestReport r = ingestor.ingest("kb", List.of(SourceDocument.of("d", "eleven")));

        assertThat(r.replaced()).isEqualTo(1);
        assertThat(store.chunk("kb", "d#1")).isEmpty();
        assertThat(store.chunk("kb", "d#0").orElseThrow().text()).isEqualTo("eleven");
        assertThat(ingestor.ingest("kb", List.of(SourceDocument.of("d", "eleven"))).unchanged()).isEqualTo(1);
    }

    @Test
    void searchesAreScopedToTheKnowledgeBaseAndTheFilter() {
        ingestor.ingest("a", List.of(new SourceDocument("x", "shared words", "", Map.of("lang", "en"))));
        ingestor.ingest("b", List.of(new SourceDocument("x", "shared words", "", Map.of("lang", "en"))));

        assertThat(store.searchVector("a", model.vector("shared words"), Map.of(), 10))
                .extracting(c -> c.chunk().knowledgeBase()).containsExactly("a");
        assertThat(store.searchVector("a", model.vector("shared words"), Map.of("lang", "de"), 10)).isEmpty();
        assertThat(store.deleteDocument("a", "x")).isTrue();
        assertThat(store.documentHash("a", "x")).isEmpty();
        assertThat(store.documentHash("b", "x")).isPresent();
    }

    @Test
    void enumerationIsNotSupportedAndSaysSo() {
        assertThatThrownBy(() -> store.count("kb")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> store.documentIds("kb")).isInstanceOf(UnsupportedOperationException.class);
    }
}
