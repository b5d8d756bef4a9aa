/** Implementation of rate limits: per-scope and per-model check-and-increment interceptors. Not API. */
@NullMarked
package dev.llmmesh.governance.internal.ratelimit;

import org.jspecify.annotations.NullMarked;
