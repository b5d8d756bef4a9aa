package dev.llmmesh.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.llmmesh.testkit.SimulatedOpenAiServer.Behavior;
import dev.llmmesh.testkit.SimulatedOpenAiServer.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * What every simulated provider shares: the loopback HTTP server, the behaviour queue, request recording with masked
 * credentials, the close latch that releases hanging requests, and the deterministic answer text. Subclasses speak one
 * protocol. Thread-safe.
 *
 * @param <S> the concrete server, returned by the fluent methods
 */
abstract class SimulatedServerBase<S extends SimulatedServerBase<S>> implements SimulatedProvider {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Set<String> SECRET_HEADERS = Set.of("authorization", "proxy-authorization", "api-key",
            "x-api-key", "x-goog-api-key", "cookie");
    static final String MASK = "***";

    private final HttpServer server;
    private final ExecutorService executor;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final ConcurrentLinkedQueue<Behavior> queue = new ConcurrentLinkedQueue<>();
    private final List<RecordedRequest> recorded = new CopyOnWriteArrayList<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicInteger disconnects = new AtomicInteger();
    private final String name;
    private final @Nullable String defaultAnswer;
    private final @Nullable String apiKey;
    private final Clock clock;
    private volatile Behavior defaultBehavior;
    private volatile boolean closed;
    private final boolean recording;

