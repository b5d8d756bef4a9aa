package dev.llmmesh.governance.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmmesh.governance.eval.SpanMetrics.Matching;
import dev.llmmesh.governance.eval.SpanMetrics.Span;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpanMetricsTest {
    @Test
    void countsTruePositivesFalsePositivesAndMissesPerType() {
        List<List<Span>> gold = List.of(
                List.of(new Span("PERSON", 0, 10), new Span("PHONE", 20, 32)),
                List.of(new Span("PERSON", 5, 9)));
        List<List<Span>> pred = List.of(
                List.of(new Span("PERSON", 1, 10), new Span("PHONE", 40, 45)), // overlap 9 of 10: match
                List.of(new Span("PERSON", 5, 9), new Span("EMAIL", 0, 3)));
        SpanMetrics m = SpanMetrics.evaluate(gold, pred, Matching.HALF);
        assertThat(m.perType().get("PERSON")).isEqualTo(new BinaryMetrics.Counts(2, 0, 0));
        assertThat(m.perType().get("PHONE")).isEqualTo(new BinaryMetrics.Counts(0, 1, 1));
        assertThat(m.perType().get("EMAIL")).isEqualTo(new BinaryMetrics.Counts(0, 1, 0));
        assertThat(m.overall()).isEqualTo(new BinaryMetrics.Counts(2, 2, 1));
        assertThat(m.overall().precision()).isEqualTo(0.5);
        assertThat(m.overall().recall()).isEqualTo(2 / 3.0);
        assertThat(m.table()).contains("PERSON").contains("overall");

        SpanMetrics exact = SpanMetrics.evaluate(gold, pred, Matching.EXACT);
        assertThat(exact.perType().get("PERSON")).isEqualTo(new BinaryMetrics.Counts(1, 1, 1));
    }

    @Test
    void matchingNeedsTheSameTypeAndHalfTheLongerSpan() {
        Span g = new Span("PHONE", 10, 20);
        assertThat(SpanMetrics.matches(g, new Span("PHONE", 15, 20), Matching.HALF)).isTrue();   // 5 of 10
        assertThat(SpanMetrics.matches(g, new Span("PHONE", 16, 20), Matching.HALF)).isFalse();  // 4 of 10
        assertThat(SpanMetrics.matches(g, new Span("PHONE", 10, 30), Matching.HALF)).isTrue();   // 10 of 20
        assertThat(SpanMetrics.matches(g, new Span("PHONE", 10, 31), Matching.HALF)).isFalse();  // 10 of 21
        assertThat(SpanMetrics.matches(g, new Span("EMAIL", 10, 20), Matching.HALF)).isFalse();
        assertThat(SpanMetrics.matches(g, new Span("PHONE", 20, 25), Matching.HALF)).isFalse();  // touching only
        assertThatThrownBy(() -> SpanMetrics.evaluate(List.of(List.of()), List.of(), Matching.HALF))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
