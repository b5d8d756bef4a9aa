/** Implementation details of the RAG module; not an API, may change without notice. */
@NullMarked
package dev.llmmesh.rag.internal;

import org.jspecify.annotations.NullMarked;
