/**
 * The OpenAI chat-completions client: {@link dev.llmmesh.providers.openai.OpenAiClient} for OpenAI and every
 * OpenAI-compatible server, {@link dev.llmmesh.providers.openai.OpenAiClientFactory} for {@code provider: openai}
 * entries in {@code mesh.yaml}, and {@link dev.llmmesh.providers.openai.OpenAiEmbeddingClient} for embeddings.
 */
@NullMarked
package dev.llmmesh.providers.openai;

import org.jspecify.annotations.NullMarked;
