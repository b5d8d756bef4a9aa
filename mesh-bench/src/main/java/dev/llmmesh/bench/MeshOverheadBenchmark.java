package dev.llmmesh.bench;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmmesh.CallContext;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.bench.internal.BenchFixtures;
import dev.llmmesh.bench.internal.ZeroLatencyClient;
import dev.llmmesh.bench.internal.ZeroLatencyClient.TimeoutPath;
import dev.llmmesh.event.MeshListener;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the mesh adds to a call: the same zero-latency in-process model called directly, and through a mesh of ten
 * registered models (different prices, all able to serve the call) with a no-op {@link MeshListener}, with and
 * without Micrometer metrics on a {@link SimpleMeterRegistry}. No call interceptors are installed, so this is the
 * core path only: routing over ten candidates, one attempt, pricing, events, meters, with the default
 * {@link dev.llmmesh.routing.RouterConfig} (breakers on). The request is a system plus a user message of about 1 KB.
 * The clients answer on the caller's thread ({@link TimeoutPath#CALLER_THREAD}), as a client that answers at once
 * should; {@link #meshThreadHop()} shows what a client that keeps {@code LlmClient}'s default time-bounded call pays.
 *
 * <p>Latency methods run single-threaded in {@link Mode#AverageTime} and {@link Mode#SampleTime} (p50, p99);
 * {@code throughput*} methods run on two threads sharing one mesh. Run:
 * <pre>{@code
 * ./mvnw -o -B -q -pl mesh-bench package -DskipTests
 * java -jar mesh-bench/target/benchmarks.jar MeshOverhead -prof gc
 * }</pre>
 *
 * <p>Lifecycle: JMH creates one instance per trial, shared by its threads ({@link Scope#Benchmark}); {@link #setUp()}
 * builds the meshes, {@link #tearDown()} closes them. The meshes are thread-safe, the rest is read-only after setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class MeshOverheadBenchmark {
    private @Nullable ZeroLatencyClient direct;
    private @Nullable Mesh meshWithMetrics;
    private @Nullable Mesh meshWithoutMetrics;
    private @Nullable Mesh meshWithThreadHop;
    private @Nullable SimpleMeterRegistry registry;
    private ChatRequest request = BenchFixtures.oneKilobyteRequest();
    private CallContext context = BenchFixtures.context();

    /** Builds the direct client and the three meshes. */
    @Setup(Level.Trial)
    public void setUp() {
        request = BenchFixtures.oneKilobyteRequest();
        context = BenchFixtures.context();
        // the model the mesh routes to (the cheapest), so "direct" and "mesh" end at the same client code
        direct = BenchFixtures.tenModels(TimeoutPath.CALLER_THREAD).get(0);
        registry = new SimpleMeterRegistry();
        meshWithMetrics = Mesh.builder()
                .addModels(BenchFixtures.tenModels(TimeoutPath.CALLER_THREAD))
                .addListener(new NoOpListener())
                .meterRegistry(registry)
                .build();
        meshWithoutMetrics = Mesh.builder()
                .addModels(BenchFixtures.tenModels(TimeoutPath.CALLER_THREAD))
                .addListener(new NoOpListener())
                .build();
        meshWithThreadHop = Mesh.builder()
                .addModels(BenchFixtures.tenModels(TimeoutPath.INTERFACE_DEFAULT))
                .addListener(new NoOpListener())
                .meterRegistry(new SimpleMeterRegistry())
                .build();
    }

    /** Closes the meshes. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (meshWithMetrics != null) {
            meshWithMetrics.close();
        }
        if (meshWithoutMetrics != null) {
            meshWithoutMetrics.close();
        }
        if (meshWithThreadHop != null) {
            meshWithThreadHop.close();
        }
    }

    /** The baseline: the client alone. */
    @Benchmark
    public ChatResponse directClient() {
        return direct().chat(request);
    }

    /** Through the mesh: ten models, a listener, metrics. */
    @Benchmark
    public MeshResponse meshMetrics() {
        return meshWithMetrics().chat(request, context);
    }

    /** Through the mesh: ten models, a listener, no metrics. */
    @Benchmark
    public MeshResponse meshNoMetrics() {
        return meshWithoutMetrics().chat(request, context);
    }

    /**
     * As {@link #meshMetrics()}, with clients that keep {@code LlmClient.chat(request, timeout)}'s default: every
     * attempt hops to the mesh's bounded-call pool and back.
     */
    @Benchmark
    public MeshResponse meshThreadHop() {
        return meshWithThreadHop().chat(request, context);
    }

    /** The baseline's throughput on two threads. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(2)
    public ChatResponse throughputDirectClient() {
        return direct().chat(request);
    }

    /** Throughput through the mesh with metrics, two threads sharing the mesh. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(2)
    public MeshResponse throughputMeshMetrics() {
        return meshWithMetrics().chat(request, context);
    }

    /** Throughput through the mesh without metrics, two threads sharing the mesh. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(2)
    public MeshResponse throughputMeshNoMetrics() {
        return meshWithoutMetrics().chat(request, context);
    }

    // ------------------------------------------------------------------ for the smoke test

    ZeroLatencyClient direct() {
        return requireSetUp(direct);
    }

    Mesh meshWithMetrics() {
        return requireSetUp(meshWithMetrics);
    }

    Mesh meshWithoutMetrics() {
        return requireSetUp(meshWithoutMetrics);
    }

    Mesh meshWithThreadHop() {
        return requireSetUp(meshWithThreadHop);
    }

    SimpleMeterRegistry registry() {
        return requireSetUp(registry);
    }

    ChatRequest request() {
        return request;
    }

    private static <T> T requireSetUp(@Nullable T value) {
        if (value == null) {
            throw new IllegalStateException("MeshOverheadBenchmark.setUp() has not run; JMH calls it per trial, "
                    + "tests must call it first");
        }
        return value;
    }

    /** Observes nothing: measures the cost of having a listener (event objects are built for it). */
    private static final class NoOpListener implements MeshListener {
    }
}
