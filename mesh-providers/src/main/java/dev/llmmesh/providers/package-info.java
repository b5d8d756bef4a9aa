/**
 * LLM Mesh provider clients: {@link dev.llmmesh.client.LlmClient} implementations for OpenAI and OpenAI-compatible
 * servers ({@code openai}), Azure OpenAI ({@code azure}), Anthropic ({@code anthropic}), Google Gemini
 * ({@code gemini}), Mistral ({@code mistral}) and Ollama ({@code ollama}), one subpackage each, each with a
 * {@link dev.llmmesh.client.LlmClientFactory} for {@code mesh.yaml}. {@link dev.llmmesh.providers.Providers} is the
 * one entry point to their builders; {@link dev.llmmesh.providers.PriceTable} is the built-in price and capability
 * table they default to; {@link dev.llmmesh.providers.ProviderTokenUsage} is usage normalised across providers.
 *
 * <p>Every client classifies provider errors into the mesh's exception hierarchy (with the provider's retry hint),
 * never retries on its own, keeps keys in headers sent to the configured host only, follows no redirects, and makes
 * exactly one HTTP request per call.
 */
@NullMarked
package dev.llmmesh.providers;

import org.jspecify.annotations.NullMarked;
