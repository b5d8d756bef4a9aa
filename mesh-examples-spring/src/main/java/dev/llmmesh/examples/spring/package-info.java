/**
 * A Spring Boot service answered through the mesh: {@code mesh-spring-boot-starter} builds the mesh from
 * {@code mesh.yaml}, {@link dev.llmmesh.examples.spring.AskController} answers {@code GET /ask} with the mesh and
 * {@code GET /ask-ai} with a Spring AI {@code ChatClient} over it, and Actuator shows health per model, the
 * {@code llmmesh} endpoint and the meters. Offline by default ({@link dev.llmmesh.examples.spring.SimulatedProviders}).
 */
@NullMarked
package dev.llmmesh.examples.spring;

import org.jspecify.annotations.NullMarked;
