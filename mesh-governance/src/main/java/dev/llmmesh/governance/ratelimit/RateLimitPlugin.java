package dev.llmmesh.governance.ratelimit;

import dev.llmmesh.MeshBuilder;
import dev.llmmesh.MeshPlugin;
import dev.llmmesh.governance.internal.ratelimit.MinuteCounters;
import dev.llmmesh.governance.internal.ratelimit.ModelRateLimiter;
import dev.llmmesh.governance.internal.ratelimit.ScopeRateLimiter;
import java.util.Objects;

/**
 * Requests- and tokens-per-minute limits, as a {@link MeshPlugin}:
 * <pre>{@code
 * RateLimitPlugin limits = RateLimitPlugin.of(RateLimitConfig.builder()
 *     .limit(RateLimit.of(Scope.TEAM, 600, 100_000))          // each team: 600 RPM, 100k TPM
 *     .modelLimit(ModelRateLimit.of("gpt-4o", 500, 30_000))   // what we may send to one deployment
 *     .build());
 * Mesh mesh = Mesh.builder().addModel(model).install(limits).build();
 * }</pre>
 *
 * <p>Per-scope limits run as a call interceptor: a call without room fails with a
 * {@link RateLimitExceededException} naming the limit and when it resets, before any model is called. Per-model
 * limits run as an attempt interceptor on the model actually called: an attempt without room fails as rate limited and
 * the router falls back. Both use an atomic check-and-increment in the mesh's {@link dev.llmmesh.state.StateStore},
 * so the limit holds across threads and, with a shared store, across instances.
 *
 * <p>Thread-safe. Install once, on one builder, after the audit plugin.
 */
public final class RateLimitPlugin implements MeshPlugin {
    private final RateLimitConfig config;
    private boolean installed;

    private RateLimitPlugin(RateLimitConfig config) {
        this.config = config;
    }

    /** A plugin enforcing {@code config}. */
    public static RateLimitPlugin of(RateLimitConfig config) {
        return new RateLimitPlugin(Objects.requireNonNull(config, "config"));
    }

    /** The configuration. */
    public RateLimitConfig config() {
        return config;
    }

    /**
     * @throws IllegalStateException if this plugin was already installed
     */
    @Override
    public synchronized void install(MeshBuilder builder) {
        if (installed) {
            throw new IllegalStateException("this RateLimitPlugin is already installed on a mesh builder; "
                    + "create one plugin per mesh");
        }
        MinuteCounters counters = new MinuteCounters(builder.stateStore(), builder.clock(), config);
        if (!config.limits().isEmpty()) {
            builder.addCallInterceptor(new ScopeRateLimiter(config, counters));
        }
        if (!config.modelLimits().isEmpty()) {
            builder.addAttemptInterceptor(new ModelRateLimiter(config, counters));
        }
        installed = true;
    }

    @Override
    public String toString() {
        return "RateLimitPlugin" + config;
    }
}
