package dev.llmmesh.providers;

import dev.llmmesh.Secret;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.client.Pricing;
import dev.llmmesh.net.HostRules;
import dev.llmmesh.providers.internal.BaseUrls;
import dev.llmmesh.providers.internal.HttpLimits;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The settings every provider client's builder shares: where the server is, the key, the timeout, the clock, the price
 * and langchain4j's request/response logging. Every setter validates at once. Not thread-safe; a builder builds one
 * client.
 *
 * <p>Defaults: the provider's public base URL (Azure has none: set it), no key, timeout {@link #DEFAULT_TIMEOUT}, the system UTC clock, the
 * built-in {@link PriceTable}'s price for the model (none when it is not listed), logging off.
 *
 * @param <B> the concrete builder
 */
public abstract class ProviderClientBuilder<B extends ProviderClientBuilder<B>> {
    /** The per-request timeout when none is configured. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    /** The most bytes of a successful answer read when none is configured: 8 MiB. */
    public static final long DEFAULT_MAX_RESPONSE_BYTES = HttpLimits.DEFAULT_MAX_RESPONSE_BYTES;

    private ModelDescriptor descriptor;
    private @Nullable URI baseUrl;
    private @Nullable Secret apiKey;
    private Duration timeout = DEFAULT_TIMEOUT;
    private Clock clock = Clock.systemUTC();
    private boolean logRequests;
    private boolean logResponses;
    private HostRules hostRules = HostRules.localServersAllowed();
    private long maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;

    /**
     * @param descriptor     the deployment
     * @param defaultBaseUrl the provider's public endpoint; {@code null} when there is none (Azure: every resource has
     *                       its own), which makes {@link #baseUrl(URI)} required
     */
    protected ProviderClientBuilder(ModelDescriptor descriptor, @Nullable URI defaultBaseUrl) {
        this.descriptor = Objects.requireNonNull(descriptor, "descriptor");
        this.baseUrl = defaultBaseUrl;
    }

    /** This builder, typed. */
    protected abstract B self();

    /**
     * The server's base URL.
     *
     * @throws IllegalArgumentException if it is not http(s), has no host, carries credentials, a query or a fragment,
     *                                  or points at a link-local/metadata or oddly spelled numeric host
     */
    public B baseUrl(URI baseUrl) {
        this.baseUrl = BaseUrls.validate("baseUrl", baseUrl);
        return self();
    }

    /**
     * As {@link #baseUrl(URI)}, parsing {@code baseUrl}.
     *
     * @throws IllegalArgumentException if it is not a valid URL or fails the checks of {@link #baseUrl(URI)}
     */
    public B baseUrl(String baseUrl) {
        this.baseUrl = BaseUrls.validate("baseUrl", baseUrl);
        return self();
    }

    /** The API key, sent in the provider's header to the base URL's origin only. Omit it for keyless servers. */
    public B apiKey(Secret apiKey) {
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        return self();
    }

    /**
     * The connect and response timeout of each request (the mesh may pass a shorter one per call, from its deadline).
     *
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public B timeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        this.timeout = timeout;
        return self();
    }

    /** The clock {@code Retry-After} HTTP dates are measured against. */
    public B clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return self();
    }

    /** The price of this deployment, instead of the built-in table's. */
    public B pricing(Pricing pricing) {
        this.descriptor = descriptor.toBuilder().pricing(Objects.requireNonNull(pricing, "pricing")).build();
        return self();
    }

    /**
     * Turns langchain4j's request logging on (at its logger's level). The key is never in what it logs: langchain4j
     * only ever holds a placeholder, the mesh's HTTP client adds the real key.
     */
    public B logRequests(boolean on) {
        this.logRequests = on;
        return self();
    }

    /** Turns langchain4j's response logging on (at its logger's level). */
    public B logResponses(boolean on) {
        this.logResponses = on;
        return self();
    }

    /**
     * The rules the base URL's host must pass, judged again on every address it resolves to before every request
     * (default {@link HostRules#localServersAllowed()}: public, private and loopback servers; cloud metadata addresses
     * never). Pass {@link HostRules#publicOnly()} for a cloud provider, or rules with a custom
     * {@link HostRules.Resolver}.
     */
    public B hostRules(HostRules rules) {
        this.hostRules = Objects.requireNonNull(rules, "rules");
        return self();
    }

    /**
     * The most bytes of a successful answer (a JSON body or a whole stream) the client reads; a longer answer fails
     * with a non-retryable {@link dev.llmmesh.ErrorKind#MALFORMED_RESPONSE} error naming the cap, and is not retried.
     * Default {@link #DEFAULT_MAX_RESPONSE_BYTES} (8 MiB). Error bodies are always read up to 64 KiB only.
     *
     * @throws IllegalArgumentException if {@code bytes} is below 1 KiB
     */
    public B maxResponseBytes(long bytes) {
        if (bytes < 1024) {
            throw new IllegalArgumentException("maxResponseBytes must be at least 1024, got " + bytes);
        }
        this.maxResponseBytes = bytes;
        return self();
    }

    /** The deployment as configured so far. */
    protected ModelDescriptor descriptor() {
        return descriptor;
    }

    /**
     * What the builder holds, for the concrete builder's {@code build()}.
     *
     * @throws IllegalStateException if the provider has no default base URL and none was set
     */
    protected Settings settings() {
        if (baseUrl == null) {
            throw new IllegalStateException(descriptor.id() + ": baseUrl is required for provider "
                    + descriptor.provider() + "; set it to your resource's endpoint, e.g. "
                    + "https://my-resource.openai.azure.com");
        }
        return new Settings(descriptor, baseUrl, Optional.ofNullable(apiKey), timeout, clock, logRequests,
                logResponses, hostRules, maxResponseBytes);
    }

    /**
     * The shared settings of a client, as built. Its {@code toString} masks the key (a {@link Secret} prints
     * {@code ***}).
     *
     * @param descriptor   the deployment
     * @param baseUrl      the validated base URL
     * @param apiKey       the key, if any
     * @param timeout      the per-request timeout
     * @param clock        what {@code Retry-After} dates are measured against
     * @param logRequests  langchain4j request logging
     * @param logResponses langchain4j response logging
     * @param hostRules    the rules every address of the base URL's host must pass
     * @param maxResponseBytes the cap of a successful answer
     */
    public record Settings(ModelDescriptor descriptor, URI baseUrl, Optional<Secret> apiKey, Duration timeout,
                           Clock clock, boolean logRequests, boolean logResponses, HostRules hostRules,
                           long maxResponseBytes) {
        public Settings {
            Objects.requireNonNull(hostRules, "hostRules");
            Objects.requireNonNull(descriptor, "descriptor");
            Objects.requireNonNull(baseUrl, "baseUrl");
            Objects.requireNonNull(apiKey, "apiKey");
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(clock, "clock");
        }
    }
}
