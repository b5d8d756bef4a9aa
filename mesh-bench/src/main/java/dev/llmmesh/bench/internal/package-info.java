/**
 * Fixtures shared by the benchmarks: an in-process zero-latency {@link dev.llmmesh.client.LlmClient}, the model set
 * and the requests. Not an API; other modules must not use it.
 */
@NullMarked
package dev.llmmesh.bench.internal;

import org.jspecify.annotations.NullMarked;
