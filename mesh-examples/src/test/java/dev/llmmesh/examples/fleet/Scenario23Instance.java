package dev.llmmesh.examples.fleet;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.CallContext;
import dev.llmmesh.Mesh;
import dev.llmmesh.governance.budget.Scope;
import dev.llmmesh.governance.ratelimit.RateLimit;
import dev.llmmesh.governance.ratelimit.RateLimitConfig;
import dev.llmmesh.governance.ratelimit.RateLimitExceededException;
import dev.llmmesh.governance.ratelimit.RateLimitPlugin;
import dev.llmmesh.redis.RedisStateStore;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One mesh instance of the cross-instance limit scenario, in its own JVM: 8 threads call as fast as they may for the
 * given seconds against a team limit of 600 RPM and 100k TPM on the shared Redis, and print per minute window
 * {@code W <minute> <admitted> <firstMillis> <lastMillis> <degraded>} (degraded: calls during which the store did not
 * answer, so counted locally at limit/N). Arguments: Redis URI, seconds, threads, start time (epoch ms).
 */
public final class Scenario23Instance {
    private Scenario23Instance() {
    }

    public static void main(String[] args) throws Exception {
        String uri = args[0];
        int seconds = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        RedisStateStore store = RedisStateStore.builder(uri).timeout(Duration.ofSeconds(2))
                .connectTimeout(Duration.ofSeconds(5)).build();
        Mesh mesh = Mesh.builder().stateStore(store).addModel(new PricedModel("m", 1, 1, 50, 100))
                .install(RateLimitPlugin.of(RateLimitConfig.builder().instances(4)
                        .limit(RateLimit.of(Scope.TEAM, 600, 100_000)).build()))
                .build();
        // warm up (class loading, JIT, connection) before the clock starts: a JVM starting on a loaded machine
        // otherwise times out its first calls and counts them locally, which is the outage behaviour, not this one
        for (int i = 0; i < 500; i++) {
            try {
                store.getCounter("warmup");
                if (i > 20) {
                    break;
                }
            } catch (RuntimeException e) {
                Thread.sleep(50);
            }
        }
        Thread.sleep(Math.max(0, Long.parseLong(args[3]) - System.currentTimeMillis()));
        long endAt = Math.max(Long.parseLong(args[3]), System.currentTimeMillis()) + seconds * 1000L;
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from("hi")).maxOutputTokens(100).build();
        CallContext ctx = CallContext.forTeam("search");
        Map<Long, long[]> windows = new ConcurrentHashMap<>(); // admitted, first, last, errors
        long end = endAt;
        AtomicLong failures = new AtomicLong();
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            ts[t] = new Thread(() -> {
                while (System.currentTimeMillis() < end) {
                    long now = System.currentTimeMillis();
                    long[] w = windows.computeIfAbsent(now / 60_000, k -> new long[] {0, Long.MAX_VALUE, 0, 0, 0});
                    boolean admitted = false;
                    RedisStateStore.Stats before = store.stats();
                    boolean error = false;
                    boolean limited = false;
                    try {
                        mesh.chat(request, ctx);
                        admitted = true;
                    } catch (RateLimitExceededException e) {
                        limited = true; // the shared counter was full: excess demand
                    } catch (RuntimeException e) {
                        error = true;
                        failures.incrementAndGet();
                    }
                    RedisStateStore.Stats after = store.stats();
                    if (after.failures() + after.rejected() > before.failures() + before.rejected()) {
                        error = true; // the store did not answer: this call was counted locally (limit/N)
                    }
                    long done = System.currentTimeMillis();
                    long[] at = windows.computeIfAbsent(done / 60_000, k -> new long[] {0, Long.MAX_VALUE, 0, 0, 0});
                    synchronized (at) {
                        if (admitted) {
                            at[0]++;
                        }
                        if (error) {
                            at[3]++;
                        }
                        if (limited) {
                            at[4]++;
                        }
                        at[1] = Math.min(at[1], done);
                        at[2] = Math.max(at[2], done);
                    }
                    synchronized (w) {
                        w[1] = Math.min(w[1], now);
                        w[2] = Math.max(w[2], now);
                    }
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        for (Map.Entry<Long, long[]> e : new TreeMap<>(windows).entrySet()) {
            long[] w = e.getValue();
            System.out.println("W " + e.getKey() + " " + w[0] + " " + w[1] + " " + w[2] + " " + w[3] + " " + w[4]);
        }
        System.out.println("STORE " + store.stats());
        mesh.close();
    }
}
