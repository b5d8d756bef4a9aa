/**
 * The OpenAI chat-completions client: {@link dev.llmmesh.providers.openai.OpenAiClient} for OpenAI and every
 * OpenAI-compatible server, and {@link dev.llmmesh.providers.openai.OpenAiClientFactory} for {@code provider: openai}
 * entries in {@code mesh.yaml}.
 */
@NullMarked
package dev.llmmesh.providers.openai;

import org.jspecify.annotations.NullMarked;
