/**
 * {@code mesh.yaml}: loading ({@link dev.llmmesh.config.MeshConfig}), a path-aware, read-tracking view of the
 * document ({@link dev.llmmesh.config.ConfigNode}) with {@code ${ENV_VAR}} substitution, and the SPIs through which
 * modules contribute their own top-level sections ({@link dev.llmmesh.config.MeshConfigurer}) and providers for
 * {@code models:} entries ({@link dev.llmmesh.client.LlmClientFactory}).
 *
 * <p>Every bad input fails with one {@link dev.llmmesh.config.MeshConfigException} whose message starts with the
 * path of the bad value ({@code models[2].pricing.input}), says what was expected and what was found, and ends with
 * the source line. Keys nobody reads are reported with a "did you mean" suggestion. Secrets never reach a message.
 * {@code docs/configuration.md} is the reference of every key core reads.
 */
@NullMarked
package dev.llmmesh.config;

import org.jspecify.annotations.NullMarked;
