package dev.llmmesh.internal;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmmesh.CallContext;
import dev.llmmesh.ContextLengthExceededException;
import dev.llmmesh.MeshException;
import dev.llmmesh.NonRetryableException;
import dev.llmmesh.RetryableException;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.routing.RouterConfig;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The state of one call's walk down its plan. Used by the call's own thread only. */
final class Walk {
    final Set<String> tried = new HashSet<>();
    final Set<String> excluded = new HashSet<>();
    @Nullable MeshException last;
    @Nullable String lastModel;
    int contextFloor = -1;
    int made;
    int retries;
    /** The smallest Retry-After hint any failed attempt of the call carried. */
    java.time.@Nullable Duration shortestRetryAfter;
    /** Whether every failure so far was a configuration one (a rejected key, an unknown model or deployment). */
    boolean onlyConfigurationFailures = true;

    /** What one attempt came to. Exactly one of the three is set. */
    record Outcome(@Nullable ChatResponse response, @Nullable MeshException error, @Nullable String skipped) {
        static Outcome ok(ChatResponse r) {
            return new Outcome(r, null, null);
        }

        static Outcome failed(MeshException e) {
            return new Outcome(null, e, null);
        }

        static Outcome skip(String why) {
            return new Outcome(null, null, why);
        }
    }

    /** The attempt cap of a call: the mesh's, lowered by the call's own. */
    static int maxAttempts(RouterConfig config, CallContext context) {
        return Math.min(config.maxAttempts(), context.maxAttempts().orElse(Integer.MAX_VALUE));
    }

    /**
     * Decides whether the walk goes on after a failure; throws when it must not. Non-retryable errors end the call,
     * except auth/not-found (the deployment is broken: move on) and context-length (only larger windows are tried).
     */
    void failed(MeshException e, String id, ModelDescriptor model, @Nullable StreamSink sink) {
        last = e;
        lastModel = id;
        e.retryAfter().ifPresent(d -> {
            if (shortestRetryAfter == null || d.compareTo(shortestRetryAfter) < 0) {
                shortestRetryAfter = d;
            }
        });
        if (!(e instanceof NonRetryableException n && n.deploymentBroken())) {
            onlyConfigurationFailures = false;
        }
        if (sink != null && sink.committed()) {
            throw e; // content reached the caller: never replayed
        }
        if (e instanceof ContextLengthExceededException) {
            contextFloor = Math.max(contextFloor, model.contextWindow());
            excluded.add(id);
        } else if (e instanceof NonRetryableException n && n.deploymentBroken()) {
            excluded.add(id); // no retries on a broken deployment; another deployment may work
        } else if (!(e instanceof RetryableException)) {
            throw e; // bad request, content policy, quota, policy, budget, truncated stream: no fallback
        }
    }

    /** The next model: untried ones in plan order first, then models to retry. Null when none is left. */
    @Nullable String next(List<String> plan) {
        for (String id : plan) {
            if (!excluded.contains(id) && !tried.contains(id)) {
                return id;
            }
        }
        for (String id : plan) {
            if (!excluded.contains(id)) {
                return id;
            }
        }
        return null;
    }
}
