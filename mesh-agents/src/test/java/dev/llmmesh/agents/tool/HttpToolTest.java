package dev.llmmesh.agents.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpToolTest {
    /** Counts every outbound connection; none may happen for a refused request. */
    private final List<InetSocketAddress> connections = new CopyOnWriteArrayList<>();
    private final SocketConnector counting = (address, timeout) -> {
        connections.add(address);
        return SocketConnector.PLAIN.connect(address, timeout);
    };
    /** A resolver that never touches DNS: fixed answers, the rest unknown. */
    private final HostResolver fixedDns = host -> {
        Map<String, byte[]> table = Map.of(
                "api.example.com", new byte[] {93, (byte) 184, (byte) 215, 14},
                "rebind.example.com", new byte[] {10, 0, 0, 7},
                "metadata.google.internal", new byte[] {(byte) 169, (byte) 254, (byte) 169, (byte) 254},
                "mixed.example.com", new byte[] {93, (byte) 184, (byte) 215, 15});
        byte[] a = table.get(host);
        if (a == null) {
            throw new UnknownHostException(host);
        }
        if (host.equals("mixed.example.com")) {
            return List.of(InetAddress.getByAddress(host, a), InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}));
        }
        return List.of(InetAddress.getByAddress(host, a));
    };
    private HttpServer server;
    private final AtomicInteger serverHits = new AtomicInteger();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/status", ex -> {
            serverHits.incrementAndGet();
            byte[] body = "{\"status\":\"green\"}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        server.createContext("/chunked", ex -> {
            serverHits.incrementAndGet();
            ex.sendResponseHeaders(200, 0); // chunked
            try (OutputStream o = ex.getResponseBody()) {
                for (int i = 0; i < 100; i++) {
                    o.write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
                    o.flush();
                }
            }
        });
        server.createContext("/echo", ex -> {
            serverHits.incrementAndGet();
            byte[] in = ex.getRequestBody().readAllBytes();
            byte[] body = (ex.getRequestMethod() + " " + new String(in, StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        server.createContext("/redirect", ex -> {
            serverHits.incrementAndGet();
            ex.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/iam/");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.createContext("/missing", ex -> {
            serverHits.incrementAndGet();
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private int port() {
        return server.getAddress().getPort();
    }

    private HttpTool production() {
        return HttpTool.builder().allowHost("api.example.com").allowHost("rebind.example.com")
                .allowHost("metadata.google.internal").allowHost("mixed.example.com")
                .allowSchemes("http", "https").resolver(fixedDns).connector(counting).build();
    }

    private HttpTool loopback() {
        return HttpTool.builder().allowHost("localhost", port()).allowSchemes("http").allowMethods("GET", "POST")
                .allowLoopbackForTests().connector(counting).timeout(Duration.ofSeconds(5)).build();
    }

    private static ToolResult get(HttpTool tool, String url) {
        return tool.execute(new ToolCall("r", "a", "c", tool.descriptor().id(),
                "{\"url\": " + dev.llmmesh.agents.internal.Json.quote(url) + ", \"method\": \"GET\"}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://169.254.169.254/latest/meta-data/",
            "http://[::ffff:169.254.169.254]/latest/meta-data/",
            "http://2852039166/latest/meta-data/",
            "http://0xA9FEA9FE/latest/meta-data/",
            "http://0251.0376.0251.0376/latest/meta-data/",
            "http://localhost:6379/",
            "http://127.0.0.1:6379/",
            "http://[::1]/",
            "http://metadata.google.internal/computeMetadata/v1/",
            "file:///etc/passwd",
            "gopher://localhost:6379/_INFO",
            "ftp://api.example.com/x",
            "jar:http://api.example.com/x.jar!/",
            "http://api.example.com@169.254.169.254/",
            "http://user:pass@api.example.com/",
            "http://rebind.example.com/",
            "http://api.example.com:8080/",
            "http://mixed.example.com/",
            "http://169.254.169.254.nip.io/",
            "//api.example.com/",
            "not a url"
    })
    void scenario33_ssrfTargetsAreRefusedWithZeroOutboundConnections(String url) {
        ToolResult r = get(production(), url);
        assertThat(r.error()).as(url).isTrue();
        assertThat(r.text()).as(url).startsWith("refused: ");
        assertThat(connections).as("outbound connections for " + url).isEmpty();
    }

    @Test
    void scenario33_namesThatResolveToPrivateOrMetadataAddressesAreRefusedAfterResolution() {
        HttpTool tool = production();
        assertThat(get(tool, "http://rebind.example.com/").text())
                .isEqualTo("refused: host rebind.example.com resolves to a private address (10.0.0.7)");
        assertThat(get(tool, "http://metadata.google.internal/computeMetadata/v1/").text())
                .isEqualTo("refused: host metadata.google.internal is a cloud metadata address");
        assertThat(get(tool, "http://mixed.example.com/").text()).contains("loopback address (127.0.0.1)");
        assertThat(connections).isEmpty();
    }

    @Test
    void scenario33_aRedirectToAnInternalHostIsNotFollowed() {
        ToolResult r = get(loopback(), "http://localhost:" + port() + "/redirect");
        assertThat(r.error()).isTrue();
        assertThat(r.text()).isEqualTo("refused to follow a redirect (HTTP 302 to "
                + "http://169.254.169.254/latest/meta-data/iam/): redirects are not followed");
        assertThat(serverHits).hasValue(1);
        assertThat(connections).hasSize(1);
        assertThat(connections.get(0).getAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void scenario43_teredoAndOtherIpv6FormsEmbeddingIpv4AreRefusedAsHostsAndAsResolvedAddresses() throws Exception {
        for (String host : List.of("[2001:0:4136:e378:8000:63bf:3fff:fdd2]", "2001:0:4136:e378:8000:63bf:5601:5601",
                "[64:ff9b::a9fe:a9fe]", "[2002:a9fe:a9fe::1]", "[::169.254.169.254]", "100.100.100.200",
                "192.0.0.192", "[fd00:ec2::254]")) {
            assertThatThrownBy(() -> HttpTool.builder().allowHost(host)).as(host)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("can never be allow-listed");
        }
        Map<String, String> answers = Map.of("teredo.example.com", "2001:0:4136:e378:8000:63bf:3fff:fdd2",
                "nat64.example.com", "64:ff9b::a9fe:a9fe", "sixtofour.example.com", "2002:a9fe:a9fe::1",
                "alibaba.example.com", "100.100.100.200");
        HostResolver dns = host -> List.of(InetAddress.getByAddress(host,
                InetAddress.getByName(answers.get(host)).getAddress()));
        HttpTool.Builder b = HttpTool.builder().allowSchemes("http").resolver(dns).connector(counting);
        answers.keySet().forEach(b::allowHost);
        HttpTool tool = b.build();
        assertThat(get(tool, "http://teredo.example.com/").text())
                .isEqualTo("refused: host teredo.example.com resolves to a Teredo tunnel address "
                        + "(2001:0:4136:e378:8000:63bf:3fff:fdd2)");
        assertThat(get(tool, "http://nat64.example.com/").text())
                .isEqualTo("refused: host nat64.example.com resolves to a cloud metadata address (64:ff9b:0:0:0:0:a9fe:a9fe)");
        assertThat(get(tool, "http://sixtofour.example.com/").text()).contains("resolves to a cloud metadata address");
        assertThat(get(tool, "http://alibaba.example.com/").text())
                .isEqualTo("refused: host alibaba.example.com resolves to a cloud metadata address (100.100.100.200)");
        assertThat(get(tool, "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/").text()).startsWith("refused: ");
        assertThat(connections).isEmpty();
    }

    @Test
    void scenario33_privateLoopbackAndDisguisedAddressesCannotBeAllowListed() {
        for (String host : List.of("169.254.169.254", "10.1.2.3", "::ffff:169.254.169.254", "[fd00:ec2::254]",
                "2852039166", "0xA9FEA9FE", "0251.0376.0251.0376", "192.168.0.1")) {
            assertThatThrownBy(() -> HttpTool.builder().allowHost(host)).as(host)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> HttpTool.builder().allowHost("localhost").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("allowLoopbackForTests");
        assertThatThrownBy(() -> HttpTool.builder().allowHost("127.0.0.1").build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> HttpTool.builder().allowHost("a.example.com").allowSchemes("file"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void loopbackIsRefusedWithoutTheTestOptInEvenForAnAllowListedPublicName() {
        HostResolver toLoopback = host -> List.of(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}));
        HttpTool tool = HttpTool.builder().allowHost("api.example.com", port()).allowSchemes("http")
                .resolver(toLoopback).connector(counting).build();
        assertThat(get(tool, "http://api.example.com:" + port() + "/status").text())
                .isEqualTo("refused: host api.example.com resolves to a loopback address (127.0.0.1)");
        assertThat(connections).isEmpty();
        assertThat(serverHits).hasValue(0);
    }

    @Test
    void fetchesFromAnAllowListedLoopbackServerWhenTestsOptIn() {
        ToolResult r = get(loopback(), "http://localhost:" + port() + "/status");
        assertThat(r.error()).isFalse();
        assertThat(r.text()).isEqualTo("HTTP 200\ncontent-type: application/json\n\n{\"status\":\"green\"}");
        assertThat(connections).hasSize(1);
    }

    @Test
    void readsChunkedBodiesAndCutsThemAtTheLimit() {
        HttpTool small = HttpTool.builder().allowHost("localhost", port()).allowSchemes("http")
                .allowLoopbackForTests().maxResponseBytes(20).build();
        ToolResult r = get(small, "http://localhost:" + port() + "/chunked");
        assertThat(r.text()).isEqualTo("HTTP 200\n\nline 0\nline 1\nline 2\n(truncated at 20 bytes)");
        ToolResult whole = get(loopback(), "http://localhost:" + port() + "/chunked");
        assertThat(whole.text()).endsWith("line 99\n");
    }

    @Test
    void sendsBodiesOnlyWithAllowedMethods() {
        HttpTool tool = loopback();
        ToolResult post = tool.execute(new ToolCall("r", "a", "c", "http_request", "{\"url\":\"http://localhost:"
                + port() + "/echo\",\"method\":\"POST\",\"body\":\"{\\\"q\\\":1}\"}"));
        assertThat(post.text()).endsWith("POST {\"q\":1}");
        ToolResult delete = tool.execute(new ToolCall("r", "a", "c", "http_request", "{\"url\":\"http://localhost:"
                + port() + "/echo\",\"method\":\"DELETE\"}"));
        assertThat(delete.text()).isEqualTo("refused: method DELETE is not allowed (allowed: GET, POST)");
        ToolResult getWithBody = tool.execute(new ToolCall("r", "a", "c", "http_request", "{\"url\":\"http://localhost:"
                + port() + "/echo\",\"method\":\"GET\",\"body\":\"x\"}"));
        assertThat(getWithBody.text()).startsWith("refused: a body is only sent");
    }

    @Test
    void reportsHttpErrorsAndConnectionFailuresAsToolErrors() {
        ToolResult missing = get(loopback(), "http://localhost:" + port() + "/missing");
        assertThat(missing.error()).isTrue();
        assertThat(missing.text()).startsWith("HTTP 404");
        SocketConnector refusing = (address, timeout) -> {
            throw new java.net.ConnectException("Connection refused");
        };
        HttpTool tool = HttpTool.builder().allowHost("localhost", port()).allowSchemes("http").allowLoopbackForTests()
                .connector(refusing).build();
        assertThat(get(tool, "http://localhost:" + port() + "/status").text())
                .isEqualTo("request failed: ConnectException (Connection refused)");
    }

    @Test
    void connectsToTheVettedAddressWithoutResolvingAgain() {
        AtomicInteger lookups = new AtomicInteger();
        HostResolver once = host -> {
            int n = lookups.incrementAndGet();
            // a rebinding resolver: public first, private afterwards
            return List.of(InetAddress.getByAddress(host, n == 1 ? new byte[] {127, 0, 0, 1} : new byte[] {10, 0, 0, 1}));
        };
        HttpTool tool = HttpTool.builder().allowHost("api.example.com", port()).allowSchemes("http")
                .allowLoopbackForTests().resolver(once).connector(counting).build();
        assertThat(get(tool, "http://api.example.com:" + port() + "/status").text()).startsWith("HTTP 200");
        assertThat(lookups).hasValue(1);
        assertThat(connections).extracting(a -> a.getAddress().getHostAddress()).containsExactly("127.0.0.1");
    }

    @Test
    void keepsSecretHeadersOutOfToStringAndSendsThemOnTheWire() throws IOException {
        List<String> auth = new CopyOnWriteArrayList<>();
        server.createContext("/auth", ex -> {
            auth.add(ex.getRequestHeaders().getFirst("Authorization"));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        HttpTool tool = HttpTool.builder().allowHost("localhost", port()).allowSchemes("http").allowLoopbackForTests()
                .header("Authorization", dev.llmmesh.Secret.of("Bearer sk-canary-123456789")).build();
        assertThat(get(tool, "http://localhost:" + port() + "/auth").text()).isEqualTo("HTTP 204\n\n");
        assertThat(auth).containsExactly("Bearer sk-canary-123456789");
        assertThat(tool.toString()).doesNotContain("canary");
        assertThat(tool.specification().toString()).doesNotContain("canary");
        assertThatThrownBy(() -> HttpTool.builder().header("X-Evil", dev.llmmesh.Secret.of("a\r\nHost: evil")))
                .isInstanceOf(IllegalArgumentException.class);
    }


    /** A raw server answering every connection with {@code response}, written by {@code writer}. */
    private static ServerSocket rawServer(java.util.function.BiConsumer<Socket, OutputStream> writer) throws IOException {
        ServerSocket ss = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!ss.isClosed()) {
                try (Socket c = ss.accept()) {
                    c.getInputStream().read(new byte[8192]); // the request
                    writer.accept(c, c.getOutputStream());
                } catch (IOException | RuntimeException e) {
                    // client gone or server closed
                }
            }
        }, "raw-http-test-server");
        t.setDaemon(true);
        t.start();
        return ss;
    }

    private static void trickle(OutputStream out, String text, long millisPerByte) {
        try {
            for (byte b : text.getBytes(StandardCharsets.ISO_8859_1)) {
                out.write(b);
                out.flush();
                Thread.sleep(millisPerByte);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends {@code head} at once, then {@code trickled} a byte every {@code millisPerByte}, to a 1 s tool. */
    private static void assertCutOffByTheDeadline(String head, String trickled, long millisPerByte) throws IOException {
        try (ServerSocket ss = rawServer((c, out) -> {
            trickle(out, head, 0);
            trickle(out, trickled, millisPerByte);
        })) {
            HttpTool tool = HttpTool.builder().allowHost("localhost", ss.getLocalPort()).allowSchemes("http")
                    .allowLoopbackForTests().timeout(Duration.ofSeconds(1)).build();
            ToolResult r = get(tool, "http://localhost:" + ss.getLocalPort() + "/slow");
            assertThat(r.error()).isTrue();
            assertThat(r.text()).isEqualTo("request failed: no complete response within the tool's timeout of PT1S");
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void scenario43_aServerTricklingItsBodyIsCutOffByTheOverallDeadline() throws IOException {
        // a 40-byte body at one byte per 250 ms: 10 s in all, against a 1 s timeout
        assertCutOffByTheDeadline("HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\n", "x".repeat(40), 250);
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void scenario43_aServerTricklingItsHeadersIsCutOffByTheOverallDeadline() throws IOException {
        assertCutOffByTheDeadline("", "HTTP/1.1 200 OK\r\nX-Padding: " + "p".repeat(40)
                + "\r\nContent-Length: 2\r\n\r\nok", 200);
    }

    @Test
    void aValidBodySentAsEightThousandOneByteChunksIsReadWhole() throws IOException {
        StringBuilder chunked = new StringBuilder("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 8_000; i++) {
            char c = (char) ('a' + i % 26);
            chunked.append("1\r\n").append(c).append("\r\n");
            expected.append(c);
        }
        chunked.append("0\r\n\r\n");
        try (ServerSocket ss = rawServer((c, out) -> trickle(out, chunked.toString(), 0))) {
            HttpTool tool = HttpTool.builder().allowHost("localhost", ss.getLocalPort()).allowSchemes("http")
                    .allowLoopbackForTests().timeout(Duration.ofSeconds(10)).build();
            ToolResult r = get(tool, "http://localhost:" + ss.getLocalPort() + "/chunks");
            assertThat(r.error()).as(r.text()).isFalse();
            assertThat(r.text()).isEqualTo("HTTP 200\n\n" + expected);
        }
    }
}
