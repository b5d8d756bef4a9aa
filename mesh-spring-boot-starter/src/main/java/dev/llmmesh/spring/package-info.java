/**
 * Spring Boot auto-configuration for LLM Mesh: one {@link dev.llmmesh.Mesh} bean built from {@code mesh.yaml}
 * ({@code llmmesh.config-location}) or from {@code llmmesh.*} properties with the same keys, the langchain4j
 * {@code ChatModel}/{@code StreamingChatModel} facades as beans, meters and observations on the application's
 * registries, a drain on shutdown through the application lifecycle, and (in {@code actuate} and {@code ai}) an
 * Actuator health indicator and endpoint and a Spring AI {@code ChatModel}.
 */
@NullMarked
package dev.llmmesh.spring;

import org.jspecify.annotations.NullMarked;
