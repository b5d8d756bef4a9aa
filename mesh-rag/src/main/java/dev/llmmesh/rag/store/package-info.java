/**
 * Where chunks live: the {@link dev.llmmesh.rag.store.ChunkStore} SPI, a Lucene index holding BM25 text and HNSW
 * vectors together (on disk or on the heap), and an adapter for any langchain4j {@code EmbeddingStore} for teams
 * that outgrow one machine. Every store scopes every read and write to one knowledge base.
 */
@NullMarked
package dev.llmmesh.rag.store;

import org.jspecify.annotations.NullMarked;
