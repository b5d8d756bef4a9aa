/** Implementation details of the agents module. Not an API: other modules must not import this package. */
@NullMarked
package dev.llmmesh.agents.internal;

import org.jspecify.annotations.NullMarked;
