/**
 * Events of a call's life, delivered to {@link dev.llmmesh.event.MeshListener}s. Listeners observe and never
 * modify; their exceptions are caught and logged so that a broken listener cannot break a call.
 */
@NullMarked
package dev.llmmesh.event;

import org.jspecify.annotations.NullMarked;
