/**
 * The Anthropic Messages client: {@link dev.llmmesh.providers.anthropic.AnthropicClient} and its {@code provider: anthropic} factory.
 */
@NullMarked
package dev.llmmesh.providers.anthropic;

import org.jspecify.annotations.NullMarked;
