/**
 * Metric and span names. Meters follow the OpenTelemetry GenAI semantic conventions
 * ({@code gen_ai.client.operation.duration}, {@code gen_ai.client.token.usage}); mesh-specific meters use the
 * {@code mesh.} prefix. The mesh takes a Micrometer {@code MeterRegistry} and {@code ObservationRegistry} as
 * parameters and never uses a global registry.
 */
@NullMarked
package dev.llmmesh.observation;

import org.jspecify.annotations.NullMarked;
