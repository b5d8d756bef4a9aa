/**
 * Measuring retrieval on labelled data: recall@k, precision@k, MRR and nDCG@10, computed the way the
 * anthropic-cookbook RAG guide computes them so the figures compare with the published ones.
 */
@NullMarked
package dev.llmmesh.rag.eval;

import org.jspecify.annotations.NullMarked;
