package dev.llmmesh.bench;

import dev.llmmesh.governance.pii.PiiScanner;
import dev.llmmesh.governance.pii.PiiSpan;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * PII scanning throughput with the default detectors (email, phone, card with Luhn, IBAN with mod-97, SSN, IP,
 * secrets, URLs with credentials, dates of birth) on 1 MiB of mixed text: prose, numbers that look like PII but are
 * not (versions, dates, prices, ids), and about 2% real PII. One thread: the figure is per core.
 *
 * <p>Run: {@code java -jar mesh-bench/target/benchmarks.jar PiiScan}; MB/s = {@code bytes} counter / second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PiiScanBenchmark {
    private static final String[] WORDS = ("the order was shipped to our customer after the payment cleared and "
            + "support closed the ticket when the team confirmed that the release fixed the timeout in the "
            + "service so the model answered every question about latency retries and configuration").split(" ");
    private static final String[] PII = {"jane.doe@example.org", "+1 (415) 555-0134", "4111 1111 1111 1111",
        "GB82 WEST 1234 5698 7654 32", "078-05-1120", "192.168.10.24", "https://ops:hunter2@build.example.com/x"};
    private static final String[] LOOKALIKES = {"v3.14.2", "2025-11-03", "$2,450.00", "#88213", "10:45:12",
        "build 4411-2", "99.9%", "x509", "1234 5678 9012 3456"};

    private PiiScanner scanner;
    private String text;
    private int bytes;

    /** Bytes scanned, for MB/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        public long bytes;
    }

    @Setup(Level.Trial)
    public void setUp() {
        scanner = PiiScanner.defaults();
        text = mixedText(1 << 20, 11);
        bytes = text.getBytes(StandardCharsets.UTF_8).length;
    }

    @Benchmark
    public List<PiiSpan> scan(Counters counters) {
        counters.bytes += bytes;
        return scanner.scan(text);
    }

    /** About {@code chars} characters of mixed text, reproducible from {@code seed}. */
    static String mixedText(int chars, long seed) {
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder(chars + 64);
        while (b.length() < chars) {
            int k = r.nextInt(100);
            String token = k < 2 ? PII[r.nextInt(PII.length)]
                    : k < 10 ? LOOKALIKES[r.nextInt(LOOKALIKES.length)] : WORDS[r.nextInt(WORDS.length)];
            b.append(token).append(r.nextInt(14) == 0 ? ". " : " ");
        }
        return b.toString();
    }
}
