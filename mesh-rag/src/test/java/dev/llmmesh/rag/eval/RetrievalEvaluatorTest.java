package dev.llmmesh.rag.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetrievalEvaluatorTest {
    private static final LabelledQuery Q1 = new LabelledQuery("q1", "first", List.of("a", "b"));
    private static final LabelledQuery Q2 = new LabelledQuery("q2", "second", List.of("c"));

    @Test
    void measuresRecallPrecisionMrrAndNdcgTheWayTheCookbookDoes() {
        Map<String, List<String>> ranked = Map.of("first", List.of("x", "a", "y", "b"), "second", List.of("c", "z"));

        EvalReport r = RetrievalEvaluator.evaluate("t", (q, depth) -> ranked.get(q), List.of(Q1, Q2), 3);

        QueryResult first = r.queries().get(0);
        assertThat(first.recall()).isEqualTo(0.5);
        assertThat(first.precision()).isCloseTo(1 / 3.0, within(1e-12));
        assertThat(first.reciprocalRank()).isEqualTo(0.5);
        double dcg = 1 / log2(3) + 1 / log2(5);
        double idcg = 1 + 1 / log2(3);
        assertThat(first.ndcg10()).isCloseTo(dcg / idcg, within(1e-12));
        QueryResult second = r.queries().get(1);
        assertThat(second.recall()).isEqualTo(1.0);
        assertThat(second.precision()).isEqualTo(0.5);
        assertThat(second.reciprocalRank()).isEqualTo(1.0);
        assertThat(second.ndcg10()).isEqualTo(1.0);
        assertThat(r.recall()).isEqualTo(0.75);
        assertThat(r.mrr()).isEqualTo(0.75);
        assertThat(r.toRow()).startsWith("| t | 3 | 0.750 |");
    }

    @Test
    void aDocumentRetrievedTwiceCountsOnceAtItsBestRank() {
        EvalReport r = RetrievalEvaluator.evaluate("t", (q, d) -> List.of("a", "a", "a", "b"), List.of(Q1), 2);

        assertThat(r.queries().get(0).retrieved()).containsExactly("a", "b");
        assertThat(r.recall()).isEqualTo(1.0);
        assertThat(r.precision()).isEqualTo(1.0);
    }

    @Test
    void nothingRetrievedScoresZero() {
        EvalReport r = RetrievalEvaluator.evaluate("t", (q, d) -> List.of(), List.of(Q1), 3);
        assertThat(r.recall()).isZero();
        assertThat(r.precision()).isZero();
        assertThat(r.mrr()).isZero();
        assertThat(r.ndcg10()).isZero();
    }

    @Test
    void readsTheCookbookFormatAndChecksEveryLabelNamesACorpusDocument(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("corpus.json"), """
                [{"chunk_link": "u#a", "chunk_heading": "A", "text": "alpha"},
                 {"chunk_link": "u#b", "chunk_heading": "B", "text": "beta"}]""");
        Files.writeString(dir.resolve("queries.json"), """
                [{"id": "1", "question": "alpha?", "correct_chunks": ["u#a"], "correct_answer": "alpha"}]""");
        Files.writeString(dir.resolve("bad.json"), """
                [{"id": "1", "question": "gamma?", "correct_chunks": ["u#c"], "correct_answer": "?"}]""");

        EvalDataset ds = EvalDataset.readCookbook(dir.resolve("corpus.json"), dir.resolve("queries.json"));

        assertThat(ds.documents()).hasSize(2);
        assertThat(ds.documents().get(0).metadata()).containsEntry("heading", "A");
        assertThat(ds.documents().get(0).sourceUri()).isEqualTo("u#a");
        assertThat(ds.queries()).containsExactly(new LabelledQuery("1", "alpha?", List.of("u#a")));
        assertThatThrownBy(() -> EvalDataset.readCookbook(dir.resolve("corpus.json"), dir.resolve("bad.json")))
                .hasMessageContaining("\"u#c\", which is not in the corpus");
    }

    @Test
    void badArgumentsAreRejected() {
        assertThatThrownBy(() -> RetrievalEvaluator.evaluate("t", (q, d) -> List.of(), List.of(Q1), 0))
                .hasMessageContaining("k must be >= 1");
        assertThatThrownBy(() -> RetrievalEvaluator.evaluate("t", (q, d) -> List.of(), List.of(), 3))
                .hasMessageContaining("no queries");
        assertThatThrownBy(() -> new LabelledQuery("x", "q", List.of())).hasMessageContaining("no relevant");
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
