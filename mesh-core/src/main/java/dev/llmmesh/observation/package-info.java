/**
 * Metric and span names. Meters follow the OpenTelemetry GenAI semantic conventions
 * under their current names ({@code gen_ai.client.inference.duration}, {@code gen_ai.client.inference.usage.*}; the
older names only with the legacy switch, see {@link dev.llmmesh.observation.MeshMetricNames}); mesh-specific meters use the
 * {@code mesh.} prefix. The mesh takes a Micrometer {@code MeterRegistry} and {@code ObservationRegistry} as
 * parameters and never uses a global registry.
 */
@NullMarked
package dev.llmmesh.observation;

import org.jspecify.annotations.NullMarked;
