/**
 * The Ollama native-API client: {@link dev.llmmesh.providers.ollama.OllamaClient} its {@code provider: ollama} factory, and
 * {@link dev.llmmesh.providers.ollama.OllamaEmbeddingClient} for {@code /api/embed}.
 */
@NullMarked
package dev.llmmesh.providers.ollama;

import org.jspecify.annotations.NullMarked;
