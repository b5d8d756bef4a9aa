/**
 * Rate limits: requests per minute and tokens per minute, per scope (org, team, user, API key, agent run) and per
 * model, enforced with an atomic check-and-increment in the mesh's {@link dev.llmmesh.state.StateStore}. Install with
 * {@code Mesh.builder().install(RateLimitPlugin.of(config))} or the {@code rateLimits:} section of {@code mesh.yaml}.
 */
@NullMarked
package dev.llmmesh.governance.ratelimit;

import org.jspecify.annotations.NullMarked;
