/**
 * The Azure OpenAI client: {@link dev.llmmesh.providers.azure.AzureOpenAiClient} and its {@code provider: azure} factory.
 */
@NullMarked
package dev.llmmesh.providers.azure;

import org.jspecify.annotations.NullMarked;
