/**
 * The retriever chain: query transformers, BM25 and vector retrievers, weighted reciprocal-rank fusion and an
 * optional reranker (a langchain4j {@code ScoringModel} such as an ONNX cross-encoder, or an LLM through the mesh).
 */
@NullMarked
package dev.llmmesh.rag.retrieve;

import org.jspecify.annotations.NullMarked;
