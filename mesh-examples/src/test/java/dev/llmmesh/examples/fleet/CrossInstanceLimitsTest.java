package dev.llmmesh.examples.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmmesh.testkit.RedisServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Four mesh instances in four JVMs (started with this test's class path) × 8 threads against one redis-server and one
 * team limit of 600 RPM / 100k TPM. CI runs 30 s per instance; every minute window is checked for admitted <= limit + 1%, and each window in which the
 * limit refused a call (so demand exceeded it) for >= 95% of the limit; {@code -Dmesh.redis.scenario23Seconds=300} runs the full 5 minutes.
 */
class CrossInstanceLimitsTest {
    static final int SECONDS = Integer.getInteger("mesh.redis.scenario23Seconds", 30);

    @Test
    void scenario23_fourInstancesInSeparateJvmsAdmitAtMostTheLimitPerMinuteAndNearlyAllOfIt() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<Process> jvms = new ArrayList<>();
            long start = System.currentTimeMillis() + 20_000; // every JVM warmed up by then, all start together
            for (int i = 0; i < 4; i++) {
                jvms.add(new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                        Scenario23Instance.class.getName(), redis.uri(), Integer.toString(SECONDS), "8",
                        Long.toString(start))
                        .redirectErrorStream(true).start());
            }
            Map<Long, long[]> total = new TreeMap<>(); // admitted, first, last, errors
            List<String> stores = new ArrayList<>();
            for (Process p : jvms) {
                StringBuilder all = new StringBuilder();
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        all.append(line).append('\n');
                        if (line.startsWith("W ")) {
                            String[] f = line.split(" ");
                            long[] t = total.computeIfAbsent(Long.parseLong(f[1]),
                                    k -> new long[] {0, Long.MAX_VALUE, 0, 0, 0});
                            t[0] += Long.parseLong(f[2]);
                            t[1] = Math.min(t[1], Long.parseLong(f[3]));
                            t[2] = Math.max(t[2], Long.parseLong(f[4]));
                            t[3] += Long.parseLong(f[5]);
                            t[4] += Long.parseLong(f[6]);
                        } else if (line.startsWith("STORE ")) {
                            stores.add(line);
                        }
                    }
                }
                assertThat(p.waitFor(SECONDS + 120L, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as("instance output:\n" + all).isZero();
            }
            assertThat(stores).hasSize(4);
            int checked = 0;
            stores.forEach(s -> System.out.println("scenario 23: " + s));
            for (Map.Entry<Long, long[]> e : total.entrySet()) {
                long[] t = e.getValue();
                long spanMs = t[2] - t[1];
                System.out.printf("scenario 23: minute %d: admitted %d of 600 over 4 JVMs, %d refused by the limit "
                        + "(active %d ms, %d calls while the store did not answer)%n", e.getKey(), t[0], t[4], spanMs,
                        t[3]);
                if (t[3] > 0) {
                    // degraded (the store timed out on this loaded machine): each instance adds at most its local
                    // share limit/4 beyond what it already admitted: never unlimited
                    assertThat(t[0]).as("minute " + e.getKey() + ", degraded: <= limit + 4 x limit/4")
                            .isLessThanOrEqualTo(1200);
                    continue;
                }
                assertThat(t[0]).as("minute " + e.getKey() + ": admitted <= limit + 1%").isLessThanOrEqualTo(606);
                if (t[4] > 0) {
                    // a call refused by the shared counter means it was full: excess demand in this window
                    assertThat(t[0]).as("minute " + e.getKey() + ": >= 95% of the limit under excess demand")
                            .isGreaterThanOrEqualTo(570);
                    checked++;
                }
            }
            assertThat(total).as("windows seen").isNotEmpty();
            System.out.println("scenario 23: " + checked + " window(s) under excess demand checked for >= 95%");
        }
    }
}
