package dev.llmmesh.bench;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.CallContext;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshBuilder;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.bench.internal.BenchFixtures;
import dev.llmmesh.bench.internal.FullChain;
import dev.llmmesh.bench.internal.ZeroLatencyClient.TimeoutPath;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * The full governance chain ({@link FullChain}: baseline and team overlay, PII pseudonymization of an e-mail and a
 * phone number on a 1 KB prompt with restore, budget, RPM limit, input and output guardrails, file audit) on a mesh of
 * ten zero-latency in-process models, against the same mesh without any of it. The clients answer on the caller's
 * thread, so the figures are what the chain costs on top of the core. Run:
 * <pre>{@code
 * ./mvnw -o -B -q -pl mesh-bench -am package -DskipTests
 * java -jar mesh-bench/target/benchmarks.jar FullChain -prof gc
 * }</pre>
 *
 * <p>Lifecycle: one instance per trial; {@link #setUp()} builds both meshes (the audit log goes to a temporary folder,
 * deleted by {@link #tearDown()}).
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.SampleTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class FullChainBenchmark {
    private @Nullable Mesh bare;
    private @Nullable Mesh governed;
    private @Nullable Path auditDir;
    private ChatRequest request = FullChain.piiRequest();
    private CallContext context = BenchFixtures.context();

    /** Builds the bare and the governed mesh. */
    @Setup(Level.Trial)
    public void setUp() {
        request = FullChain.piiRequest();
        context = BenchFixtures.context();
        try {
            auditDir = FullChain.auditDir();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        bare = Mesh.builder().addModels(BenchFixtures.tenModels(TimeoutPath.CALLER_THREAD)).build();
        governed = governedMesh(auditDir);
    }

    /** A mesh of ten zero-latency models with {@link FullChain}, auditing to {@code auditDir}. */
    static Mesh governedMesh(Path auditDir) {
        MeshBuilder builder = Mesh.builder().addModels(BenchFixtures.tenModels(TimeoutPath.CALLER_THREAD));
        return FullChain.apply(FullChain.yaml("bench-model-"), FullChain.env(auditDir), builder).build();
    }

    /** Closes the meshes and deletes the audit folder. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (bare != null) {
            bare.close();
        }
        if (governed != null) {
            governed.close();
        }
        if (auditDir != null) {
            try (Stream<Path> files = Files.walk(auditDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temporary folder left behind
            }
        }
    }

    /** The mesh without interceptors: ten models, routing, pricing. */
    @Benchmark
    public MeshResponse bareMesh() {
        return bare().chat(request, context);
    }

    /** The same call through the full governance chain. */
    @Benchmark
    public MeshResponse fullChain() {
        return governed().chat(request, context);
    }

    /** The full chain on two threads sharing one mesh, in calls per second. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(2)
    public MeshResponse throughputFullChain() {
        return governed().chat(request, context);
    }

    // ------------------------------------------------------------------ for the smoke test

    Mesh bare() {
        return requireSetUp(bare);
    }

    Mesh governed() {
        return requireSetUp(governed);
    }

    ChatRequest request() {
        return request;
    }

    private static <T> T requireSetUp(@Nullable T value) {
        if (value == null) {
            throw new IllegalStateException("FullChainBenchmark.setUp() has not run; JMH calls it per trial, "
                    + "tests must call it first");
        }
        return value;
    }
}
