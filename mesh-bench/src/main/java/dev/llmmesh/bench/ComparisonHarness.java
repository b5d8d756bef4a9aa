package dev.llmmesh.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.llmmesh.CallContext;
import dev.llmmesh.Mesh;
import dev.llmmesh.bench.internal.BenchFixtures;
import dev.llmmesh.bench.internal.FullChain;
import dev.llmmesh.config.MeshConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Direct langchain4j against the mesh, over real HTTP to a local mock OpenAI server in a separate process
 * ({@link MockOpenAiProcess}), in interleaved rounds in one JVM: a direct {@link OpenAiChatModel}, the mesh with one
 * model and no interceptors ("bare"), and the mesh with the full governance chain of {@link FullChain} over ten models
 * ("full"); and, when {@code npm} is on the path, the same request through the Portkey OSS gateway (installed with npm
 * into a temporary folder, HTTP/1.1 pinned toward it), whose node process's CPU is counted with the client's. Prints
 * the comparison table of docs/performance.md. Run:
 * <pre>{@code
 * ./mvnw -o -B -q -pl mesh-bench -am package -DskipTests
 * java -cp mesh-bench/target/benchmarks.jar dev.llmmesh.bench.ComparisonHarness [--rounds=6] [--calls=400]
 *     [--warmup=3000] [--c64-seconds=4] [--streams=15] [--portkey=auto|off]
 * }</pre>
 *
 * <p>Client CPU is this process's CPU time (every thread: callers, the HTTP client's, GC, JIT) divided by the calls;
 * the mock runs elsewhere, so none of its work is counted. Each round runs every variant once, in the same order;
 * the added cost is taken round by round (variant minus direct) and the median over rounds is printed, which keeps
 * a noisy neighbour from favouring one variant.
 */
public final class ComparisonHarness {
    private static final String KEY = "sk-bench-0000000000000000";
    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Map<String, String> options;
    private final ChatRequest request = FullChain.piiRequest();
    private final CallContext context = BenchFixtures.context();
    private final List<AutoCloseable> closeLater = new ArrayList<>();

    private ComparisonHarness(Map<String, String> options) {
        this.options = options;
    }

    /**
     * Runs the comparison and prints the table.
     *
     * @param args {@code --name=value} options (see the class comment)
     * @throws Exception if the mock server or a variant cannot be started
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (String a : args) {
            if (!a.startsWith("--") || !a.contains("=")) {
                throw new IllegalArgumentException("options are --name=value, got " + a);
            }
            options.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
        }
        ComparisonHarness h = new ComparisonHarness(options);
        try {
            h.run();
        } finally {
            h.closeAll();
        }
        System.exit(0); // HTTP client and mesh threads are daemons, but do not wait for the mock's pipes
    }

    private int option(String name, int defaultValue) {
        return Integer.parseInt(options.getOrDefault(name, String.valueOf(defaultValue)));
    }

    // ------------------------------------------------------------------ set-up

    private record Ports(int fast, int slow, int stream) {
    }

    private Ports startMock() throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xms256m", "-Xmx256m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), MockOpenAiProcess.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        closeLater.add(() -> {
            p.getOutputStream().close();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        });
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("PORTS ")) {
            throw new IllegalStateException("the mock server did not start: " + line);
        }
        String[] parts = line.split(" ");
        return new Ports(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), Integer.parseInt(parts[3]));
    }

    private static String base(int port) {
        return "http://127.0.0.1:" + port + "/v1";
    }

    private static ChatModel direct(String baseUrl) {
        return OpenAiChatModel.builder().baseUrl(baseUrl).apiKey(KEY).modelName("gpt-4o-mini")
                .timeout(Duration.ofSeconds(30)).build();
    }

    private static StreamingChatModel directStreaming(String baseUrl) {
        return OpenAiStreamingChatModel.builder().baseUrl(baseUrl).apiKey(KEY).modelName("gpt-4o-mini")
                .timeout(Duration.ofSeconds(30)).build();
    }

    private static String model(String id, String baseUrl, int priceIndex) {
        return "  - {id: " + id + ", provider: openai, model: gpt-4o-mini, baseUrl: \"" + baseUrl + "\", apiKey: "
                + KEY + ", capabilities: [chat, streaming, tools, json_mode], contextWindow: 128000, "
                + "maxOutputTokens: 4096, pricing: {input: " + cents(15 * priceIndex) + ", output: "
                + cents(60 * priceIndex) + "}}\n";
    }

    private static String cents(int c) {
        return String.format(Locale.ROOT, "%d.%02d", c / 100, c % 100);
    }

    private Mesh bareMesh(String baseUrl) {
        Mesh mesh = MeshConfig.parse("models:\n" + model("bench-0", baseUrl, 1)
                + "routing: {defaultTimeout: 30s}\n").build();
        closeLater.add(mesh);
        return mesh;
    }

    private Mesh fullMesh(String baseUrl) throws IOException {
        StringBuilder yaml = new StringBuilder("models:\n");
        for (int i = 0; i < BenchFixtures.MODEL_COUNT; i++) {
            yaml.append(model("bench-" + i, baseUrl, i + 1));
        }
        yaml.append("routing: {defaultTimeout: 30s}\n").append(FullChain.yaml("bench-"));
        Path audit = FullChain.auditDir();
        Map<String, String> env = FullChain.env(audit);
        Mesh mesh = MeshConfig.parse(yaml.toString(), env::get).build();
        closeLater.add(mesh);
        return mesh;
    }

    // ------------------------------------------------------------------ measuring

    /** What one variant measured over all rounds. */
    private static final class Series {
        final String name;
        final List<long[]> latencies = new ArrayList<>();
        final List<Double> cpuPerCall = new ArrayList<>();
        final List<Double> threadsPerCall = new ArrayList<>();
        final List<Double> p50PerRound = new ArrayList<>();

