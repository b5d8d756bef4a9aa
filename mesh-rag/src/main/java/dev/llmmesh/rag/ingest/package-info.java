/**
 * Ingestion: load plain text, Markdown, HTML and PDF into {@link dev.llmmesh.rag.ingest.SourceDocument}s, split them
 * by heading and by token count with overlap, embed the chunks (the in-jar all-MiniLM-L6-v2 by default) and store
 * them. Re-ingesting a changed document replaces its chunks; an unchanged one is skipped by content hash.
 */
@NullMarked
package dev.llmmesh.rag.ingest;

import org.jspecify.annotations.NullMarked;