    SimulatedServerBase(String name, @Nullable String defaultAnswer, @Nullable String apiKey, Clock clock,
                        Behavior defaultBehavior, boolean recording) throws IOException {
        this.recording = recording;
        this.name = name;
        this.defaultAnswer = defaultAnswer;
        this.apiKey = apiKey;
        this.clock = clock;
        this.defaultBehavior = defaultBehavior;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger threads = new AtomicInteger();
        int port = server.getAddress().getPort();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "simulated-" + name + "-" + port + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.executor = Executors.newCachedThreadPool(factory);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    SimulatedServerBase(String name, ServerBuilder<?, S> b) throws IOException {
        this(name, b.defaultAnswer, b.apiKey, b.clock, b.defaultBehavior, b.recording);
    }

    /** Serves one recorded request. The exchange is closed afterwards. */
    abstract void serve(HttpExchange exchange, long n, RecordedRequest request) throws IOException;

    /** Whether {@code path} is this protocol's chat endpoint (for {@link #chatRequests()}). */
    abstract boolean isChatPath(String path);

    @Override
    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port>} followed by {@code path}. */
    URI url(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    @SuppressWarnings("unchecked")
    private S self() {
        return (S) this;
    }

    /** Queues behaviours for the next chat requests, in order. */
    @Override
    public S enqueue(Behavior... behaviors) {
        for (Behavior b : behaviors) {
            queue.add(Objects.requireNonNull(b, "behavior"));
        }
        return self();
    }

    /** Replaces the behaviour used once the queue is empty. */
    @Override
    public S setDefault(Behavior behavior) {
        this.defaultBehavior = Objects.requireNonNull(behavior, "behavior");
        return self();
    }

    @Override
    public List<RecordedRequest> requests() {
        return List.copyOf(recorded);
    }

    @Override
    public List<RecordedRequest> chatRequests() {
        List<RecordedRequest> out = new ArrayList<>();
        for (RecordedRequest r : recorded) {
            if (isChatPath(r.path())) {
                out.add(r);
            }
        }
        return out;
    }

    @Override
    public int requestCount() {
        return recorded.size();
    }

    @Override
    public Optional<RecordedRequest> lastRequest() {
        List<RecordedRequest> all = requests();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    @Override
    public int pendingBehaviors() {
        return queue.size();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + baseUrl() + ", requests=" + recorded.size() + "]";
    }

    Clock clock() {
        return clock;
    }

    /** The key requests must carry, if one is configured. */
    @Nullable String apiKey() {
        return apiKey;
    }

    /** The next queued behaviour, or the default. */
    Behavior nextBehavior() {
        Behavior b = queue.poll();
        return b != null ? b : defaultBehavior;
    }

    /** Whether {@code request} carries the configured key (always true without one). */
    boolean authorized(RecordedRequest request) {
        return apiKey == null || request.secretHeaderEquals(keyHeader(), keyHeaderValue(apiKey));
    }

    /** The answer text: the behaviour's, else the configured default, else {@code "echo: "} + the last user text. */
    String answerText(Behavior b, String lastUserText) {
        if (b.text != null) {
            return b.text;
        }
        if (defaultAnswer != null) {
            return defaultAnswer;
        }
        return "echo: " + lastUserText;
    }

    /**
     * {@code b} as a provider honouring an output limit of {@code maxTokens} (-1: none) would serve it: an answer
     * longer than the limit (in the testkit's tokens, words) is cut to its first {@code maxTokens} words and ends with
     * finish reason {@code length} (each protocol's word for it); a scripted completion count above the limit is
     * capped. Errors, hangs and malformed bodies pass unchanged.
     */
    Behavior honourMaxTokens(Behavior b, int maxTokens, String lastUserText) {
        if (maxTokens < 0) {
            return b;
        }
        return b.cappedTo(maxTokens, answerText(b, lastUserText));
    }

    /** The first of {@code keys} holding an integer >= 0 in {@code node}, or -1. */
    static int maxTokens(com.fasterxml.jackson.databind.JsonNode node, String... keys) {
        for (String k : keys) {
            com.fasterxml.jackson.databind.JsonNode v = node.path(k);
            if (v.isIntegralNumber() && v.asInt() >= 0) {
                return v.asInt();
            }
        }
        return -1;
    }

    /** Waits until the server closes, or {@code max} passes (forever when null); true if the server closed. */
    boolean awaitClose(@Nullable Duration max) {
        try {
            if (max == null) {
                closing.await();
                return true;
            }
            return closing.await(max.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /**
     * Writes a space to {@code out} every 20 ms for {@code latency}. False when the exchange must be dropped: the
     * client closed the connection (counted in {@link #clientDisconnects()}) or the server closed.
     */
    boolean heartbeats(OutputStream out, Duration latency) {
        long until = System.nanoTime() + latency.toNanos();
        while (true) {
            try {
                out.write(' ');
                out.flush();
            } catch (IOException e) {
                disconnects.incrementAndGet();
                return false;
            }
            long left = until - System.nanoTime();
            if (left <= 0) {
                return true;
            }
            if (awaitClose(Duration.ofNanos(Math.min(left, HEARTBEAT.toNanos())))) {
                return false;
            }
        }
    }

    private static final Duration HEARTBEAT = Duration.ofMillis(20);

    @Override
    public int clientDisconnects() {
        return disconnects.get();
    }

    /** Applies the behaviour's latency; true when the server closed meanwhile (drop the connection). */
    boolean delay(Behavior b) {
        return !b.latency.isZero() && awaitClose(b.latency);
    }

    /** The behaviour's extra response headers. */
    static void behaviorHeaders(HttpExchange exchange, Behavior b) {
        b.headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    }

    /** Sends a whole body with a content type. */
    static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        if (!exchange.getResponseHeaders().containsKey("Content-Type")) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Announces a longer body than is sent, writes {@code prefix}, and drops the connection mid-body. */
    static void cutBody(HttpExchange exchange, String contentType, String prefix) throws IOException {
        byte[] bytes = prefix.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(200, bytes.length * 4L);
        OutputStream out = exchange.getResponseBody();
        out.write(bytes);
        out.flush();
        throw new IOException("scripted cut"); // the exchange closes with bytes missing
    }

    /** Writes and flushes {@code text} to a streaming body. */
    static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The body as JSON, or null when it is not a JSON object. */
    static @Nullable JsonNode jsonObject(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Splits {@code s} into about {@code n} pieces (for streamed tool arguments). */
    static List<String> fragments(String s, int n) {
        List<String> out = new ArrayList<>();
        if (s.isEmpty()) {
            return out;
        }
        int size = Math.max(1, (s.length() + n - 1) / n);
        for (int i = 0; i < s.length(); i += size) {
            out.add(s.substring(i, Math.min(s.length(), i + size)));
        }
        return out;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] raw;
            try (InputStream in = exchange.getRequestBody()) {
                raw = in.readAllBytes();
            }
            long n = sequence.incrementAndGet();
            URI uri = exchange.getRequestURI();
            RecordedRequest request = new RecordedRequest(n, exchange.getRequestMethod(), uri.getPath(),
                    Optional.ofNullable(uri.getRawQuery()), headersOf(exchange),
                    new String(raw, StandardCharsets.UTF_8), secretsOf(exchange));
            if (recording) {
                recorded.add(request);
            }
            serve(exchange, n, request);
        } catch (IOException e) {
            // the client went away (or a scripted cut): nothing to answer
        }
    }

    private static Map<String, List<String>> headersOf(HttpExchange exchange) {
        Map<String, List<String>> out = new TreeMap<>();
        exchange.getRequestHeaders().forEach((header, values) -> {
            String key = header.toLowerCase(Locale.ROOT);
            List<String> copy = SECRET_HEADERS.contains(key)
                    ? Collections.nCopies(values.size(), MASK) : List.copyOf(values);
            out.merge(key, copy, (a, b) -> {
                List<String> merged = new ArrayList<>(a);
                merged.addAll(b);
                return List.copyOf(merged);
            });
        });
        return Collections.unmodifiableMap(out);
    }

    private static Map<String, List<String>> secretsOf(HttpExchange exchange) {
        Map<String, List<String>> out = new TreeMap<>();
        exchange.getRequestHeaders().forEach((header, values) -> {
            String key = header.toLowerCase(Locale.ROOT);
            if (SECRET_HEADERS.contains(key)) {
                out.merge(key, List.copyOf(values), (a, b) -> {
                    List<String> merged = new ArrayList<>(a);
                    merged.addAll(b);
                    return List.copyOf(merged);
                });
            }
        });
        return Collections.unmodifiableMap(out);
    }

    String name() {
        return name;
    }

    /**
     * The settings every simulated provider's builder shares, and its {@code start()}. Not thread-safe.
     *
     * @param <B> the concrete builder
     * @param <S> the server it starts
     */
    abstract static class ServerBuilder<B extends ServerBuilder<B, S>, S extends SimulatedServerBase<S>> {
        private final String displayName;
        @Nullable String defaultAnswer;
        @Nullable String apiKey;
        Clock clock = Clock.systemUTC();
        Behavior defaultBehavior = Behavior.ok();
        boolean recording = true;

        ServerBuilder(String displayName) {
            this.displayName = displayName;
        }

        abstract B self();

        /** Binds and starts the server from these settings. */
        abstract S create() throws IOException;

        /** The answer text of behaviours that set none, instead of echoing the last user message. */
        public B defaultAnswer(String text) {
            this.defaultAnswer = Objects.requireNonNull(text, "text");
            return self();
        }

        /** What requests get once the queue is empty. */
        public B defaultBehavior(Behavior behavior) {
            this.defaultBehavior = Objects.requireNonNull(behavior, "behavior");
            return self();
        }

        /**
         * Requires the provider's key header ({@link SimulatedProvider#keyHeader()}) carrying {@code key} on every
         * request; others get the provider's authentication error.
         *
         * @throws IllegalArgumentException if {@code key} is blank
         */
        public B apiKey(String key) {
            Objects.requireNonNull(key, "key");
            if (key.isBlank()) {
                throw new IllegalArgumentException("apiKey must not be blank");
            }
            this.apiKey = key;
            return self();
        }

        /**
         * Whether requests are kept for {@code requests()} and {@code lastRequest()} (default true). Load generators
         * that send many thousands of requests turn it off: every request is then answered and forgotten.
         */
        public B recordRequests(boolean record) {
            this.recording = record;
            return self();
        }

        /** The clock for timestamps and dates in answers. */
        public B clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return self();
        }

        /**
         * Binds an ephemeral port on 127.0.0.1 and starts serving.
         *
         * @throws UncheckedIOException if the port cannot be bound
         */
        public S start() {
            try {
                return create();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the simulated " + displayName + " server on 127.0.0.1",
                        e);
            }
        }
    }

    /** The text of the last {@code role: user} message in a chat-style {@code messages} array, read by {@code content}. */
    static String lastUserText(JsonNode messages, java.util.function.Function<JsonNode, String> content) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode m = messages.get(i);
            if ("user".equals(m.path("role").asText())) {
                return content.apply(m.path("content"));
            }
        }
        return "";
    }
}
