package dev.llmmesh.governance.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BinaryMetricsTest {
    @Test
    void rocAucIsTheShareOfCorrectlyOrderedPairsWithTiesCountingHalf() {
        assertThat(BinaryMetrics.of(new double[] {0.9, 0.8, 0.2, 0.1}, new boolean[] {true, true, false, false})
                .rocAuc()).isEqualTo(1.0);
        assertThat(BinaryMetrics.of(new double[] {0.1, 0.9}, new boolean[] {true, false}).rocAuc()).isEqualTo(0.0);
        // pairs (p, n): (0.8,0.5) ok, (0.8,0.3) ok, (0.4,0.5) wrong, (0.4,0.3) ok -> 3/4
        assertThat(BinaryMetrics.of(new double[] {0.8, 0.4, 0.5, 0.3}, new boolean[] {true, true, false, false})
                .rocAuc()).isEqualTo(0.75);
        // one tie between a positive and a negative counts 1/2: (0.5 vs 0.5) + (0.5 vs 0.1) = 1.5 / 2
        assertThat(BinaryMetrics.of(new double[] {0.5, 0.5, 0.1}, new boolean[] {true, false, false}).rocAuc())
                .isEqualTo(0.75);
        assertThat(BinaryMetrics.of(new double[] {0.5}, new boolean[] {true}).rocAuc()).isNaN();
    }

    @Test
    void theThresholdForATargetFprLetsAtMostThatShareOfNegativesThrough() {
        double[] s = new double[20];
        boolean[] l = new boolean[20];
        for (int i = 0; i < 20; i++) {
            s[i] = i / 20.0; // negatives 0.00 .. 0.95
        }
        BinaryMetrics m = BinaryMetrics.of(s, l);
        double t = m.thresholdForFpr(0.05); // one negative in 20 may pass
        assertThat(m.fpr(t)).isEqualTo(0.05);
        assertThat(t).isGreaterThan(0.90).isLessThanOrEqualTo(0.95);
        assertThat(m.fpr(m.thresholdForFpr(0.0))).isZero();
        assertThat(m.fpr(m.thresholdForFpr(0.10))).isEqualTo(0.10);
    }

    @Test
    void countsGivePrecisionRecallAndF2() {
        BinaryMetrics m = BinaryMetrics.of(new double[] {0.9, 0.7, 0.6, 0.2, 0.1},
                new boolean[] {true, false, true, true, false});
        BinaryMetrics.Counts c = m.at(0.5);
        assertThat(c).isEqualTo(new BinaryMetrics.Counts(2, 1, 1));
        assertThat(c.precision()).isEqualTo(2 / 3.0);
        assertThat(c.recall()).isEqualTo(2 / 3.0);
        assertThat(c.f2()).isCloseTo(2 / 3.0, within(1e-12));
        BinaryMetrics.Counts skewed = new BinaryMetrics.Counts(1, 0, 3); // p 1, r 0.25
        assertThat(skewed.f2()).isCloseTo(5 * 0.25 / (4 + 0.25), within(1e-12));
        assertThat(m.tpr(0.5)).isEqualTo(2 / 3.0);
        assertThat(m.fpr(0.5)).isEqualTo(0.5);
        assertThat(new BinaryMetrics.Counts(0, 0, 0).f2()).isEqualTo(1.0);
        assertThat(new BinaryMetrics.Counts(0, 2, 0).precision()).isZero();
    }
}
