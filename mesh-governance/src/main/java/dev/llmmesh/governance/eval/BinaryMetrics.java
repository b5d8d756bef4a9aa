package dev.llmmesh.governance.eval;

import java.util.Arrays;
import java.util.Objects;

/**
 * Metrics of a scorer on labelled examples: each example has a score (higher means more likely positive) and a
 * label. Immutable; built once from the two arrays (copied).
 */
public final class BinaryMetrics {
    private final double[] scores;
    private final boolean[] labels;
    private final int positives;
    private final int negatives;

    private BinaryMetrics(double[] scores, boolean[] labels) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException("scores and labels differ in length: " + scores.length + " vs "
                    + labels.length);
        }
        this.scores = scores.clone();
        this.labels = labels.clone();
        int p = 0;
        for (boolean l : labels) {
            if (l) {
                p++;
            }
        }
        this.positives = p;
        this.negatives = labels.length - p;
    }

    /** Metrics over {@code scores[i]} with true label {@code labels[i]}. */
    public static BinaryMetrics of(double[] scores, boolean[] labels) {
        return new BinaryMetrics(Objects.requireNonNull(scores, "scores"), Objects.requireNonNull(labels, "labels"));
    }

    public int positives() {
        return positives;
    }

    public int negatives() {
        return negatives;
    }

    /**
     * The area under the ROC curve: the probability that a random positive scores above a random negative (ties
     * count one half). {@code NaN} without positives or without negatives.
     */
    public double rocAuc() {
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        // rank sum of the positives (average ranks for ties): Mann-Whitney U
        double rankSum = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double avgRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (labels[order[k]]) {
                    rankSum += avgRank;
                }
            }
            i = j + 1;
        }
        double u = rankSum - positives * (positives + 1) / 2.0;
        return u / ((double) positives * negatives);
    }

    /** The share of positives scoring at or above {@code threshold} ({@code NaN} without positives). */
    public double tpr(double threshold) {
        return positives == 0 ? Double.NaN : count(true, threshold) / (double) positives;
    }

    /** The share of negatives scoring at or above {@code threshold} ({@code NaN} without negatives). */
    public double fpr(double threshold) {
        return negatives == 0 ? Double.NaN : count(false, threshold) / (double) negatives;
    }

    /** At {@code threshold}: precision, recall and F-beta of the positive class. */
    public Counts at(double threshold) {
        int tp = count(true, threshold);
        int fp = count(false, threshold);
        return new Counts(tp, fp, positives - tp);
    }

    /**
     * The lowest threshold whose false-positive rate is at most {@code maxFpr}: just above the highest negative
     * score that may not pass. Scores equal to the returned value count as positive.
     */
    public double thresholdForFpr(double maxFpr) {
        if (!(maxFpr >= 0 && maxFpr <= 1)) {
            throw new IllegalArgumentException("maxFpr must be in [0, 1], got " + maxFpr);
        }
        double[] neg = new double[negatives];
        int k = 0;
        for (int i = 0; i < scores.length; i++) {
            if (!labels[i]) {
                neg[k++] = scores[i];
            }
        }
        Arrays.sort(neg);
        int allowed = (int) Math.floor(maxFpr * negatives + 1e-9); // negatives that may score at or above
        if (allowed >= negatives) {
            return Double.NEGATIVE_INFINITY;
        }
        double blocker = neg[negatives - 1 - allowed]; // the highest negative that must stay below
        double t = Math.nextUp(blocker);
        // ties: every negative equal to blocker stays below t; the ones above are at most `allowed`
        return t;
    }

    private int count(boolean label, double threshold) {
        int n = 0;
        for (int i = 0; i < scores.length; i++) {
            if (labels[i] == label && scores[i] >= threshold) {
                n++;
            }
        }
        return n;
    }

    /**
     * True positives, false positives and false negatives, with the usual ratios. Precision is 1 when nothing was
     * predicted, recall 1 when nothing was to be found.
     */
    public record Counts(int tp, int fp, int fn) {
        public double precision() {
            return tp + fp == 0 ? 1 : tp / (double) (tp + fp);
        }

        public double recall() {
            return tp + fn == 0 ? 1 : tp / (double) (tp + fn);
        }

        /** F-beta: beta 2 weighs recall four times as much as precision. */
        public double fBeta(double beta) {
            double p = precision();
            double r = recall();
            double b2 = beta * beta;
            return p + r == 0 ? 0 : (1 + b2) * p * r / (b2 * p + r);
        }

        public double f2() {
            return fBeta(2);
        }

        /** Adds another set of counts. */
        public Counts plus(Counts o) {
            return new Counts(tp + o.tp, fp + o.fp, fn + o.fn);
        }
    }
}