        Series(String name) {
            this.name = name;
        }

        long[] all() {
            return latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        }
    }

    private interface Call {
        void run() throws Exception;
    }

    /** Runs {@code n} calls one after the other; records latency per call, CPU and threads started per call. */
    private static void sequential(Series s, int n, Call call, @Nullable CpuSource extra) throws Exception {
        long[] lat = new long[n];
        long cpu0 = OS.getProcessCpuTime() + (extra == null ? 0 : extra.cpuNanos());
        long threads0 = THREADS.getTotalStartedThreadCount();
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            call.run();
            lat[i] = System.nanoTime() - t0;
        }
        long cpu = OS.getProcessCpuTime() + (extra == null ? 0 : extra.cpuNanos()) - cpu0;
        s.latencies.add(lat);
        s.cpuPerCall.add(cpu / (double) n);
        s.threadsPerCall.add((THREADS.getTotalStartedThreadCount() - threads0) / (double) n);
        long[] sorted = lat.clone();
        Arrays.sort(sorted);
        s.p50PerRound.add((double) percentile(sorted, 0.50));
    }

    private static void warm(int n, Call call) throws Exception {
        for (int i = 0; i < n; i++) {
            call.run();
        }
    }

    /** Calls per second with {@code threads} callers for {@code time}; also CPU per call. */
    private static double[] concurrent(int threads, Duration time, Call call) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long end = System.nanoTime() + time.toNanos();
        CountDownLatch finished = new CountDownLatch(threads);
        long cpu0 = OS.getProcessCpuTime();
        long t0 = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            pool.execute(() -> {
                try {
                    while (System.nanoTime() < end) {
                        try {
                            call.run();
                            done.incrementAndGet();
                        } catch (Exception e) {
                            failed.incrementAndGet();
                        }
                    }
                } finally {
                    finished.countDown();
                }
            });
        }
        finished.await();
        double seconds = (System.nanoTime() - t0) / 1e9;
        long cpu = OS.getProcessCpuTime() - cpu0;
        pool.shutdown();
        if (failed.get() > 0) {
            System.err.println("  " + failed.get() + " calls failed at c=" + threads);
        }
        return new double[] {done.get() / seconds, done.get() == 0 ? 0 : cpu / (double) done.get()};
    }

    /** Time to the first streamed token and to the end of the stream, in nanoseconds. */
    private static long[] stream(Function<StreamingChatResponseHandler, Runnable> start) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        long[] first = {-1};
        long t0 = System.nanoTime();
        StreamingChatResponseHandler handler = new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                if (first[0] < 0 && !partial.isEmpty()) {
                    first[0] = System.nanoTime() - t0;
                }
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.countDown();
            }

            @Override
            public void onError(Throwable error) {
                System.err.println("  stream failed: " + error);
                done.countDown();
            }
        };
        start.apply(handler).run();
        if (!done.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("a stream did not end within 60 s");
        }
        return new long[] {first[0], System.nanoTime() - t0};
    }

    // ------------------------------------------------------------------ Portkey

    /** CPU time of another process, for the gateway. */
    private interface CpuSource {
        long cpuNanos();
    }

    private record Portkey(String baseUrl, CpuSource cpu, String version) {
    }

    private @Nullable Portkey startPortkey() {
        String mode = options.getOrDefault("portkey", "auto");
        if (mode.equals("off")) {
            return null;
        }
        try {
            if (new ProcessBuilder("npm", "--version").redirectErrorStream(true).start().waitFor() != 0) {
                System.out.println("npm not found: no Portkey row");
                return null;
            }
            Path dir = Files.createTempDirectory("mesh-bench-portkey");
            System.out.println("installing @portkey-ai/gateway into " + dir + " ...");
            Process install = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--loglevel=error",
                    "@portkey-ai/gateway").directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("npm.log").toFile()).start();
            if (!install.waitFor(10, TimeUnit.MINUTES) || install.exitValue() != 0) {
                System.out.println("npm install failed (see " + dir.resolve("npm.log") + "): no Portkey row");
                return null;
            }
            Path pkg = dir.resolve("node_modules/@portkey-ai/gateway");
            String version = new String(Files.readAllBytes(pkg.resolve("package.json")), StandardCharsets.UTF_8)
                    .replaceAll("(?s).*?\"version\"\\s*:\\s*\"([^\"]+)\".*", "$1");
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            ProcessBuilder pb = new ProcessBuilder("node", pkg.resolve("build/start-server.js").toString(),
                    "--port=" + port, "--headless").redirectErrorStream(true)
                    .redirectOutput(dir.resolve("gateway.log").toFile());
            pb.environment().put("NODE_ENV", "production");
            pb.environment().put("TRUSTED_CUSTOM_HOSTS", "127.0.0.1,localhost");
            Process gw = pb.start();
            closeLater.add(() -> {
                gw.destroy();
                if (!gw.waitFor(5, TimeUnit.SECONDS)) {
                    gw.destroyForcibly();
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try (Socket ignored = new Socket("127.0.0.1", port)) {
                    break;
                } catch (IOException e) {
                    if (System.nanoTime() > deadline || !gw.isAlive()) {
                        System.out.println("the Portkey gateway did not start (see " + dir.resolve("gateway.log")
                                + "): no Portkey row");
                        return null;
                    }
                    Thread.sleep(100);
                }
            }
            long pid = gw.pid();
            return new Portkey("http://127.0.0.1:" + port + "/v1", () -> procCpuNanos(pid), version);
        } catch (IOException | InterruptedException e) {
            System.out.println("Portkey skipped: " + e);
            return null;
        }
    }

    /** utime + stime of a process from /proc, in nanoseconds (clock ticks of 10 ms). */
    private static long procCpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * 10_000_000L;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ChatModel throughPortkey(Portkey pk, String upstream) {
        return OpenAiChatModel.builder().baseUrl(pk.baseUrl()).apiKey(KEY).modelName("gpt-4o-mini")
                .customHeaders(Map.of("x-portkey-provider", "openai", "x-portkey-custom-host", upstream))
                // Portkey answers langchain4j's default "Upgrade: h2c" on plain http with a 500
                .httpClientBuilder(JdkHttpClient.builder()
                        .httpClientBuilder(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)))
                .timeout(Duration.ofSeconds(30)).build();
    }

    // ------------------------------------------------------------------ the run

    private void run() throws Exception {
        int rounds = option("rounds", 6);
        int calls = option("calls", 400);
        int warmup = option("warmup", 3000);
        int streams = option("streams", 15);
        Duration c64 = Duration.ofSeconds(option("c64-seconds", 4));
        Ports ports = startMock();
        String fast = base(ports.fast());
        String slow = base(ports.slow());
        String streaming = base(ports.stream());
        System.out.printf(Locale.ROOT, "%d cores, %s %s; mock on 127.0.0.1 (separate process); %d rounds x %d calls "
                        + "at c=1 after %d warm-up calls per variant%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"), rounds, calls, warmup);

        ChatModel direct = direct(fast);
        Mesh bare = bareMesh(fast);
        Mesh full = fullMesh(fast);
        Portkey portkey = startPortkey();
        ChatModel viaPortkey = portkey == null ? null : throughPortkey(portkey, fast);

        Map<String, Call> variants = new LinkedHashMap<>();
        variants.put("direct", () -> direct.chat(request));
        variants.put("bare", () -> bare.chat(request, context));
        variants.put("full", () -> full.chat(request, context));
        if (viaPortkey != null) {
            variants.put("portkey", () -> viaPortkey.chat(request));
        }
        for (Map.Entry<String, Call> v : variants.entrySet()) {
            System.out.println("warming up " + v.getKey() + " ...");
            warm(v.getKey().equals("portkey") ? warmup / 3 : warmup, v.getValue());
        }

        // c=1: latency and client CPU, interleaved rounds
        Map<String, Series> series = new LinkedHashMap<>();
        variants.keySet().forEach(k -> series.put(k, new Series(k)));
        for (int r = 0; r < rounds; r++) {
            for (Map.Entry<String, Call> v : variants.entrySet()) {
                CpuSource extra = v.getKey().equals("portkey") ? portkey.cpu() : null;
                sequential(series.get(v.getKey()), calls, v.getValue(), extra);
            }
            System.out.println("round " + (r + 1) + "/" + rounds + " done");
        }

        // c=64 against the 50 ms upstream
        ChatModel directSlow = direct(slow);
        Mesh bareSlow = bareMesh(slow);
        Mesh fullSlow = fullMesh(slow);
        Map<String, Call> slowVariants = new LinkedHashMap<>();
        slowVariants.put("direct", () -> directSlow.chat(request));
        slowVariants.put("bare", () -> bareSlow.chat(request, context));
        slowVariants.put("full", () -> fullSlow.chat(request, context));
        Map<String, List<double[]>> c64Results = new LinkedHashMap<>();
        slowVariants.keySet().forEach(k -> c64Results.put(k, new ArrayList<>()));
        for (Map.Entry<String, Call> v : slowVariants.entrySet()) {
            concurrent(64, Duration.ofSeconds(2), v.getValue()); // warm-up: connections and threads
        }
        for (int r = 0; r < Math.max(2, rounds / 2); r++) {
            for (Map.Entry<String, Call> v : slowVariants.entrySet()) {
                c64Results.get(v.getKey()).add(concurrent(64, c64, v.getValue()));
            }
        }

        // streams: time to first token, 50 chunks 10 ms apart, PII redaction and restore on the mesh
        StreamingChatModel directStream = directStreaming(streaming);
        Mesh fullStream = fullMesh(streaming);
        Mesh bareStream = bareMesh(streaming);
        Map<String, Function<StreamingChatResponseHandler, Runnable>> streamVariants = new LinkedHashMap<>();
        streamVariants.put("direct", h -> () -> directStream.chat(request, h));
        streamVariants.put("bare", h -> () -> bareStream.stream(request, context, h));
        streamVariants.put("full", h -> () -> fullStream.stream(request, context, h));
        Map<String, List<long[]>> ttft = new LinkedHashMap<>();
        streamVariants.keySet().forEach(k -> ttft.put(k, new ArrayList<>()));
        for (Function<StreamingChatResponseHandler, Runnable> v : streamVariants.values()) {
            for (int i = 0; i < 3; i++) {
                stream(v);
            }
        }
        int streamRounds = Math.max(1, rounds / 2);
        for (int r = 0; r < streamRounds; r++) {
            for (Map.Entry<String, Function<StreamingChatResponseHandler, Runnable>> v : streamVariants.entrySet()) {
                for (int i = 0; i < Math.max(1, streams / streamRounds); i++) {
                    ttft.get(v.getKey()).add(stream(v.getValue()));
                }
            }
        }

        print(series, c64Results, ttft, portkey);
    }

    // ------------------------------------------------------------------ the table

    private static void print(Map<String, Series> series, Map<String, List<double[]>> c64,
                              Map<String, List<long[]>> ttft, @Nullable Portkey portkey) {
        Series direct = series.get("direct");
        System.out.println();
        System.out.println("| variant | p50 | p99 | client CPU per call | threads started per call |");
        System.out.println("|---|---:|---:|---:|---:|");
        for (Series s : series.values()) {
            long[] all = s.all();
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %.3f |%n", s.name, us(percentile(all, 0.5)),
                    us(percentile(all, 0.99)), us(median(s.cpuPerCall)), median(s.threadsPerCall));
        }
        System.out.println();
        System.out.println("| what | measured (median over rounds of the pair's difference) | target |");
        System.out.println("|---|---|---|");
        row("mesh bare, client CPU added per call", addedUs(series.get("bare").cpuPerCall, direct.cpuPerCall)
                + " (direct " + us(median(direct.cpuPerCall)) + ")", "<= 30 us");
        row("mesh bare, p50 added at c=1", addedUs(series.get("bare").p50PerRound, direct.p50PerRound), "<= 30 us");
        row("full chain, client CPU added per call", addedUs(series.get("full").cpuPerCall, direct.cpuPerCall),
                "<= 60 us");
        row("full chain, p50 added at c=1", addedUs(series.get("full").p50PerRound, direct.p50PerRound), "-");
        double[] ratio = new double[c64.get("direct").size()];
        double[] bareRatio = new double[ratio.length];
        for (int i = 0; i < ratio.length; i++) {
            ratio[i] = c64.get("full").get(i)[0] / c64.get("direct").get(i)[0];
            bareRatio[i] = c64.get("bare").get(i)[0] / c64.get("direct").get(i)[0];
        }
        row("c=64, mock 50 ms, full chain: throughput relative to direct", String.format(Locale.ROOT,
                "%.3f (direct %.0f calls/s; bare %.3f)", medianOf(ratio),
                medianOf(c64.get("direct").stream().mapToDouble(d -> d[0]).toArray()), medianOf(bareRatio)),
                ">= 0.98");
        long directTtft = medianLong(ttft.get("direct").stream().mapToLong(t -> t[0]).toArray());
        long fullTtft = medianLong(ttft.get("full").stream().mapToLong(t -> t[0]).toArray());
        long bareTtft = medianLong(ttft.get("bare").stream().mapToLong(t -> t[0]).toArray());
        row("stream with PII redaction and restore: TTFT added (50 chunks 10 ms apart)",
                String.format(Locale.ROOT, "%s (direct %s, bare mesh %s, full %s; whole stream: direct %s, full %s)",
                        ms(fullTtft - directTtft), ms(directTtft), ms(bareTtft), ms(fullTtft),
                        ms(medianLong(ttft.get("direct").stream().mapToLong(t -> t[1]).toArray())),
                        ms(medianLong(ttft.get("full").stream().mapToLong(t -> t[1]).toArray()))), "<= 5 ms");
        if (portkey != null) {
            double pk = addedMedian(series.get("portkey").cpuPerCall, direct.cpuPerCall);
            double mesh = addedMedian(series.get("full").cpuPerCall, direct.cpuPerCall);
            row("Portkey " + portkey.version() + " (client + node CPU) added per call, divided by the full chain's",
                    String.format(Locale.ROOT, "%.1fx (Portkey +%s, p50 +%s)", pk / mesh, us(pk),
                            us(addedMedian(series.get("portkey").p50PerRound, direct.p50PerRound))), ">= 10x");
        } else {
            row("Portkey OSS gateway", "not measured (npm absent or --portkey=off)", ">= 10x");
        }
    }

    private static void row(String what, String measured, String target) {
        System.out.println("| " + what + " | " + measured + " | " + target + " |");
    }

    private static String addedUs(List<Double> variant, List<Double> direct) {
        return "+" + us(addedMedian(variant, direct));
    }

    /** The median over rounds of (variant - direct) in the same round. */
    private static double addedMedian(List<Double> variant, List<Double> direct) {
        double[] d = new double[Math.min(variant.size(), direct.size())];
        for (int i = 0; i < d.length; i++) {
            d[i] = variant.get(i) - direct.get(i);
        }
        return medianOf(d);
    }

    private static double median(List<Double> v) {
        return medianOf(v.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static double medianOf(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length == 0 ? Double.NaN : s.length % 2 == 1 ? s[s.length / 2]
                : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static long medianLong(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s.length == 0 ? 0 : s[s.length / 2];
    }

    private static long percentile(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static String us(double nanos) {
        return String.format(Locale.ROOT, "%.0f us", nanos / 1000);
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    private void closeAll() {
        for (int i = closeLater.size() - 1; i >= 0; i--) {
            try {
                closeLater.get(i).close();
            } catch (Exception e) {
                System.err.println("closing: " + e);
            }
        }
    }
}
