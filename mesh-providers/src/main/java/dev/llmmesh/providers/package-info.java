/**
 * LLM Mesh provider clients: {@link dev.llmmesh.client.LlmClient} implementations over langchain4j's provider
 * modules, one subpackage per provider ({@code openai}, …). Each classifies provider errors into the mesh's exception
 * hierarchy, never retries on its own, and keeps keys in headers sent to the configured host only.
 */
@NullMarked
package dev.llmmesh.providers;

import org.jspecify.annotations.NullMarked;
