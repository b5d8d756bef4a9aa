package dev.llmmesh.redis;

import dev.llmmesh.MeshBuilder;
import dev.llmmesh.config.ConfigNode;
import dev.llmmesh.config.MeshConfigurer;
import java.time.Duration;

/**
 * Reads the {@code state:} section of {@code mesh.yaml} and sets a {@link RedisStateStore} on the builder, before any
 * other section is applied (budgets and rate limits then count in Redis):
 * <pre>{@code
 * state:
 *   redis:
 *     uri: ${REDIS_URL}              # redis://[[user]:password@]host[:port][/db], or rediss:// for TLS
 *     password: ${REDIS_PASSWORD}    # optional, kept apart from the URI
 *     timeout: 50ms                  # per call, connecting included
 *     namespace: llmmesh             # instances with the same namespace share state (the keys' hash tag)
 *     connections: 1                 # multiplexed connections, 1..16
 *     breaker: {failures: 5, window: 10, openFor: 1s}
 * }</pre>
 * The URI and password are read as secrets: neither reaches an error message or a log. Registered through
 * {@link java.util.ServiceLoader}. Stateless.
 */
public final class RedisStateConfigurer implements MeshConfigurer {

    @Override
    public String section() {
        return "state";
    }

    @Override
    public void configure(ConfigNode section, MeshBuilder builder) {
        ConfigNode redis = section.optionalChild("redis").orElseThrow(() -> section.error("redis",
                "missing; the shared state store is Redis: state: {redis: {uri: ${REDIS_URL}}}"));
        RedisStateStore.Builder b;
        try {
            b = RedisStateStore.builder(redis.secret("uri").reveal());
            b.redisUri();
        } catch (IllegalArgumentException e) {
            throw redis.error("uri", e.getMessage());
        }
        redis.optionalSecret("password").ifPresent(b::password);
        Duration timeout = redis.duration("timeout", Duration.ofMillis(50));
        if (timeout.isZero()) {
            throw redis.error("timeout", "must be positive, e.g. 50ms");
        }
        b.timeout(timeout);
        try {
            b.namespace(redis.string("namespace", "llmmesh"));
        } catch (IllegalArgumentException e) {
            throw redis.error("namespace", e.getMessage());
        }
        int connections = redis.integer("connections", 1, 1);
        if (connections > 16) {
            throw redis.error("connections", "at most 16 (each is multiplexed), got " + connections);
        }
        b.connections(connections);
        redis.optionalChild("breaker").ifPresent(br -> {
            int failures = br.integer("failures", 5, 1);
            int window = br.integer("window", Math.max(10, failures), 1);
            if (window < failures) {
                throw br.error("window", "must be at least failures (" + failures + "), got " + window);
            }
            Duration openFor = br.duration("openFor", Duration.ofSeconds(1));
            if (openFor.isZero()) {
                throw br.error("openFor", "must be positive, e.g. 1s");
            }
            b.breaker(failures, window, openFor);
            br.requireNoUnknownKeys();
        });
        redis.requireNoUnknownKeys();
        section.requireNoUnknownKeys();
        builder.stateStore(b.build());
    }
}
