package dev.llmmesh.providers.internal;

import dev.llmmesh.net.HostRules;
import java.util.Objects;

/**
 * What {@link MeshHttpClient} enforces on every exchange of one deployment: where it may connect
 * ({@link HostRules}, the resolved address judged before every request) and how many bytes of an answer it reads.
 *
 * @param modelId          the deployment, for error messages
 * @param hostRules        the rules the base URL's host and every address it resolves to must pass
 * @param maxResponseBytes the most bytes of a successful answer (a whole JSON body, or a whole stream) read before
 *                         the call fails with a non-retryable error; error bodies are always cut at
 *                         {@link #MAX_ERROR_BODY_BYTES}
 */
public record HttpLimits(String modelId, HostRules hostRules, long maxResponseBytes) {
    /** The default cap of a successful answer: 8 MiB. */
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 8L * 1024 * 1024;
    /** The most bytes of an error body read; the rest is never read. */
    public static final int MAX_ERROR_BODY_BYTES = 64 * 1024;
    /** The limits of a call made outside a provider client (tests, embedding clients). */
    public static final HttpLimits DEFAULTS = new HttpLimits("", HostRules.localServersAllowed(),
            DEFAULT_MAX_RESPONSE_BYTES);

    public HttpLimits {
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(hostRules, "hostRules");
        if (maxResponseBytes < 1) {
            throw new IllegalArgumentException("maxResponseBytes must be positive, got " + maxResponseBytes);
        }
    }
}
