/**
 * LLM Mesh: one governed, resilient resource over many large language models, in-process.
 *
 * <p>Build a {@link dev.llmmesh.Mesh} with {@link dev.llmmesh.Mesh#builder()} (or from {@code mesh.yaml} with
 * {@link dev.llmmesh.config.MeshConfig}), register {@link dev.llmmesh.client.LlmClient}s, and call
 * {@link dev.llmmesh.Mesh#chat(dev.langchain4j.model.chat.request.ChatRequest, CallContext)}. Every call is routed
 * over the registered models, passes the interceptor chain, falls back on retryable errors, is measured and
 * comes back as a {@link dev.llmmesh.MeshResponse} that explains the routing decision.
 *
 * <p>All errors are unchecked and extend {@link dev.llmmesh.MeshException}; the subclass says what the caller should
 * do. No method of this package accepts or returns {@code null} unless it says so.
 */
@NullMarked
package dev.llmmesh;

import org.jspecify.annotations.NullMarked;
