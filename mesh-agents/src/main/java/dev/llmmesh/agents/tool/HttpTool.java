package dev.llmmesh.agents.tool;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.llmmesh.Secret;
import dev.llmmesh.agents.internal.Json;
import dev.llmmesh.agents.internal.PinnedHttp;
import dev.llmmesh.catalog.Lifecycle;
import dev.llmmesh.catalog.Ownership;
import java.io.IOException;
import dev.llmmesh.net.HostRefusedException;
import dev.llmmesh.net.HostRules;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP tool limited to allow-listed hosts, ports and methods, safe against server-side request forgery
 * (SCENARIOS.md 33). Before any connection is opened a request must pass, in order:
 * <ol>
 *   <li>the method allow-list (default {@code GET});</li>
 *   <li>URL parsing: an absolute {@code https} URL (or {@code http} if allowed), no credentials in it;</li>
 *   <li>the host allow-list (exact names; no wildcards) and the port allow-list (default: the scheme's port);</li>
 *   <li>DNS resolution, after which <em>every</em> address must pass {@link HostRules#publicOnly()}: loopback,
 *       private, link-local and cloud metadata addresses (169.254.169.254, 100.100.100.200, fd00:ec2::254, …),
 *       carrier-grade NAT, multicast, reserved and Teredo addresses, and IPv6 forms embedding any of them (mapped,
 *       compatible, NAT64, 6to4), are refused.</li>
 * </ol>
 * The tool then connects to the vetted address itself (no second resolution, so DNS rebinding cannot swap it) and
 * never follows redirects: a 3xx answer is reported to the model as a refused redirect. Responses are cut at
 * {@link Builder#maxResponseBytes(int)}.
 *
 * <p>Loopback targets are refused unless {@link Builder#allowLoopbackForTests()} is called: an explicit opt-in meant
 * for tests against a local server; private and metadata addresses stay refused even then.
 *
 * <pre>{@code
 * HttpTool status = HttpTool.builder()
 *     .name("status_api")
 *     .allowHost("status.example.com")
 *     .allowMethods("GET")
 *     .build();
 * }</pre>
 *
 * Immutable and thread-safe.
 */
public final class HttpTool implements AgentTool {
    private static final Set<String> KNOWN_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");
    private static final int MAX_URL = 2048;
    private static final int MAX_BODY = 64 * 1024;

    private final ToolDescriptor descriptor;
    private final ToolSpecification specification;
    private final Map<String, Set<Integer>> hosts;
    private final Set<String> methods;
    private final Set<String> schemes;
    private final Duration timeout;
    private final int maxResponseBytes;
    private final boolean allowLoopback;
    private final HostResolver resolver;
    private final SocketConnector connector;
    private final SSLSocketFactory ssl;
    private final Map<String, Secret> headers;

    private HttpTool(Builder b) {
        this.hosts = Map.copyOf(b.hosts);
        this.methods = Set.copyOf(b.methods);
        this.schemes = Set.copyOf(b.schemes);
        this.timeout = b.timeout;
        this.maxResponseBytes = b.maxResponseBytes;
        this.allowLoopback = b.allowLoopback;
        this.resolver = b.resolver;
        this.connector = b.connector;
        this.ssl = b.ssl != null ? b.ssl : (SSLSocketFactory) SSLSocketFactory.getDefault();
        this.headers = Map.copyOf(b.headers);
        String description = (b.description.isBlank() ? "Sends an HTTP request." : b.description)
                + " Allowed hosts: " + String.join(", ", new TreeSet<>(hosts.keySet())) + ". Allowed methods: "
                + String.join(", ", new TreeSet<>(methods)) + ". Redirects are not followed.";
        this.descriptor = new ToolDescriptor(b.name, description, ToolKind.HTTP,
                methods.stream().allMatch(m -> m.equals("GET") || m.equals("HEAD")), b.owner, b.lifecycle);
        JsonObjectSchema.Builder params = JsonObjectSchema.builder()
                .addStringProperty("url", "the absolute URL to request")
                .addEnumProperty("method", List.copyOf(new TreeSet<>(methods)), "the HTTP method");
        List<String> required = new ArrayList<>(List.of("url", "method"));
        if (methods.stream().anyMatch(m -> m.equals("POST") || m.equals("PUT") || m.equals("PATCH"))) {
            params.addStringProperty("body", "a JSON request body, for POST, PUT and PATCH; empty otherwise");
        }
        this.specification = ToolSpecification.builder().name(b.name).description(description)
                .parameters(params.required(required).build()).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ToolDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public ToolSpecification specification() {
        return specification;
    }

    @Override
    public ToolResult execute(ToolCall call) {
        String method;
        String url;
        String body;
        try {
            JsonNode args = Json.parseObject(call.arguments());
            JsonNode u = args.get("url");
            if (u == null || !u.isTextual()) {
                return ToolResult.error("invalid arguments: expected {\"url\": \"https://...\", \"method\": \"GET\"}");
            }
            url = u.asText();
            JsonNode m = args.get("method");
            method = m == null || m.isNull() ? "GET" : m.asText();
            JsonNode bd = args.get("body");
            body = bd == null || bd.isNull() ? "" : (bd.isTextual() ? bd.asText() : bd.toString());
        } catch (IllegalArgumentException e) {
            return ToolResult.error("invalid arguments: " + e.getMessage());
        }
        Target target;
        try {
            target = vet(method, url, body);
        } catch (IllegalArgumentException e) {
            return ToolResult.error("refused: " + e.getMessage());
        }
        return send(target, body);
    }

    /**
     * Runs every check of {@link #execute} up to and including DNS resolution, without connecting.
     *
     * @return the address the tool would connect to
     * @throws IllegalArgumentException with the reason when the request would be refused
     */
    public InetSocketAddress check(String method, String url) {
        Target t = vet(method, url, "");
        return new InetSocketAddress(t.address, t.port);
    }

    private record Target(String method, String scheme, String host, int port, String pathAndQuery,
                          InetAddress address) {
    }

    private Target vet(String rawMethod, String url, String body) {
        String method = rawMethod.trim().toUpperCase(Locale.ROOT);
        if (!methods.contains(method)) {
            throw new IllegalArgumentException("method " + rawMethod + " is not allowed (allowed: "
                    + String.join(", ", new TreeSet<>(methods)) + ")");
        }
        if (!body.isEmpty() && !(method.equals("POST") || method.equals("PUT") || method.equals("PATCH"))) {
            throw new IllegalArgumentException("a body is only sent with POST, PUT or PATCH");
        }
        if (body.length() > MAX_BODY) {
            throw new IllegalArgumentException("body longer than " + MAX_BODY + " characters");
        }
        if (url.length() > MAX_URL) {
            throw new IllegalArgumentException("URL longer than " + MAX_URL + " characters");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("malformed URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!schemes.contains(scheme)) {
            throw new IllegalArgumentException("scheme \"" + scheme + "\" is not allowed (allowed: "
                    + String.join(", ", new TreeSet<>(schemes)) + ")");
        }
        if (uri.isOpaque() || uri.getRawAuthority() == null) {
            throw new IllegalArgumentException("URL has no host");
        }
        if (uri.getRawUserInfo() != null || uri.getRawAuthority().contains("@")) {
            throw new IllegalArgumentException("credentials in URLs are not allowed");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("URL has no valid host");
        }
        host = canonicalHost(host);
        if (HostRules.looksNumeric(host)) {
            host = canonicalIp(host).orElseThrow(() -> new IllegalArgumentException(
                    "IP addresses in non-standard notation are refused"));
        }
        int port = uri.getPort() == -1 ? defaultPort(scheme) : uri.getPort();
        Set<Integer> ports = hosts.get(host);
        if (ports == null) {
            throw new IllegalArgumentException("host " + host + " is not allow-listed");
        }
        if (ports.isEmpty() ? port != defaultPort(scheme) : !ports.contains(port)) {
            throw new IllegalArgumentException("port " + port + " is not allowed for host " + host);
        }
        List<InetAddress> addresses = vetAddresses(host);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String pathAndQuery = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        return new Target(method, scheme, host, port, pathAndQuery, addresses.get(0));
    }

    /** Every address of {@code host} judged by {@link HostRules#publicOnly()} (with loopback for tests). */
    private List<InetAddress> vetAddresses(String host) {
        HostRules rules = (allowLoopback ? HostRules.publicOnly().withLoopback() : HostRules.publicOnly())
                .withResolver(resolver::resolve);
        try {
            return rules.resolve(host);
        } catch (HostRefusedException e) {
            String reason = e.reason();
            throw new IllegalArgumentException("host " + host + (reason.startsWith("resolves ") ? " " + reason
                    : reason.equals("name does not resolve") ? " does not resolve" : " is a " + reason));
        }
    }

    private ToolResult send(Target t, String body) {
        String hostHeader = (t.host.contains(":") ? "[" + t.host + "]" : t.host)
                + (t.port == defaultPort(t.scheme) ? "" : ":" + t.port);
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Accept", "application/json, text/plain;q=0.9, */*;q=0.1");
        if (!body.isEmpty()) {
            h.put("Content-Type", "application/json; charset=utf-8");
        }
        headers.forEach((k, v) -> h.put(k, v.reveal()));
        PinnedHttp.Response r;
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Socket raw = connector.connect(new InetSocketAddress(t.address, t.port), timeout)) {
            raw.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())));
            Socket s = raw;
            if (t.scheme.equals("https")) {
                SSLSocket tls = (SSLSocket) ssl.createSocket(raw, t.host, t.port, true);
                SSLParameters p = tls.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                if (!HostRules.looksNumeric(t.host)) {
                    p.setServerNames(List.of(new SNIHostName(t.host)));
                }
                tls.setSSLParameters(p);
                tls.startHandshake();
                s = tls;
            }
            r = PinnedHttp.exchange(s, t.method, hostHeader, t.pathAndQuery, h,
                    body.getBytes(StandardCharsets.UTF_8), maxResponseBytes, deadline);
        } catch (java.net.SocketTimeoutException e) {
            return ToolResult.error("request failed: no complete response within the tool's timeout of " + timeout);
        } catch (IOException e) {
            return ToolResult.error("request failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
        }
        if (r.status() >= 300 && r.status() < 400) {
            return ToolResult.error("refused to follow a redirect (HTTP " + r.status() + " to "
                    + r.headers().getOrDefault("location", "?") + "): redirects are not followed");
        }
        StringBuilder sb = new StringBuilder("HTTP ").append(r.status());
        String type = r.headers().get("content-type");
        if (type != null) {
            sb.append("\ncontent-type: ").append(type);
        }
        sb.append("\n\n").append(new String(r.body(), StandardCharsets.UTF_8));
        if (r.truncated()) {
            sb.append("\n(truncated at ").append(maxResponseBytes).append(" bytes)");
        }
        return r.status() >= 400 ? ToolResult.error(sb.toString()) : ToolResult.ok(sb.toString());
    }

    private static int defaultPort(String scheme) {
        return scheme.equals("https") ? 443 : 80;
    }

    /** The canonical text of a dotted-quad or IPv6 literal, parsed without DNS; empty for disguised numbers. */
    private static Optional<String> canonicalIp(String host) {
        return HostRules.literal(host).map(InetAddress::getHostAddress);
    }

    private static String canonicalHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        while (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h;
    }

    @Override
    public String toString() {
        return "HttpTool[" + descriptor.id() + ", hosts=" + new TreeSet<>(hosts.keySet()) + ", methods="
                + new TreeSet<>(methods) + (allowLoopback ? ", loopback allowed (tests)" : "") + "]";
    }

    /** Builds an {@link HttpTool}. Every setter validates at once. Not thread-safe. */
    public static final class Builder {
        private final Map<String, Set<Integer>> hosts = new LinkedHashMap<>();
        private final Set<String> methods = new LinkedHashSet<>(Set.of("GET"));
        private final Set<String> schemes = new LinkedHashSet<>(Set.of("https"));
        private final Map<String, Secret> headers = new LinkedHashMap<>();
        private String name = "http_request";
        private String description = "";
        private Duration timeout = Duration.ofSeconds(10);
        private int maxResponseBytes = 64 * 1024;
        private boolean allowLoopback;
        private HostResolver resolver = HostResolver.SYSTEM;
        private SocketConnector connector = SocketConnector.PLAIN;
        private @Nullable SSLSocketFactory ssl;
        private Ownership owner = Ownership.UNOWNED;
        private Lifecycle lifecycle = Lifecycle.approvedByDefault();

        private Builder() {
        }

        /**
         * The tool name the model calls. Default {@code http_request}.
         *
         * @throws IllegalArgumentException if not 1 to 64 characters of {@code [A-Za-z0-9_-]}
         */
        public Builder name(String name) {
            this.name = ToolDescriptor.requireName(name);
            return this;
        }

        /** What the API is for, sent to the model before the allow-lists. */
        public Builder description(String description) {
            this.description = Objects.requireNonNull(description, "description");
            return this;
        }

        /**
         * Allows {@code host} on the scheme's default port (443, or 80 for http). Exact match, no wildcards.
         *
         * @throws IllegalArgumentException if {@code host} is not a valid DNS name or a public IP address in
         *                                  canonical notation
         */
        public Builder allowHost(String host) {
            hosts.put(checkHost(host), Set.of());
            return this;
        }

        /**
         * Allows {@code host} on exactly {@code ports}.
         *
         * @throws IllegalArgumentException if the host is invalid, no port is given, or a port is out of range
         */
        public Builder allowHost(String host, int... ports) {
            if (ports.length == 0) {
                throw new IllegalArgumentException("allowHost(\"" + host + "\", ports...): give at least one port");
            }
            Set<Integer> p = new LinkedHashSet<>();
            for (int port : ports) {
                if (port < 1 || port > 65_535) {
                    throw new IllegalArgumentException("port must be in [1, 65535], got " + port);
                }
                p.add(port);
            }
            hosts.put(checkHost(host), Set.copyOf(p));
            return this;
        }

        /**
         * Replaces the allowed methods. Default {@code GET}.
         *
         * @throws IllegalArgumentException if none is given or one is not GET, HEAD, POST, PUT, PATCH or DELETE
         */
        public Builder allowMethods(String... methods) {
            if (methods.length == 0) {
                throw new IllegalArgumentException("allowMethods: give at least one method");
            }
            Set<String> m = new LinkedHashSet<>();
            for (String s : methods) {
                String u = Objects.requireNonNull(s, "method").trim().toUpperCase(Locale.ROOT);
                if (!KNOWN_METHODS.contains(u)) {
                    throw new IllegalArgumentException("method \"" + s + "\" is not supported; use one of "
                            + new TreeSet<>(KNOWN_METHODS));
                }
                m.add(u);
            }
            this.methods.clear();
            this.methods.addAll(m);
            return this;
        }

        /**
         * Replaces the allowed schemes. Default {@code https}.
         *
         * @throws IllegalArgumentException if none is given or one is not http or https
         */
        public Builder allowSchemes(String... schemes) {
            if (schemes.length == 0) {
                throw new IllegalArgumentException("allowSchemes: give at least one scheme");
            }
            Set<String> s = new LinkedHashSet<>();
            for (String x : schemes) {
                String l = Objects.requireNonNull(x, "scheme").trim().toLowerCase(Locale.ROOT);
                if (!l.equals("http") && !l.equals("https")) {
                    throw new IllegalArgumentException("scheme \"" + x + "\" is not supported; only http and https");
                }
                s.add(l);
            }
            this.schemes.clear();
            this.schemes.addAll(s);
            return this;
        }

        /**
         * Adds a header sent with every request, e.g. an API key. The value is revealed only on the wire.
         *
         * @throws IllegalArgumentException if the name is not a header token or the value contains line breaks
         */
        public Builder header(String name, Secret value) {
            Objects.requireNonNull(value, "value");
            if (name == null || !name.matches("[A-Za-z0-9-]{1,64}")
                    || Set.of("host", "content-length", "connection", "transfer-encoding")
                    .contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("header name \"" + name + "\" is not allowed");
            }
            String v = value.reveal();
            if (v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("header " + name + ": the value must not contain line breaks");
            }
            headers.put(name, value);
            return this;
        }

        /**
         * The whole request's deadline: connecting, and everything from the first byte sent to the last byte read
         * (a server trickling its headers or body a byte at a time is cut off when it passes). Default 10 s.
         *
         * @throws IllegalArgumentException if zero or negative
         */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * The most response-body bytes returned to the model. Default 64 KiB.
         *
         * @throws IllegalArgumentException if not in [1, 10 MiB]
         */
        public Builder maxResponseBytes(int bytes) {
            if (bytes < 1 || bytes > 10 * 1024 * 1024) {
                throw new IllegalArgumentException("maxResponseBytes must be in [1, 10485760], got " + bytes);
            }
            this.maxResponseBytes = bytes;
            return this;
        }

        /**
         * Permits loopback addresses (127.0.0.0/8, ::1). <b>For tests against a local server only</b>: production
         * configurations must never call this. Private, link-local and metadata addresses stay refused.
         */
        public Builder allowLoopbackForTests() {
            this.allowLoopback = true;
            return this;
        }

        /** The DNS resolver; default the system's. */
        public Builder resolver(HostResolver resolver) {
            this.resolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /** Opens TCP connections to vetted addresses; default plain sockets. */
        public Builder connector(SocketConnector connector) {
            this.connector = Objects.requireNonNull(connector, "connector");
            return this;
        }

        /** The TLS socket factory for https; default the JVM's. */
        public Builder sslSocketFactory(SSLSocketFactory factory) {
            this.ssl = Objects.requireNonNull(factory, "factory");
            return this;
        }

        public Builder owner(Ownership owner) {
            this.owner = Objects.requireNonNull(owner, "owner");
            return this;
        }

        public Builder lifecycle(Lifecycle lifecycle) {
            this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
            return this;
        }

        /**
         * @throws IllegalStateException if no host is allow-listed, or {@code localhost} is allow-listed without
         *                               {@link #allowLoopbackForTests()}
         */
        public HttpTool build() {
            if (hosts.isEmpty()) {
                throw new IllegalStateException("HTTP tool \"" + name + "\" has no host; call allowHost(..) at "
                        + "least once");
            }
            if (!allowLoopback && hosts.keySet().stream().anyMatch(h -> h.equals("localhost")
                    || h.endsWith(".localhost") || loopbackLiteral(h))) {
                throw new IllegalStateException("HTTP tool \"" + name + "\": localhost is a loopback name and is "
                        + "always refused; only tests may opt in with allowLoopbackForTests()");
            }
            return new HttpTool(this);
        }

        private static boolean loopbackLiteral(String host) {
            if (!HostRules.looksNumeric(host)) {
                return false;
            }
            try {
                return InetAddress.getByName(host).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }

        private String checkHost(String host) {
            Objects.requireNonNull(host, "host");
            String h = canonicalHost(host.trim());
            if (HostRules.looksNumeric(h)) {
                String ip = canonicalIp(h).orElseThrow(() -> new IllegalArgumentException("host \"" + host
                        + "\" is a number in disguise; allow-list host names (or public IP addresses in standard "
                        + "notation)"));
                Optional<String> refusal = HostRules.publicOnly().withLoopback().hostRefusal(ip);
                if (refusal.isPresent()) {
                    throw new IllegalArgumentException("host \"" + host + "\" is a " + refusal.get()
                            + " and can never be allow-listed");
                }
                return ip;
            }
            if (!HostRules.validHostName(h)) {
                throw new IllegalArgumentException("host \"" + host + "\" is not a valid DNS name");
            }
            return h;
        }
    }
}
