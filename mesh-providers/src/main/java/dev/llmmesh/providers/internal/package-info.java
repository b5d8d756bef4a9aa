/**
 * Implementation details of the provider clients: the HTTP client under langchain4j, error classification, base URL
 * validation, usage normalisation, the Ollama wire protocol and the built-in table's defaults. Not API: other modules
 * must not use this package, and it may change in any release.
 */
@NullMarked
package dev.llmmesh.providers.internal;

import org.jspecify.annotations.NullMarked;
