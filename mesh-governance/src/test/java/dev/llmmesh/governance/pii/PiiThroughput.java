package dev.llmmesh.governance.pii;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.Random;

/**
 * A plain throughput measurement of PII scanning on mixed text (prose, numbers, dates, code-like tokens and about
 * one PII value per 400 characters), single-threaded. Not a unit test and not JMH: run it by hand,
 *
 * <pre>
 * ./mvnw -o -B -q -pl mesh-governance test-compile
 * java -cp "mesh-governance/target/test-classes:mesh-governance/target/classes:$(cat cp.txt)" \
 *     dev.llmmesh.governance.pii.PiiThroughput
 * </pre>
 *
 * (cp.txt from {@code ./mvnw -o -q -pl mesh-governance dependency:build-classpath -Dmdep.outputFile=cp.txt}).
 * The JMH version belongs in mesh-bench: a {@code @Benchmark} calling {@code PiiScanner.defaults().scan(text)} on
 * {@link #mixedText(int, long)}, reporting bytes per second.
 */
public final class PiiThroughput {
    private static final String[] WORDS = ("the of and to in is that for it as was with be by on not he this are or his "
            + "from at which but have an they you were her she there been one all we their has would when if so no "
            + "will can more about out up them some could what into only other then its time two may these like "
            + "order invoice customer account payment service request support ticket team model answer question "
            + "version release build deploy config error warning retry timeout latency").split(" ");
    private static final String[] PII = {"ann.lee@example.com", "+44 20 7946 0958", "4111 1111 1111 1111",
        "DE89 3704 0044 0532 0130 00", "123-45-6789", "10.0.12.255", "(415) 555-0100",
        "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z", "https://bob:pw@x.io/a", "2001:db8::8a2e:370:7334"};
    private static final String[] NOISE = {"1.2.3", "2024-05-17", "12:30:45", "$1,299.00", "#4521", "v2.7.1",
        "id=8842", "3f9a0c1d2b4e", "x86_64", "HTTP/1.1", "42", "1998", "95%", "std::vector<int>"};

    private PiiThroughput() {
    }

    /** About {@code chars} characters of mixed text, reproducible from {@code seed}. */
    public static String mixedText(int chars, long seed) {
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder(chars + 64);
        while (b.length() < chars) {
            int k = r.nextInt(100);
            if (k < 2) {
                b.append(PII[r.nextInt(PII.length)]);
            } else if (k < 12) {
                b.append(NOISE[r.nextInt(NOISE.length)]);
            } else {
                String w = WORDS[r.nextInt(WORDS.length)];
                b.append(r.nextInt(12) == 0 ? Character.toUpperCase(w.charAt(0)) + w.substring(1) : w);
            }
            b.append(r.nextInt(15) == 0 ? ". " : " ");
        }
        return b.toString();
    }

    public static void main(String[] args) {
        String text = mixedText(4 * 1024 * 1024, 42);
        PiiScanner scanner = PiiScanner.defaults();
        int hits = 0;
        for (int i = 0; i < 15; i++) { // warm-up
            hits = scanner.scan(text).size();
        }
        int rounds = 30;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long t0 = System.nanoTime();
        long c0 = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < rounds; i++) {
            hits += scanner.scan(text).size() - hits;
        }
        double cpu = (threads.getCurrentThreadCpuTime() - c0) / 1e9;
        double seconds = (System.nanoTime() - t0) / 1e9;
        double mb = (double) text.length() * rounds / (1024 * 1024);
        System.out.println(String.format(Locale.ROOT, "PII scan, default detectors, 1 thread: %.0f MB per CPU-second "
                + "(%.0f MB/s wall clock; %d MB of mixed ASCII text, %d hits per 4 MB)", mb / cpu, mb / seconds,
                (int) mb, hits));
        PiiScanner person = PiiScanner.builder().add(PiiDetectors.builtIn()).add(PiiDetectors.personNames()).build();
        for (int i = 0; i < 5; i++) {
            person.scan(text);
        }
        c0 = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < 10; i++) {
            person.scan(text);
        }
        cpu = (threads.getCurrentThreadCpuTime() - c0) / 1e9;
        System.out.println(String.format(Locale.ROOT, "PII scan, with person names, 1 thread: %.0f MB per CPU-second",
                text.length() * 10.0 / (1024 * 1024) / cpu));
    }
}
