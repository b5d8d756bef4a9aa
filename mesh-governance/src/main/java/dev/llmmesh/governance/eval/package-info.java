/**
 * Evaluation of the detectors on labelled data: {@link dev.llmmesh.governance.eval.BinaryMetrics} for scored
 * yes/no decisions (prompt injection: ROC AUC, TPR and FPR at a threshold, the threshold for a target FPR) and
 * {@link dev.llmmesh.governance.eval.SpanMetrics} for entity spans (PII: precision, recall and F-beta per type).
 */
@NullMarked
package dev.llmmesh.governance.eval;

import org.jspecify.annotations.NullMarked;
