/**
 * The Google Gemini client: {@link dev.llmmesh.providers.gemini.GeminiClient} and its {@code provider: gemini} factory.
 */
@NullMarked
package dev.llmmesh.providers.gemini;

import org.jspecify.annotations.NullMarked;
