/**
 * {@code mesh.yaml}: loading, {@code ${ENV_VAR}} substitution, validation with errors that name the path and the
 * fix, and the SPIs through which modules contribute their own sections
 * ({@link dev.llmmesh.config.MeshConfigurer}) and providers ({@link dev.llmmesh.client.LlmClientFactory}).
 */
@NullMarked
package dev.llmmesh.config;

import org.jspecify.annotations.NullMarked;
