package dev.llmmesh.bench;

import dev.llmmesh.rag.store.Chunk;
import dev.llmmesh.rag.store.DocumentChunks;
import dev.llmmesh.rag.store.HybridQuery;
import dev.llmmesh.rag.store.LuceneChunkStore;
import dev.llmmesh.rag.store.ScoredChunk;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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
 * Hybrid top-10 retrieval (BM25 and HNSW vectors fused by reciprocal rank) from an in-memory Lucene store of
 * synthetic chunks: 80-word texts from a Zipf-like vocabulary and 384-dimension unit vectors clustered around 500
 * topics (like real embeddings). Query embedding is excluded: it is the model's cost, not the store's. The index is
 * merged to one segment before measuring. 100k chunks take a couple of minutes to index on 2 cores.
 *
 * <p>Run: {@code java -jar mesh-bench/target/benchmarks.jar RagQuery -p chunks=10000,100000}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RagQueryBenchmark {
    private static final int DIM = 384;
    private static final int TOPICS = 500;
    private static final int VOCABULARY = 20_000;

    @Param({"10000"})
    public int chunks;

    private LuceneChunkStore store;
    private float[][] centres;
    private String[] words;
    private SplittableRandom random;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom r = new SplittableRandom(3);
        words = new String[VOCABULARY];
        for (int i = 0; i < VOCABULARY; i++) {
            words[i] = Integer.toString(i * 7919 + 104_729, 36);
        }
        centres = new float[TOPICS][];
        for (int t = 0; t < TOPICS; t++) {
            float[] c = new float[DIM];
            for (int i = 0; i < DIM; i++) {
                c[i] = (float) r.nextDouble(-1, 1);
            }
            centres[t] = unit(c);
        }
        store = LuceneChunkStore.inMemory();
        List<DocumentChunks> batch = new ArrayList<>(1000);
        for (int i = 0; i < chunks; i++) {
            String id = "doc-" + i;
            Chunk c = new Chunk("bench", Chunk.idFor(id, 0), id, "h" + i, text(r, 80), "", "", 0, 0, Map.of());
            batch.add(new DocumentChunks("bench", id, "h" + i, List.of(c), List.of(vector(r))));
            if (batch.size() == 1000) {
                store.replaceDocuments(batch);
                batch.clear();
            }
        }
        store.replaceDocuments(batch);
        store.flush();
        store.optimize();
        random = new SplittableRandom(99);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        store.close();
    }

    @Benchmark
    public List<ScoredChunk> hybridTop10() {
        return store.searchHybrid(new HybridQuery("bench", List.of(text(random, 6)), List.of(vector(random)), Map.of(),
                50, 1.0, 1.0, 60, 10));
    }

    private String text(SplittableRandom r, int n) {
        StringBuilder sb = new StringBuilder(n * 6);
        for (int i = 0; i < n; i++) {
            // Zipf-like: small indexes are far more frequent
            int w = (int) Math.min(VOCABULARY - 1, Math.floor(Math.pow(VOCABULARY, r.nextDouble())) - 1);
            sb.append(i == 0 ? "" : " ").append(words[Math.max(0, w)]);
        }
        return sb.toString();
    }

    private float[] vector(SplittableRandom r) {
        float[] c = centres[r.nextInt(TOPICS)];
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = c[i] + (float) (r.nextDouble(-1, 1) * 0.08);
        }
        return unit(v);
    }

    private static float[] unit(float[] v) {
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        float inv = (float) (1 / Math.sqrt(n));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
        return v;
    }
}
