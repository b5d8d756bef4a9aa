package dev.llmmesh.rag.retrieve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.llmmesh.rag.store.Chunk;
import dev.llmmesh.rag.store.ScoredChunk;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FusionTest {
    static ScoredChunk chunk(String id, double score) {
        return new ScoredChunk(new Chunk("kb", id, "doc-" + id, "h", "text " + id, "", "", 0, 0, Map.of()), score);
    }

    @Test
    void reciprocalRankFusionSumsWeightedReciprocalRanks() {
        List<ScoredChunk> text = List.of(chunk("a", 9), chunk("b", 5));
        List<ScoredChunk> vector = List.of(chunk("b", 0.9), chunk("c", 0.8));

        List<ScoredChunk> fused = Fusion.reciprocalRank(List.of(text, vector), List.of(1.0, 1.0), 60, 10);

        assertThat(fused).extracting(c -> c.chunk().id()).containsExactly("b", "a", "c");
        assertThat(fused.get(0).score()).isCloseTo(1 / 62.0 + 1 / 61.0, within(1e-12));
        assertThat(fused.get(1).score()).isCloseTo(1 / 61.0, within(1e-12));
    }

    @Test
    void weightsShiftTheBalanceAndTopKCuts() {
        List<ScoredChunk> text = List.of(chunk("a", 9));
        List<ScoredChunk> vector = List.of(chunk("c", 0.8));

        assertThat(Fusion.reciprocalRank(List.of(text, vector), List.of(0.5, 1.0), 60, 1))
                .extracting(c -> c.chunk().id()).containsExactly("c");
        assertThat(Fusion.reciprocalRank(List.of(text, vector), List.of(1.0, 0.5), 60, 1))
                .extracting(c -> c.chunk().id()).containsExactly("a");
    }

    @Test
    void tiesKeepTheOrderFirstSeen() {
        List<ScoredChunk> fused = Fusion.reciprocalRank(List.of(List.of(chunk("x", 1)), List.of(chunk("y", 1))),
                List.of(1.0, 1.0), 60, 2);
        assertThat(fused).extracting(c -> c.chunk().id()).containsExactly("x", "y");
    }

    @Test
    void mismatchedWeightsAreRejected() {
        assertThatThrownBy(() -> Fusion.reciprocalRank(List.of(List.of()), List.of(), 60, 1))
                .hasMessageContaining("1 lists but 0 weights");
        assertThatThrownBy(() -> Fusion.reciprocalRank(List.of(List.of()), List.of(-1.0), 60, 1))
                .hasMessageContaining(">= 0");
    }
}
