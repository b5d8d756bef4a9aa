package dev.llmmesh.rag;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.llmmesh.rag.ingest.EmbeddingModels;
import dev.llmmesh.rag.ingest.IngestReport;
import dev.llmmesh.rag.ingest.Ingestor;
import dev.llmmesh.rag.ingest.SourceDocument;
import dev.llmmesh.rag.ingest.Splitter;
import dev.llmmesh.rag.store.Chunk;
import dev.llmmesh.rag.store.DocumentChunks;
import dev.llmmesh.rag.store.HybridQuery;
import dev.llmmesh.rag.store.LuceneChunkStore;
import dev.llmmesh.rag.store.ScoredChunk;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A plain timing program (not a test: timings are never asserted) for the speed figures of the RAG issue, to be
 * moved into mesh-bench as JMH benchmarks:
 * <ol>
 *   <li>ingestion throughput (chunks/s) with the in-jar all-MiniLM-L6-v2 model, chunks of about 200 tokens;</li>
 *   <li>query embedding latency with the same model;</li>
 *   <li>hybrid top-10 latency ({@link LuceneChunkStore#searchHybrid}: BM25 top-50 + HNSW top-50 + reciprocal-rank
 *       fusion, query embedding excluded) over 10k and 100k synthetic chunks in the in-memory Lucene store. Texts
 *       are drawn from a Zipf vocabulary; vectors are 384-dimensional and clustered around 500 random topic
 *       centres (cosine to their centre about 0.75), as sentence embeddings are, so nothing needs embedding 100k
 *       times. Uniformly random vectors would be a worst case no embedding model produces.</li>
 * </ol>
 * Run: {@code java -cp <test classpath> dev.llmmesh.rag.RagSpeedBenchmark [sizes...]} (default 10000 100000).
 */
public final class RagSpeedBenchmark {
    private static final int DIM = 384;
    private static final int VOCABULARY = 20_000;
    private static final String[] WORDS = new String[VOCABULARY];
    private static final String ENGLISH = "the payment refund card bank merchant customer account balance payout "
            + "dispute evidence days business within after before when which order amount captured partial network "
            + "request response error retry limit second minute hour key header server client provider outage "
            + "incident engineer traffic switch queue report settlement review team support policy document "
            + "chapter section guide install configure run test model answer question source citation index "
            + "search query vector text heading title chunk store memory disk restart identical stale replace "
            + "is are was were be been has have had do does did can could will would should may might must "
            + "a an and or but if then else for from with without into onto over under between about against "
            + "this that these those it its they them their we our you your he she his her one two three many";
    private static final int TOPICS = 500;
    private static final float[][] CENTRES = new float[TOPICS][];
    private static final double[] CUMULATIVE = new double[VOCABULARY];

    static {
        SplittableRandom r = new SplittableRandom(7);
        double sum = 0;
        for (int i = 0; i < VOCABULARY; i++) {
            StringBuilder w = new StringBuilder();
            int len = 3 + r.nextInt(8);
            for (int c = 0; c < len; c++) {
                w.append((char) ('a' + r.nextInt(26)));
            }
            WORDS[i] = w.toString();
            sum += 1.0 / (i + 1);
            CUMULATIVE[i] = sum;
        }
        for (int i = 0; i < VOCABULARY; i++) {
            CUMULATIVE[i] /= sum;
        }
        for (int t = 0; t < TOPICS; t++) {
            float[] c = new float[DIM];
            for (int i = 0; i < DIM; i++) {
                c[i] = (float) r.nextDouble(-1, 1);
            }
            CENTRES[t] = normalize(c);
        }
    }

    private RagSpeedBenchmark() {
    }

    public static void main(String[] args) {
        int[] sizes = args.length == 0 ? new int[] {10_000, 100_000}
                : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        System.out.println("cores=" + Runtime.getRuntime().availableProcessors() + ", java="
                + System.getProperty("java.version"));
        ingestion();
        for (int n : sizes) {
            hybridLatency(n);
        }
    }

    private static void ingestion() {
        EmbeddingModel model = EmbeddingModels.inJar();
        SplittableRandom r = new SplittableRandom(1);
        model.embed("warm up the model");
        List<SourceDocument> warm = documents(r, 32, "warm");
        List<SourceDocument> docs = documents(r, 256, "doc");
        try (LuceneChunkStore store = LuceneChunkStore.inMemory()) {
            Ingestor ingestor = Ingestor.builder(store).embeddingModel(model).splitter(Splitter.whole()).build();
            ingestor.ingest("warm", warm);
            long t0 = System.nanoTime();
            IngestReport report = ingestor.ingest("bench", docs);
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "ingestion (in-jar all-MiniLM-L6-v2, ~200-token chunks): %d chunks in "
                    + "%.1f s = %.1f chunks/s%n", report.chunks(), s, report.chunks() / s);
        }
        long[] ns = new long[50];
        for (int i = 0; i < ns.length; i++) {
            String q = text(r, 12);
            long t0 = System.nanoTime();
            model.embed(q);
            ns[i] = System.nanoTime() - t0;
        }
        Arrays.sort(ns);
        System.out.printf(Locale.ROOT, "query embedding (12 words): p50 %.2f ms, p90 %.2f ms%n", ns[25] / 1e6,
                ns[45] / 1e6);
    }

    private static void hybridLatency(int n) {
        SplittableRandom r = new SplittableRandom(n);
        try (LuceneChunkStore store = LuceneChunkStore.inMemory()) {
            long t0 = System.nanoTime();
            List<DocumentChunks> batch = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String id = "d" + i;
                Chunk c = new Chunk("bench", Chunk.idFor(id, 0), id, "h", text(r, 80), "", "", 0, 0, Map.of());
                batch.add(new DocumentChunks("bench", id, "h", List.of(c), List.of(near(r))));
                if (batch.size() == 1000) {
                    store.replaceDocuments(batch);
                    batch.clear();
                }
            }
            store.replaceDocuments(batch);
            store.flush();
            System.out.printf(Locale.ROOT, "%,d synthetic chunks indexed (BM25 + HNSW) in %.1f s%n", n,
                    (System.nanoTime() - t0) / 1e9);
            measure(store, r, n, "as ingested");
            long t1 = System.nanoTime();
            store.optimize();
            System.out.printf(Locale.ROOT, "optimize() (merge to one segment) in %.1f s%n",
                    (System.nanoTime() - t1) / 1e9);
            measure(store, r, n, "after optimize()");
        }
    }

    private static void measure(LuceneChunkStore store, SplittableRandom r, int n, String state) {
        int warmup = 300;
        int measured = 1000;
        long[] ns = new long[measured];
        for (int i = 0; i < warmup + measured; i++) {
            HybridQuery q = new HybridQuery("bench", List.of(text(r, 6)), List.of(near(r)), Map.of(), 50, 1.0, 1.0,
                    60, 10);
            long s = System.nanoTime();
            List<ScoredChunk> top = store.searchHybrid(q);
            long d = System.nanoTime() - s;
            if (top.isEmpty()) {
                throw new IllegalStateException("no result");
            }
            if (i >= warmup) {
                ns[i - warmup] = d;
            }
        }
        Arrays.sort(ns);
        System.out.printf(Locale.ROOT, "hybrid top-10 over %,d chunks, %s (in memory, embedding excluded): "
                + "p50 %.2f ms, p90 %.2f ms, p99 %.2f ms%n", n, state, ns[measured / 2] / 1e6,
                ns[measured * 9 / 10] / 1e6, ns[measured * 99 / 100] / 1e6);
    }

    /** Documents of about 150 English words (about 200 word pieces), so the tokenizer sees realistic text. */
    private static List<SourceDocument> documents(SplittableRandom r, int count, String prefix) {
        String[] english = ENGLISH.split(" ");
        List<SourceDocument> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            StringBuilder sb = new StringBuilder();
            for (int w = 0; w < 150; w++) {
                sb.append(w == 0 ? "" : w % 15 == 0 ? ". " : " ").append(english[r.nextInt(english.length)]);
            }
            out.add(SourceDocument.of(prefix + i, sb.append('.').toString()));
        }
        return out;
    }

    private static String text(SplittableRandom r, int words) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < words; i++) {
            double u = r.nextDouble();
            int idx = Arrays.binarySearch(CUMULATIVE, u);
            idx = idx >= 0 ? idx : Math.min(VOCABULARY - 1, -idx - 1);
            sb.append(i == 0 ? "" : " ").append(WORDS[idx]);
        }
        return sb.toString();
    }

    /** A unit vector near a random topic centre (Gaussian noise, cosine to the centre about 0.75). */
    private static float[] near(SplittableRandom r) {
        float[] c = CENTRES[r.nextInt(TOPICS)];
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = c[i] + (float) (gaussian(r) * 0.045);
        }
        return normalize(v);
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    private static float[] normalize(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        for (int i = 0; i < v.length; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }
}
