/**
 * Implementation of the mesh. Not API: nothing here is stable, and no other module may import it (an ArchUnit test
 * checks).
 */
@NullMarked
package dev.llmmesh.internal;

import org.jspecify.annotations.NullMarked;
