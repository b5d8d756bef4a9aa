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
import dev.llmmesh.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The langchain4j {@link HttpClient} the mesh's provider clients run on, over the JDK's {@link java.net.http.HttpClient}.
 * Compared with langchain4j's own JDK client it:
 * <ul>
 *   <li>throws {@link ProviderHttpException} (status, headers, body) for error answers, so Retry-After and
 *       x-request-id survive langchain4j's exception mapping;</li>
 *   <li>adds the API key itself, as {@code Authorization: Bearer}, only on requests to the configured base URL's
 *       origin, so langchain4j (and its request logging) never holds the key; requests to another origin are
 *       refused;</li>
 *   <li>never follows redirects;</li>
 *   <li>reads at most 64 KiB of an error body;</li>
 *   <li>reports an {@code {"error":...}} object inside a 200 event stream as an error, and never reports a clean end
 *       after an error;</li>
 *   <li>honours {@link StreamCancellation}: a cancelled stream aborts its HTTP exchange.</li>
 * </ul>
 * Thread-safe; one instance serves concurrent requests.
 */
public final class MeshHttpClient implements HttpClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ERROR_BODY = 64 * 1024;
    /** Headers the JDK client sets itself or refuses. */
    private static final Set<String> SKIPPED_HEADERS = Set.of("authorization", "content-length", "host", "connection",
            "expect", "upgrade");

    private final java.net.http.HttpClient jdk;
    private final @Nullable Duration readTimeout;
    private final String origin;
    private final @Nullable Secret apiKey;

    private MeshHttpClient(Builder b) {
        java.net.http.HttpClient.Builder jb = java.net.http.HttpClient.newBuilder()
                .followRedirects(java.net.http.HttpClient.Redirect.NEVER)
                .executor(b.executor);
        if ("http".equalsIgnoreCase(b.baseUrl.getScheme())) {
            jb.version(java.net.http.HttpClient.Version.HTTP_1_1); // no h2c upgrade dance with local servers
        }
        if (b.connectTimeout != null) {
            jb.connectTimeout(b.connectTimeout);
        }
        this.jdk = jb.build();
        this.readTimeout = b.readTimeout;
        this.origin = BaseUrls.origin(b.baseUrl);
        this.apiKey = b.apiKey;
    }

    /**
     * A builder for a client that talks to {@code baseUrl}'s origin only.
     *
     * @param baseUrl  a URL already checked by {@link BaseUrls#validate(String, URI)}
     * @param apiKey   sent as {@code Authorization: Bearer} when present
     * @param executor runs the JDK client's I/O and stream parsing
     */
    public static Builder builder(URI baseUrl, Optional<Secret> apiKey, Executor executor) {
        return new Builder(baseUrl, apiKey.orElse(null), executor);
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        java.net.http.HttpRequest jdkRequest = toJdk(request);
        try {
            HttpResponse<InputStream> response = jdk.send(jdkRequest, HttpResponse.BodyHandlers.ofInputStream());
            if (!successful(response.statusCode())) {
                throw new ProviderHttpException(response.statusCode(), response.headers().map(),
                        readBounded(response.body()));
            }
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readAllBytes();
            }
            return SuccessfulHttpResponse.builder()
                    .statusCode(response.statusCode())
                    .headers(response.headers().map())
                    .body(body)
                    .build();
        } catch (HttpTimeoutException e) {
            throw new TimeoutException("no answer within the timeout", e);
        } catch (IOException e) {
            throw new UncheckedIOException("HTTP exchange failed: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MeshInternalException(ErrorKind.CANCELLED, "interrupted while waiting for the provider", e);
        }
    }

    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        java.net.http.HttpRequest jdkRequest = toJdk(request);
        StreamCancellation cancellation = StreamCancellation.current();
        CompletableFuture<HttpResponse<InputStream>> exchange =
                jdk.sendAsync(jdkRequest, HttpResponse.BodyHandlers.ofInputStream());
        if (cancellation != null) {
            cancellation.exchange(exchange);
        }
        exchange.whenComplete((response, error) -> {
            if (error != null) {
                safely(() -> listener.onError(transportError(error)));
                return;
            }
            if (!successful(response.statusCode())) {
                String body = readBounded(response.body());
                safely(() -> listener.onError(new ProviderHttpException(response.statusCode(),
                        response.headers().map(), body)));
                return;
            }
            InputStream in = response.body();
            if (cancellation != null) {
                cancellation.body(in);
            }
            GuardedListener guarded = new GuardedListener(listener, response.headers());
            safely(() -> listener.onOpen(SuccessfulHttpResponse.builder()
                    .statusCode(response.statusCode())
                    .headers(response.headers().map())
                    .build()));
            try (in) {
                parser.parse(in, guarded);
            } catch (IOException | RuntimeException e) {
                guarded.onError(e);
            }
            guarded.finish();
        });
    }

    private java.net.http.HttpRequest toJdk(HttpRequest request) {
        URI uri = URI.create(request.url());
        if (!BaseUrls.origin(uri).equals(origin)) {
            // langchain4j builds URLs from the configured base URL; anything else must not get the key
            throw new IllegalStateException("refusing a request outside the configured base URL's origin " + origin);
        }
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(uri);
        request.headers().forEach((name, values) -> {
            if (name != null && values != null && !SKIPPED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> b.header(name, v));
            }
        });
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey.reveal());
        }
        String body = request.body();
        b.method(request.method().name(), body == null
                ? java.net.http.HttpRequest.BodyPublishers.noBody()
                : java.net.http.HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (readTimeout != null) {
            b.timeout(readTimeout);
        }
        return b.build();
    }

    private static RuntimeException transportError(Throwable error) {
        Throwable t = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (t instanceof HttpTimeoutException) {
            return new TimeoutException("no answer within the timeout", t);
        }
        if (t instanceof IOException io) {
            return new UncheckedIOException("HTTP exchange failed: " + io.getClass().getSimpleName(), io);
        }
        return t instanceof RuntimeException r ? r : new UncheckedIOException(new IOException(t));
    }

    private static boolean successful(int status) {
        return status >= 200 && status < 300;
    }

    private static String readBounded(InputStream body) {
        try (InputStream in = body) {
            byte[] bytes = in.readNBytes(MAX_ERROR_BODY);
            return new String(bytes, StandardCharsets.UTF_8);
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

    /**
     * Passes events through until the first error (transport error or an error object in the stream); after that,
     * nothing, and no {@code onClose}.
     */
    private static final class GuardedListener implements ServerSentEventListener {
        private final ServerSentEventListener delegate;
        private final Map<String, List<String>> headers;
        private final AtomicBoolean failed = new AtomicBoolean();

        GuardedListener(ServerSentEventListener delegate, HttpHeaders headers) {
            this.delegate = delegate;
            this.headers = headers.map();
        }

        @Override
        public void onOpen(SuccessfulHttpResponse response) {
            // opened by the client itself
        }

        @Override
        public void onEvent(ServerSentEvent event, ServerSentEventContext context) {
            if (failed.get()) {
                return;
            }
            if (isErrorObject(event.data())) {
                onError(new ProviderHttpException(200, headers, event.data()));
                safely(() -> context.parsingHandle().cancel());
                return;
            }
            delegate.onEvent(event, context);
        }

        @Override
        public void onEvent(ServerSentEvent event) {
            if (failed.get()) {
                return;
            }
            if (isErrorObject(event.data())) {
                onError(new ProviderHttpException(200, headers, event.data()));
                return;
            }
            delegate.onEvent(event);
        }

        @Override
        public void onError(Throwable error) {
            if (failed.compareAndSet(false, true)) {
                Throwable mapped = error instanceof IOException io
                        ? new UncheckedIOException("stream read failed: " + io.getClass().getSimpleName(), io) : error;
                safely(() -> delegate.onError(mapped));
            }
        }

        void finish() {
            if (!failed.get()) {
                safely(delegate::onClose);
            }
        }

        private static boolean isErrorObject(@Nullable String data) {
            if (data == null) {
                return false;
            }
            String d = data.strip();
            if (!d.startsWith("{") || !d.contains("\"error\"")) {
                return false;
            }
            try {
                JsonNode node = JSON.readTree(d);
                return node.has("error") && !node.get("error").isNull() && !node.has("choices");
            } catch (IOException e) {
                return false; // not JSON at all: the chat model reports the parse failure
            }
        }
    }

    /**
     * Builds a {@link MeshHttpClient}. langchain4j's model builders call the timeout setters. Not thread-safe.
     */
    public static final class Builder implements HttpClientBuilder {
        private final URI baseUrl;
        private final @Nullable Secret apiKey;
        private final Executor executor;
        private @Nullable Duration connectTimeout;
        private @Nullable Duration readTimeout;

        private Builder(URI baseUrl, @Nullable Secret apiKey, Executor executor) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
            this.apiKey = apiKey;
            this.executor = Objects.requireNonNull(executor, "executor");
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
