/**
 * The interceptor chain, after OkHttp 3.x. {@link dev.llmmesh.intercept.Interceptor}s registered as <em>call</em>
 * interceptors run once per logical call and may short-circuit or call {@code proceed} again (re-ask);
 * <em>attempt</em> interceptors run once per attempt on a chosen model and must call {@code proceed} exactly once.
 * Order is registration order. Interceptors modify; {@link dev.llmmesh.event.MeshListener}s observe.
 */
@NullMarked
package dev.llmmesh.intercept;

import org.jspecify.annotations.NullMarked;
