package dev.llmmesh.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventContext;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import dev.llmmesh.ErrorKind;
import dev.llmmesh.MeshInternalException;
import dev.llmmesh.NonRetryableException;
import dev.llmmesh.Secret;
import dev.llmmesh.SecretMask;
import dev.llmmesh.net.HostRefusedException;
import dev.llmmesh.net.HostRules;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The langchain4j {@link HttpClient} the mesh's provider clients run on, over the JDK's {@link java.net.http.HttpClient}.
 * Compared with langchain4j's own JDK client it:
 * <ul>
 *   <li>throws {@link ProviderHttpException} (status, headers, body) for error answers, so Retry-After, request ids and
 *       error envelopes survive langchain4j's exception mapping;</li>
 *   <li>adds the API key itself, in the provider's header ({@link AuthHeader}), only on requests to the configured base
 *       URL's origin, and drops any credential header langchain4j set (langchain4j, and its request logging, only ever
 *       hold a placeholder); requests to another origin, and URLs carrying a key-like query parameter, are
 *       refused;</li>
 *   <li>never follows redirects;</li>
 *   <li>runs a blocking exchange on the caller's thread ({@code send}, no hop to another thread) and bounds it as a
 *       whole by the call's {@link ProviderCall#timeout()}: the request timeout bounds the wait for the headers, the
 *       body handler the rest (the JDK's request timeout ends with the headers);</li>
 *   <li>speaks HTTP/1.1 to plain-HTTP base URLs (no {@code Upgrade: h2c}, which some servers answer with an
 *       error);</li>
 *   <li>reads at most 64 KiB of an error body (the rest is never read) and at most the call's
 *       {@link HttpLimits#maxResponseBytes()} of a successful body or stream: a longer answer fails with
 *       {@link ErrorKind#RESPONSE_TOO_LARGE}, not retried;</li>
 *   <li>judges the base URL's host and every address it resolves to by the call's {@link HostRules} before every
 *       request, and over plain HTTP connects to the judged address itself (no second lookup);</li>
 *   <li>reports an {@code {"error":...}} object inside a 200 stream (OpenAI, Anthropic's {@code event: error}, an Ollama
 *       error line) as an error, and never reports a clean end after an error;</li>
 *   <li>honours the {@link ProviderCall}: a cancelled stream aborts its HTTP exchange; successful bodies and stream
 *       events reach its tap; the end of the transport is reported to it after the parser's callbacks.</li>
 * </ul>
 * Every response header value, error body (fragments of a key too), successful body and stream event (whole keys, in
 * any case: fragment masking would garble answers) passes {@link SecretMask} before anything (langchain4j's
 * parser and response logging, error classification, the tap) sees it, so a key the upstream echoes, in any letter
 * case, goes no further. It logs, at DEBUG, the method, the origin and path, the status and the time taken: never headers, queries, bodies or
 * keys. Thread-safe; one instance serves concurrent requests.
 */
public final class MeshHttpClient implements HttpClient {
    private static final Logger LOG = LoggerFactory.getLogger(MeshHttpClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ERROR_BODY = HttpLimits.MAX_ERROR_BODY_BYTES;
    /** Headers the JDK client sets itself or refuses, and every credential header (the client adds its own). */
    private static final Set<String> SKIPPED_HEADERS = Set.of("authorization", "proxy-authorization", "api-key",
            "x-api-key", "x-goog-api-key", "cookie", "content-length", "host", "connection", "expect", "upgrade");
    /** Query parameters that would carry a key in the URL (where proxies and access logs keep it). */
    private static final Pattern KEY_QUERY = Pattern.compile("(^|&)(key|api_key|api-key|apikey|access_token|token)=",
            Pattern.CASE_INSENSITIVE);

    /** The JDK client; {@code null} once released (see {@link #release()}). */
    private volatile java.net.http.@Nullable HttpClient jdk;
    private final @Nullable Duration readTimeout;
    private final String origin;
    private final @Nullable Secret apiKey;
    private final AuthHeader auth;
    private final UnaryOperator<String> bodyFilter;
    private final @Nullable PinnedAddress pin;

    private MeshHttpClient(Builder b) {
        java.net.http.HttpClient.Builder jb = java.net.http.HttpClient.newBuilder()
                .followRedirects(java.net.http.HttpClient.Redirect.NEVER)
                .executor(b.executor);
        if ("http".equalsIgnoreCase(b.baseUrl.getScheme())) {
            jb.version(java.net.http.HttpClient.Version.HTTP_1_1); // no h2c upgrade dance with local servers
            if (HostRules.literal(b.baseUrl.getHost()).isEmpty()) {
                // a host name over plain HTTP: connect to the vetted address, never to a second lookup
                this.pin = new PinnedAddress();
                jb.proxy(pin);
            } else {
                this.pin = null;
            }
        } else {
            this.pin = null;
        }
        if (b.connectTimeout != null) {
            jb.connectTimeout(b.connectTimeout);
        }
        this.jdk = jb.build();
        if (b.executor instanceof IoPool pool) {
            pool.onShutdown(this::release);
        }
        this.readTimeout = b.readTimeout;
        this.origin = BaseUrls.origin(b.baseUrl);
        this.apiKey = b.apiKey;
        this.auth = b.auth;
        this.bodyFilter = b.bodyFilter;
    }

    private java.net.http.HttpClient jdk() {
        java.net.http.HttpClient c = jdk;
        if (c == null) {
            throw new MeshInternalException(ErrorKind.SHUTDOWN, "the HTTP client is closed", null);
        }
        return c;
    }

    /**
     * Lets go of the JDK client, so its selector thread and idle connections end: at once on Java 21 and later
     * ({@code shutdownNow}), after the next garbage collection on Java 17 (the JDK ends a client's selector thread
     * once nothing references the client). Requests after this fail. Idempotent.
     */
    void release() {
        java.net.http.HttpClient c = jdk;
        jdk = null;
        if (c != null) {
            try {
                java.net.http.HttpClient.class.getMethod("shutdownNow").invoke(c);
            } catch (ReflectiveOperationException | RuntimeException notOnThisJdk) {
                // Java 17: dropping the reference is what ends it
            }
        }
    }

    /**
     * A builder for a client that talks to {@code baseUrl}'s origin only.
     *
     * @param baseUrl  a URL already checked by {@link BaseUrls#validate(String, URI)}
     * @param apiKey   sent in {@code auth}'s header when present
     * @param auth     how the provider expects the key
     * @param executor runs the JDK client's I/O and stream parsing
     */
    public static Builder builder(URI baseUrl, Optional<Secret> apiKey, AuthHeader auth, Executor executor) {
        return new Builder(baseUrl, apiKey.orElse(null), auth, executor);
    }

    /** As {@link #builder(URI, Optional, AuthHeader, Executor)} with {@code Authorization: Bearer}. */
    public static Builder builder(URI baseUrl, Optional<Secret> apiKey, Executor executor) {
        return builder(baseUrl, apiKey, AuthHeader.BEARER, executor);
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        ProviderCall call = ProviderCall.current();
        HttpLimits limits = call == null ? HttpLimits.DEFAULTS : call.limits();
        Duration bound = bound(call);
        java.net.http.HttpRequest jdkRequest = toJdk(request, bound);
        vet(jdkRequest.uri(), limits);
        long start = System.nanoTime();
        HttpResponse<byte[]> response;
        try {
            // on the caller's thread: the request timeout bounds the wait for the headers, the body handler the rest
            response = jdk().send(jdkRequest, BoundedBodies.handler(limits.maxResponseBytes(), MAX_ERROR_BODY,
                    bound == null ? null : start + bound.toNanos()));
        } catch (HttpTimeoutException e) {
            log(jdkRequest, "timed out", start);
            throw new TimeoutException("no complete answer within " + bound, e);
        } catch (IOException e) {
            if (ProviderErrors.find(e, java.util.concurrent.TimeoutException.class) != null) {
                log(jdkRequest, "timed out", start);
                throw new TimeoutException("no complete answer within " + bound, e);
            }
            log(jdkRequest, "failed", start);
            throw transportError(e, limits);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the JDK client cancelled the exchange
            throw new MeshInternalException(ErrorKind.CANCELLED, "interrupted while waiting for the provider", e);
        }
        log(jdkRequest, String.valueOf(response.statusCode()), start);
        if (!successful(response.statusCode())) {
            throw new ProviderHttpException(response.statusCode(), masked(response.headers()),
                    SecretMask.mask(bounded(response.body())));
        }
        String body = bodyFilter.apply(SecretMask.maskWhole(new String(response.body(), StandardCharsets.UTF_8)));
        if (call != null) {
            call.responded(true);
            call.seen(body);
        }
        return SuccessfulHttpResponse.builder()
                .statusCode(response.statusCode())
                .headers(masked(response.headers()))
                .body(body)
                .build();
    }

    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        ProviderCall call = ProviderCall.current();
        HttpLimits limits = call == null ? HttpLimits.DEFAULTS : call.limits();
        java.net.http.HttpRequest jdkRequest = toJdk(request, readTimeout);
        vet(jdkRequest.uri(), limits);
        long start = System.nanoTime();
        CompletableFuture<HttpResponse<InputStream>> exchange =
                jdk().sendAsync(jdkRequest, HttpResponse.BodyHandlers.ofInputStream());
        if (call != null) {
            call.exchange(exchange);
        }
        exchange.whenComplete((response, error) -> {
            if (error != null) {
                log(jdkRequest, "failed", start);
                RuntimeException mapped = transportError(error, limits);
                safely(() -> listener.onError(mapped));
                ended(call, mapped);
                return;
            }
            log(jdkRequest, String.valueOf(response.statusCode()), start);
            if (!successful(response.statusCode())) {
                ProviderHttpException failure = new ProviderHttpException(response.statusCode(),
                        masked(response.headers()), SecretMask.mask(readBounded(response.body())));
                safely(() -> listener.onError(failure));
                ended(call, failure);
                return;
            }
            InputStream in = new BoundedBodies.CappedStream(response.body(), limits.maxResponseBytes());
            if (call != null) {
                call.responded(true);
                call.body(in);
            }
            GuardedListener guarded = new GuardedListener(listener, response.headers(), call, limits);
            safely(() -> listener.onOpen(SuccessfulHttpResponse.builder()
                    .statusCode(response.statusCode())
                    .headers(masked(response.headers()))
                    .build()));
            try (in) {
                parser.parse(in, guarded);
            } catch (IOException | RuntimeException e) {
                guarded.onError(e);
            }
            guarded.finish();
            ended(call, guarded.failure);
        });
    }

    private static void ended(@Nullable ProviderCall call, @Nullable Throwable error) {
        if (call != null) {
            try {
                call.ended(error);
            } catch (RuntimeException e) {
                // the provider client's own bookkeeping; never breaks the I/O thread
            }
        }
    }

    private @Nullable Duration bound(@Nullable ProviderCall call) {
        Duration callBound = call == null ? null : call.timeout().orElse(null);
        if (callBound == null) {
            return readTimeout;
        }
        return readTimeout == null || callBound.compareTo(readTimeout) < 0 ? callBound : readTimeout;
    }

    private java.net.http.HttpRequest toJdk(HttpRequest request, @Nullable Duration timeout) {
        URI uri = URI.create(request.url());
        if (!BaseUrls.origin(uri).equals(origin)) {
            // langchain4j builds URLs from the configured base URL; anything else must not get the key
            throw new IllegalStateException("refusing a request outside the configured base URL's origin " + origin);
        }
        if (uri.getRawQuery() != null && KEY_QUERY.matcher(uri.getRawQuery()).find()) {
            throw new IllegalStateException("refusing a request that carries a key in its URL; keys travel in headers");
        }
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(uri);
        request.headers().forEach((name, values) -> {
            if (name != null && values != null && !SKIPPED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> b.header(name, v));
            }
        });
        if (apiKey != null) {
            b.header(auth.name(), auth.prefix() + apiKey.reveal());
        }
        String body = request.body();
        b.method(request.method().name(), body == null
                ? java.net.http.HttpRequest.BodyPublishers.noBody()
                : java.net.http.HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (timeout != null) {
            b.timeout(timeout);
        }
        return b.build();
    }

    private static void log(java.net.http.HttpRequest request, String outcome, long startNanos) {
        if (LOG.isDebugEnabled()) {
            URI u = request.uri();
            LOG.debug("{} {}://{}{} -> {} in {} ms", request.method(), u.getScheme(), u.getRawAuthority(),
                    u.getRawPath(), outcome, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        }
    }

    /**
     * Judges the request's host and every address it resolves to by the call's host rules; over plain HTTP, pins the
     * connection to a vetted address (the JDK client then connects to it without a lookup of its own). Over HTTPS the
     * JDK client looks the name up itself: the JVM's address cache answers it with the addresses just judged, and the
     * certificate must match the name.
     *
     * @throws NonRetryableException ({@link ErrorKind#BAD_REQUEST}) naming the host and the reason
     */
    private void vet(URI uri, HttpLimits limits) {
        List<InetAddress> addresses;
        try {
            addresses = limits.hostRules().resolve(uri.getHost());
        } catch (HostRefusedException e) {
            String model = limits.modelId().isEmpty() ? "" : limits.modelId() + ": ";
            throw new NonRetryableException(ErrorKind.BAD_REQUEST, model + "base URL " + e.getMessage()
                    + "; the mesh never connects there", limits.modelId().isEmpty() ? null : limits.modelId(), null);
        }
        if (pin != null) {
            int port = uri.getPort() >= 0 ? uri.getPort() : 80;
            pin.set(new InetSocketAddress(addresses.get(0), port));
        }
    }

    private static RuntimeException transportError(Throwable error, HttpLimits limits) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        BoundedBodies.TooLarge tooLarge = ProviderErrors.find(t, BoundedBodies.TooLarge.class);
        if (tooLarge != null) {
            return tooLarge(tooLarge, limits);
        }
        if (t instanceof HttpTimeoutException) {
            return new TimeoutException("no answer within the timeout", t);
        }
        if (t instanceof IOException io) {
            return new UncheckedIOException("HTTP exchange failed: " + io.getClass().getSimpleName(), io);
        }
        if (t instanceof CancellationException) {
            return new MeshInternalException(ErrorKind.CANCELLED, "the exchange was cancelled", t);
        }
        return t instanceof RuntimeException r ? r : new UncheckedIOException(new IOException(t));
    }

    static NonRetryableException tooLarge(BoundedBodies.TooLarge e, HttpLimits limits) {
        String model = limits.modelId().isEmpty() ? "" : limits.modelId() + ": ";
        return new NonRetryableException(ErrorKind.RESPONSE_TOO_LARGE, model + "the answer is larger than the cap of "
                + e.cap() + " bytes (maxResponseBytes); reading stopped there and the answer was dropped",
                limits.modelId().isEmpty() ? null : limits.modelId(), null);
    }

    /** The headers with every registered secret masked in their values (an upstream may echo the key). */
    private static Map<String, List<String>> masked(HttpHeaders headers) {
        Map<String, List<String>> out = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.map().forEach((name, values) -> out.put(name, values.stream().map(SecretMask::mask).toList()));
        return out;
    }

    /**
     * The event with every registered secret masked in its data (whole occurrences, any case: the data is the
     * answer's content) and event name.
     */
    private static ServerSentEvent masked(ServerSentEvent event) {
        String data = SecretMask.maskWhole(event.data());
        String name = SecretMask.mask(event.event());
        return java.util.Objects.equals(data, event.data()) && java.util.Objects.equals(name, event.event()) ? event
                : new ServerSentEvent(name, data);
    }

    private static boolean successful(int status) {
        return status >= 200 && status < 300;
    }

    private static String bounded(byte[] body) {
        return new String(body, 0, Math.min(body.length, MAX_ERROR_BODY), StandardCharsets.UTF_8);
    }

    private static String readBounded(InputStream body) {
        try (InputStream in = body) {
            return new String(in.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            // a listener failure must not break the I/O thread; langchain4j's clients ignore these too
        }
    }

    /** Whether {@code data} is a JSON object with a top-level {@code error} (and is not an OpenAI chunk). */
    static boolean isErrorObject(@Nullable String data) {
        if (data == null) {
            return false;
        }
        String d = data.strip();
        if (!d.startsWith("{") || !d.contains("\"error\"")) {
            return false;
        }
        try {
            JsonNode node = JSON.readTree(d);
            return node.has("error") && !node.get("error").isNull() && !node.has("choices")
                    && !node.has("candidates");
        } catch (IOException e) {
            return false; // not JSON at all: the chat model reports the parse failure
        }
    }

    /**
     * Passes events through until the first error (transport error or an error object in the stream); after that,
     * nothing, and no {@code onClose}.
     */
    private static final class GuardedListener implements ServerSentEventListener {
        private final ServerSentEventListener delegate;
        private final Map<String, List<String>> headers;
        private final @Nullable ProviderCall call;
        private final HttpLimits limits;
        private final AtomicBoolean failed = new AtomicBoolean();
        private volatile @Nullable Throwable failure;

        GuardedListener(ServerSentEventListener delegate, HttpHeaders headers, @Nullable ProviderCall call,
                        HttpLimits limits) {
            this.delegate = delegate;
            this.headers = masked(headers);
            this.call = call;
            this.limits = limits;
        }

        @Override
        public void onOpen(SuccessfulHttpResponse response) {
            // opened by the client itself
        }

        @Override
        public void onEvent(ServerSentEvent raw, ServerSentEventContext context) {
            if (failed.get()) {
                return;
            }
            ServerSentEvent event = masked(raw);
            if (isErrorObject(event.data())) {
                onError(new ProviderHttpException(200, headers, event.data()));
                safely(() -> context.parsingHandle().cancel());
                return;
            }
            if (call != null && event.data() != null) {
                call.seen(event.data());
            }
            delegate.onEvent(event, context);
        }

        @Override
        public void onEvent(ServerSentEvent raw) {
            if (failed.get()) {
                return;
            }
            ServerSentEvent event = masked(raw);
            if (isErrorObject(event.data())) {
                onError(new ProviderHttpException(200, headers, event.data()));
                return;
            }
            if (call != null && event.data() != null) {
                call.seen(event.data());
            }
            delegate.onEvent(event);
        }

        @Override
        public void onError(Throwable error) {
            if (failed.compareAndSet(false, true)) {
                BoundedBodies.TooLarge tooLarge = ProviderErrors.find(error, BoundedBodies.TooLarge.class);
                Throwable mapped = tooLarge != null ? tooLarge(tooLarge, limits) : error instanceof IOException io
                        ? new UncheckedIOException("stream read failed: " + io.getClass().getSimpleName(), io) : error;
                failure = mapped;
                safely(() -> delegate.onError(mapped));
            }
        }

        void finish() {
            if (!failed.get()) {
                safely(delegate::onClose);
            }
        }
    }

    /**
     * Makes the JDK client connect to the address {@link #vet} judged, for plain-HTTP base URLs named by host name:
     * the request goes to that address in absolute form ({@code GET http://host:port/path}, which every HTTP/1.1
     * server accepts, RFC 9112 section 3.2.2) with its {@code Host} header unchanged, and the JDK never resolves the
     * name itself. Every address ever set passed the host rules, so whichever one a concurrent request sees is safe.
     */
    private static final class PinnedAddress extends ProxySelector {
        private volatile @Nullable InetSocketAddress address;

        void set(InetSocketAddress a) {
            this.address = a;
        }

        @Override
        public List<Proxy> select(URI uri) {
            InetSocketAddress a = address;
            if (a == null) {
                // never happens: vet() runs before every send; refuse rather than let the JDK resolve the name
                throw new IllegalStateException("no vetted address for " + uri.getHost());
            }
            return List.of(new Proxy(Proxy.Type.HTTP, a));
        }

        @Override
        public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
            // the exchange reports the failure
        }
    }

    /**
     * Builds a {@link MeshHttpClient}. langchain4j's model builders call the timeout setters. Not thread-safe.
     */
    public static final class Builder implements HttpClientBuilder {
        private final URI baseUrl;
        private final @Nullable Secret apiKey;
        private final AuthHeader auth;
        private final Executor executor;
        private @Nullable Duration connectTimeout;
        private @Nullable Duration readTimeout;
        private UnaryOperator<String> bodyFilter = UnaryOperator.identity();

        private Builder(URI baseUrl, @Nullable Secret apiKey, AuthHeader auth, Executor executor) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
            this.apiKey = apiKey;
            this.auth = Objects.requireNonNull(auth, "auth");
            this.executor = Objects.requireNonNull(executor, "executor");
        }

        /** Rewrites successful blocking response bodies before langchain4j parses them (protocol shims). */
        public Builder bodyFilter(UnaryOperator<String> filter) {
            this.bodyFilter = Objects.requireNonNull(filter, "filter");
            return this;
        }

        @Override
        public @Nullable Duration connectTimeout() {
            return connectTimeout;
        }

        @Override
        public Builder connectTimeout(@Nullable Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        @Override
        public @Nullable Duration readTimeout() {
            return readTimeout;
        }

        @Override
        public Builder readTimeout(@Nullable Duration timeout) {
            this.readTimeout = timeout;
            return this;
        }

        @Override
        public MeshHttpClient build() {
            return new MeshHttpClient(this);
        }
    }
}
