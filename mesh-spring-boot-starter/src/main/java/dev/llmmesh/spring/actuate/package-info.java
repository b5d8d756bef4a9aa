/**
 * Spring Boot Actuator support: a health indicator per model ({@code /actuator/health/llmmesh/<model>}) and the
 * {@code llmmesh} endpoint with the catalog, recent routing decisions and spend per team. Active when Actuator is on
 * the class path.
 */
@NullMarked
package dev.llmmesh.spring.actuate;

import org.jspecify.annotations.NullMarked;
