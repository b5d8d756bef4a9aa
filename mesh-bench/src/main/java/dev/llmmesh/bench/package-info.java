/**
 * JMH benchmarks of the mesh. Each benchmark class is a JMH {@code @State}; run them from the uber-jar that
 * {@code ./mvnw -pl mesh-bench package} builds ({@code java -jar mesh-bench/target/benchmarks.jar MeshOverhead}).
 * Figures and how to read them are in {@code docs/performance.md}. Benchmarks never run as unit tests; the tests of
 * this module only check that each benchmark's setup answers through the code path it measures.
 */
@NullMarked
package dev.llmmesh.bench;

import org.jspecify.annotations.NullMarked;
