/**
 * The mesh as a Spring AI {@code ChatModel} (and {@code StreamingChatModel}), so {@code ChatClient} code, advisors and
 * tools route through it: {@link dev.llmmesh.spring.ai.MeshSpringAiChatModel}; the caller's team and user from
 * advisor parameters through {@link dev.llmmesh.spring.ai.MeshContextAdvisor}; the routing decision in every
 * {@code ChatResponse}'s metadata ({@link dev.llmmesh.spring.ai.MeshSpringAi}). Active when Spring AI is on the class
 * path.
 */
@NullMarked
package dev.llmmesh.spring.ai;

import org.jspecify.annotations.NullMarked;
