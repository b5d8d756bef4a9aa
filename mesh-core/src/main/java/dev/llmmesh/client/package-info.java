/**
 * The provider SPI: what a model adapter implements ({@link dev.llmmesh.client.LlmClient}) and the facts the
 * router needs about it ({@link dev.llmmesh.client.ModelDescriptor}). Payload types are langchain4j-core's
 * {@code ChatRequest} and {@code ChatResponse}; the mesh never re-models them.
 */
@NullMarked
package dev.llmmesh.client;

import org.jspecify.annotations.NullMarked;
