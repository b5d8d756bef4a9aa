/**
 * Shared state for a fleet of mesh instances on Redis: {@link dev.llmmesh.redis.RedisStateStore} (every operation
 * one Lua script, bounded calls, a breaker, cluster-safe keys, loss detected and reseeded) and the {@code state:}
 * section of {@code mesh.yaml} ({@link dev.llmmesh.redis.RedisStateConfigurer}).
 */
@NullMarked
package dev.llmmesh.redis;

import org.jspecify.annotations.NullMarked;
