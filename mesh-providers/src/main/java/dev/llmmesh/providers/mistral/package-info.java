/**
 * The Mistral client: {@link dev.llmmesh.providers.mistral.MistralClient} and its {@code provider: mistral} factory.
 */
@NullMarked
package dev.llmmesh.providers.mistral;

import org.jspecify.annotations.NullMarked;
