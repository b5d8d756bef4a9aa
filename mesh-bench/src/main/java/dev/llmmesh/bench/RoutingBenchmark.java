package dev.llmmesh.bench;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.CallContext;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshBuilder;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.bench.internal.BenchFixtures;
import dev.llmmesh.bench.internal.ZeroLatencyClient;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of routing per call as the number of registered models grows: a mesh over 10 or 100 zero-latency models
 * (no metrics, no interceptors), so that filtering, scoring and planning dominate.
 *
 * <p>Run: {@code java -jar mesh-bench/target/benchmarks.jar Routing -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RoutingBenchmark {

    @Param({"10", "100"})
    public int models;

    private Mesh mesh;
    private ChatRequest request;
    private CallContext context;

    @Setup(Level.Trial)
    public void setUp() {
        MeshBuilder b = Mesh.builder();
        BenchFixtures.models(models, ZeroLatencyClient.TimeoutPath.CALLER_THREAD).forEach(b::addModel);
        mesh = b.build();
        request = BenchFixtures.oneKilobyteRequest();
        context = BenchFixtures.context();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        mesh.close();
    }

    @Benchmark
    public MeshResponse route() {
        return mesh.chat(request, context);
    }
}
