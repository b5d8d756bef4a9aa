/**
 * Retrieval-augmented generation for the mesh: knowledge bases as catalog entries, a call interceptor that grounds
 * each call in the chunks a team may read, and citations in {@link dev.llmmesh.MeshResponse#citations()}.
 *
 * <p>Start with {@link dev.llmmesh.rag.RagPlugin}: register {@link dev.llmmesh.rag.KnowledgeBase}s with their
 * retrievers and install the plugin on a {@link dev.llmmesh.MeshBuilder}. Ingestion lives in
 * {@code dev.llmmesh.rag.ingest}, stores (in memory, Lucene on disk, any langchain4j {@code EmbeddingStore}) in
 * {@code dev.llmmesh.rag.store}, the retriever chain in {@code dev.llmmesh.rag.retrieve} and the quality
 * measures (recall@k, precision@k, MRR, nDCG@10) in {@code dev.llmmesh.rag.eval}.
 */
@NullMarked
package dev.llmmesh.rag;

import org.jspecify.annotations.NullMarked;
