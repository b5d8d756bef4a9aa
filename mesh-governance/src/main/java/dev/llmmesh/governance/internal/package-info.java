/** Implementation of governance: interceptors, route filter, built-in detectors. Not API; may change at any time. */
@NullMarked
package dev.llmmesh.governance.internal;

import org.jspecify.annotations.NullMarked;
