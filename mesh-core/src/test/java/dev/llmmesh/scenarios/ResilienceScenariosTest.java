package dev.llmmesh.scenarios;

import dev.llmmesh.TestClock;

import static dev.llmmesh.TestRequests.ask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmmesh.CallContext;
import dev.llmmesh.ContextLengthExceededException;
import dev.llmmesh.DeadlineExceededException;
import dev.llmmesh.ErrorKind;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshBuilder;
import dev.llmmesh.MeshException;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.NoRouteException;
import dev.llmmesh.NonRetryableException;
import dev.llmmesh.RetryableException;
import dev.llmmesh.client.Capability;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.client.Pricing;
import dev.llmmesh.observation.MeshMetricNames;
import dev.llmmesh.routing.BackoffConfig;
import dev.llmmesh.routing.HealthSnapshot;
import dev.llmmesh.routing.RouterConfig;
import dev.llmmesh.routing.RoutingStrategies;
import dev.llmmesh.routing.WhenAllUnhealthy;
import dev.llmmesh.scenarios.SimModel.Behavior;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Scenarios 1–14 of SCENARIOS.md (retry, fallback, circuit breaking), on a simulated clock. */
class ResilienceScenariosTest {
    private final TestClock clock = new TestClock();

    private MeshBuilder mesh(SimModel... models) {
        MeshBuilder b = Mesh.builder().clock(clock).sleeper(clock);
        for (SimModel m : models) {
            b.addModel(m);
        }
        return b;
    }

    private static RetryableException rateLimited(String id, int seconds) {
        return RetryableException.rateLimited(id, Duration.ofSeconds(seconds), "429");
    }

    private static RetryableException unavailable(String id) {
        return new RetryableException(ErrorKind.OVERLOADED, id + ": 503", id, null, null);
    }

    @Test
    void scenario1_retryAfterCooldownKeepsTrafficOffThePrimaryUntilItExpires() {
        Instant start = clock.instant();
        SimModel primary = new SimModel("primary", clock, 0.1, 0.2).script((n, t) ->
                t.isBefore(start.plusSeconds(30)) ? Behavior.fail(rateLimited("primary", 30), Duration.ofMillis(40))
                        : Behavior.ok(Duration.ofMillis(200)));
        SimModel f1 = new SimModel("fallback-1", clock, 1, 2);
        SimModel f2 = new SimModel("fallback-2", clock, 2, 4);
        Mesh mesh = mesh(primary, f1, f2)
                .routing(RouterConfig.builder().strategy(RoutingStrategies.priority(List.of("primary", "fallback-1", "fallback-2"))).build())
                .build();

        List<Duration> added = new ArrayList<>();
        int ok = 0;
        for (int i = 0; i < 3000; i++) { // 50 rps for 60 s
            Instant before = clock.instant();
            MeshResponse r = mesh.chat(ask("q" + i));
            ok++;
            assertThat(r.attempts()).hasSizeLessThanOrEqualTo(3);
            Duration upstream = r.attempts().stream().filter(a -> a.succeeded()).findFirst().orElseThrow().latency();
            added.add(Duration.between(before, clock.instant()).minus(upstream));
            Duration gap = Duration.ofMillis(20).minus(Duration.between(before, clock.instant()));
            if (!gap.isNegative()) {
                clock.advance(gap);
            }
        }

        assertThat(ok).isEqualTo(3000);
        long duringCooldown = primary.callTimes.stream().filter(t -> t.isBefore(start.plusSeconds(30))).count();
        assertThat(duringCooldown).isEqualTo(1); // the call that got the 429, then nothing until Retry-After expired
        Instant firstAfter = primary.callTimes.stream().filter(t -> !t.isBefore(start.plusSeconds(30))).findFirst().orElseThrow();
        assertThat(firstAfter).isBefore(start.plusSeconds(31));
        Collections.sort(added);
        assertThat(added.get((int) (added.size() * 0.99))).isLessThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void scenario2_breakerOpensOnTheTenthFailureThenProbesThreeTimesInHalfOpen() {
        SimModel primary = new SimModel("primary", clock, 0.1, 0.2)
                .script((n, t) -> Behavior.fail(new RetryableException(ErrorKind.SERVER_ERROR, "500", "primary", null, null), Duration.ofMillis(10)));
        SimModel fallback = new SimModel("fallback", clock, 1, 2);
        Mesh mesh = mesh(primary, fallback)
                .routing(RouterConfig.builder().strategy(RoutingStrategies.priority(List.of("primary", "fallback"))).build())
                .build();

        for (int i = 0; i < 9; i++) {
            mesh.chat(ask("q"));
        }
        assertThat(state(mesh, "primary")).isEqualTo(HealthSnapshot.BreakerState.CLOSED);
        mesh.chat(ask("q10"));
        assertThat(primary.calls.get()).isEqualTo(10);
        assertThat(state(mesh, "primary")).isEqualTo(HealthSnapshot.BreakerState.OPEN);

        Instant before = clock.instant();
        MeshResponse rejected = mesh.chat(ask("while open"));
        assertThat(primary.calls.get()).isEqualTo(10);
        assertThat(rejected.attempts()).hasSize(1); // straight to the fallback: no time spent on the primary
        assertThat(Duration.between(before, clock.instant())).isEqualTo(Duration.ofMillis(200));
        assertThat(rejected.decision().orElseThrow().candidate("primary").orElseThrow().rejection().orElseThrow())
                .startsWith("circuit open until");

        clock.advance(Duration.ofSeconds(30));
        primary.script((n, t) -> Behavior.ok(Duration.ofMillis(10)));
        for (int i = 0; i < 3; i++) {
            assertThat(mesh.chat(ask("probe " + i)).modelId()).contains("primary");
        }
        assertThat(primary.calls.get()).isEqualTo(13);
        assertThat(state(mesh, "primary")).isEqualTo(HealthSnapshot.BreakerState.CLOSED);
    }

    @Test
    void scenario2_anyFailedProbeReopensTheBreaker() {
        SimModel primary = new SimModel("primary", clock, 0.1, 0.2)
                .script((n, t) -> Behavior.fail(new RetryableException(ErrorKind.SERVER_ERROR, "500", "primary", null, null), Duration.ofMillis(10)));
        Mesh mesh = mesh(primary, new SimModel("fallback", clock, 1, 2))
                .routing(RouterConfig.builder().strategy(RoutingStrategies.priority(List.of("primary", "fallback"))).build())
                .build();
        for (int i = 0; i < 10; i++) {
            mesh.chat(ask("q"));
        }
        clock.advance(Duration.ofSeconds(30));

        primary.script((n, t) -> n == 11 ? Behavior.ok(Duration.ofMillis(10))
                : Behavior.fail(new RetryableException(ErrorKind.SERVER_ERROR, "500", "primary", null, null), Duration.ofMillis(10)));
        mesh.chat(ask("probe 1"));
        mesh.chat(ask("probe 2"));

        assertThat(primary.calls.get()).isEqualTo(12);
        assertThat(state(mesh, "primary")).isEqualTo(HealthSnapshot.BreakerState.OPEN);
    }

    @Test
    void scenario3_badRequestsGetExactlyOneAttemptAndNoFallback() {
        for (ErrorKind kind : List.of(ErrorKind.BAD_REQUEST, ErrorKind.CONTENT_POLICY, ErrorKind.QUOTA_EXHAUSTED)) {
            SimModel a = new SimModel("a", clock, 0.1, 0.1)
                    .script((n, t) -> Behavior.fail(new NonRetryableException(kind, "4xx", "a", null), Duration.ZERO));
            SimModel b = new SimModel("b", clock, 1, 1);
            Mesh mesh = mesh(a, b).build();

            assertThatThrownBy(() -> mesh.chat(ask("x"))).isInstanceOfSatisfying(NonRetryableException.class,
                    e -> assertThat(e.kind()).isEqualTo(kind));
            assertThat(a.calls.get()).isEqualTo(1);
            assertThat(b.calls.get()).isZero();
        }
    }

    @Test
    void scenario3_authAndNotFoundMoveToADifferentDeploymentWithoutRetryingTheBrokenOne() {
        SimModel a = new SimModel("a", clock, 0.1, 0.1)
                .script((n, t) -> Behavior.fail(NonRetryableException.authentication("a", "401"), Duration.ZERO));
        SimModel b = new SimModel("b", clock, 1, 1)
                .script((n, t) -> Behavior.fail(new NonRetryableException(ErrorKind.NOT_FOUND, "404", "b", null), Duration.ZERO));
        SimModel c = new SimModel("c", clock, 2, 2);
        Mesh mesh = mesh(a, b, c).routing(RouterConfig.builder().maxAttempts(5).build()).build();

        MeshResponse r = mesh.chat(ask("x"));

        assertThat(r.modelId()).contains("c");
        assertThat(a.calls.get()).isEqualTo(1);
        assertThat(b.calls.get()).isEqualTo(1);
        assertThat(health(mesh, "a").successRate()).isZero(); // marked unhealthy
    }

    @Test
    void scenario3_contextLengthFallsBackOnlyToALargerContext() {
        SimModel small = new SimModel(ModelDescriptor.builder("small", "openai", "s").contextWindow(8_000)
                .maxOutputTokens(1000).pricing(Pricing.perMillion(0.1, 0.1)).build(), clock)
                .script((n, t) -> Behavior.fail(new ContextLengthExceededException("too long", "small", null), Duration.ZERO));
        SimModel same = new SimModel(ModelDescriptor.builder("same", "openai", "s2").contextWindow(8_000)
                .maxOutputTokens(1000).pricing(Pricing.perMillion(0.2, 0.2)).build(), clock);
        SimModel large = new SimModel(ModelDescriptor.builder("large", "openai", "l").contextWindow(200_000)
                .maxOutputTokens(1000).pricing(Pricing.perMillion(5, 5)).build(), clock);
        Mesh mesh = mesh(small, same, large).build();

        assertThat(mesh.chat(ask("x")).modelId()).contains("large");
        assertThat(same.calls.get()).isZero();
    }

    @Test
    void scenario4_theProviderSeesAtMostTheMeshsAttemptsNotNestedRetries() {
        SimModel only = new SimModel("only", clock, 1, 1).script((n, t) -> Behavior.fail(unavailable("only"), Duration.ofMillis(5)));
        Mesh mesh = mesh(only).routing(RouterConfig.builder().maxAttempts(3).build()).build();

        assertThatThrownBy(() -> mesh.chat(ask("x"))).isInstanceOf(NoRouteException.class);
        assertThat(only.calls.get()).isEqualTo(3);

        SimModel single = new SimModel("single", clock, 1, 1).script((n, t) -> Behavior.fail(unavailable("single"), Duration.ZERO));
        Mesh once = mesh(single).routing(RouterConfig.builder().maxAttempts(1).build()).build();
        assertThatThrownBy(() -> once.chat(ask("x"))).isInstanceOf(NoRouteException.class);
        assertThat(single.calls.get()).isEqualTo(1);
    }

    @Test
    void scenario5_brownoutRetriesStayWithinTheRetryBudget() throws Exception {
        Random random = new Random(42);
        SimModel primary = new SimModel("primary", clock, 0.1, 0.2);
        primary.script((n, t) -> {
            synchronized (random) {
                return random.nextBoolean() ? Behavior.fail(unavailable("primary"), Duration.ZERO) : Behavior.ok(Duration.ZERO);
            }
        });
        SimModel f1 = new SimModel("f1", clock, 1, 2);
        SimModel f2 = new SimModel("f2", clock, 2, 4);
        // every call to a fallback is a retry; make each take a moment of real time so that retries overlap
        Runnable busy = () -> {
            long until = System.nanoTime() + 1_000_000;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
        };
        f1.duringCall = busy;
        f2.duringCall = busy;
        f1.script((n, t) -> Behavior.ok(Duration.ZERO));
        f2.script((n, t) -> Behavior.ok(Duration.ZERO));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        // the worst case for a budget: the primary stays first (priority) and has no breaker to take it out
        Mesh mesh = mesh(primary, f1, f2).meterRegistry(registry)
                .routing(RouterConfig.builder().retryBudget(0.2, 3).noBreaker()
                        .strategy(RoutingStrategies.priority(List.of("primary", "f1", "f2"))).build()).build();
        int threads = 40;
        int perThread = 100;
        AtomicInteger succeeded = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < perThread; i++) {
                    try {
                        mesh.chat(ask("q"));
                        succeeded.incrementAndGet();
                    } catch (NoRouteException e) {
                        assertThat(e.getMessage()).startsWith("retry budget exhausted");
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        int requests = threads * perThread;
        int retries = f1.calls.get() + f2.calls.get();
        int concurrentRetries = f1.maxInFlight.get() + f2.maxInFlight.get();
        double exhausted = registry.find(MeshMetricNames.RETRY_BUDGET_EXHAUSTED).counters().stream()
                .mapToDouble(c -> c.count()).sum();
        System.out.printf("scenario5: %d requests, %d succeeded, %d upstream calls (%.3fx), at most %d concurrent "
                        + "retries, retry_budget_exhausted=%.0f%n", requests, succeeded.get(), primary.calls.get() + retries,
                (primary.calls.get() + retries) / (double) requests, concurrentRetries, exhausted);
        assertThat(concurrentRetries).isLessThanOrEqualTo(Math.max(3, (int) (0.2 * threads)));
        assertThat(exhausted).isGreaterThan(0);
        assertThat(primary.calls.get() + retries).isLessThanOrEqualTo((int) (1.2 * requests) + 3);
    }

    @Test
    void scenario5_brownoutWithTwoHealthyFallbacksEndsWithFullSuccessAndFewUpstreamCalls() {
        Random random = new Random(7);
        SimModel primary = new SimModel("primary", clock, 0.1, 0.2)
                .script((n, t) -> random.nextBoolean() ? Behavior.fail(unavailable("primary"), Duration.ofMillis(50))
                        : Behavior.ok(Duration.ofMillis(300)));
        SimModel f1 = new SimModel("f1", clock, 1, 2);
        SimModel f2 = new SimModel("f2", clock, 2, 4);
        Mesh mesh = mesh(primary, f1, f2).build();

        int ok = 0;
        for (int i = 0; i < 10_000; i++) {
            mesh.chat(ask("q" + i));
            ok++;
            clock.advance(Duration.ofMillis(5)); // 200 rps
        }

        int upstream = primary.calls.get() + f1.calls.get() + f2.calls.get();
        System.out.printf("brownout: 10000 requests, %d ok, %d upstream (%.3fx); primary %d, f1 %d, f2 %d%n",
                ok, upstream, upstream / 10000.0, primary.calls.get(), f1.calls.get(), f2.calls.get());
        assertThat(ok).isEqualTo(10_000);
        assertThat(upstream).isLessThanOrEqualTo((int) (1.2 * 10_000) + 3);
    }

    @Test
    void scenario6_backoffIsFullJitterWithinItsBoundsAndUniform() {
        SimModel only = new SimModel("only", clock, 1, 1).script((n, t) -> Behavior.fail(unavailable("only"), Duration.ZERO));
        BackoffConfig backoff = new BackoffConfig(Duration.ofMillis(100), 2.0, Duration.ofSeconds(2));
        Mesh mesh = mesh(only).routing(RouterConfig.builder().maxAttempts(6).backoff(backoff).noBreaker()
                .retryBudget(0.2, 100).build()).build();

        int samples = 10_000;
        List<List<Duration>> perRetry = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            perRetry.add(new ArrayList<>(samples));
        }
        for (int s = 0; s < samples; s++) {
            clock.sleeps.clear();
            assertThatThrownBy(() -> mesh.chat(ask("x"))).isInstanceOf(NoRouteException.class);
            assertThat(clock.sleeps).hasSize(5);
            for (int n = 0; n < 5; n++) {
                perRetry.get(n).add(clock.sleeps.get(n));
            }
        }

        for (int n = 0; n < 5; n++) {
            double bound = Math.min(2000, 100 * Math.pow(2, n));
            double[] u = perRetry.get(n).stream().mapToDouble(d -> d.toNanos() / 1e6 / bound).sorted().toArray();
            assertThat(u[0]).isGreaterThanOrEqualTo(0);
            assertThat(u[u.length - 1]).isLessThan(1);
            double mean = 0;
            for (double v : u) {
                mean += v;
            }
            mean /= u.length;
            assertThat(mean).isBetween(0.45, 0.55); // expectation 0.5 (of the bound), within ±10%
            double d = 0;
            for (int i = 0; i < u.length; i++) {
                d = Math.max(d, Math.max((i + 1.0) / u.length - u[i], u[i] - i / (double) u.length));
            }
            assertThat(ksPValue(d, u.length)).as("KS p-value for retry %d", n).isGreaterThan(0.01);
        }
    }

    private static double ksPValue(double d, int n) {
        double lambda = (Math.sqrt(n) + 0.12 + 0.11 / Math.sqrt(n)) * d;
        double sum = 0;
        for (int k = 1; k <= 100; k++) {
            sum += (k % 2 == 1 ? 1 : -1) * Math.exp(-2 * k * k * lambda * lambda);
        }
        return Math.max(0, Math.min(1, 2 * sum));
    }

    @Test
    void scenario7_oneDeadlineCoversEveryAttemptAndBackoff() {
        SimModel a = new SimModel("a", clock, 0.1, 0.1).script((n, t) -> Behavior.hanging());
        SimModel b = new SimModel("b", clock, 0.2, 0.2).script((n, t) -> Behavior.hanging());
        Mesh mesh = mesh(a, b).routing(RouterConfig.builder().attemptTimeout(Duration.ofSeconds(10)).maxAttempts(10)
                .noBreaker().build()).build();
        Instant start = clock.instant();

        assertThatThrownBy(() -> mesh.chat(ask("x"), CallContext.builder().timeout(Duration.ofSeconds(30)).build()))
                .isInstanceOf(DeadlineExceededException.class);

        assertThat(Duration.between(start, clock.instant())).isLessThanOrEqualTo(Duration.ofMillis(30_100));
        List<Instant> starts = new ArrayList<>(a.callTimes);
        starts.addAll(b.callTimes);
        assertThat(starts).allMatch(t -> t.isBefore(start.plusSeconds(30)));
        assertThat(clock.sleeps).allMatch(d -> d.compareTo(Duration.ofSeconds(2)) <= 0);
    }

    @Test
    void scenario8_slowSuccessesOpenTheBreakerAndDemoteTheModel() {
        SimModel slow = new SimModel("slow", clock, 0.1, 0.1).script((n, t) ->
                Behavior.ok(n <= 5 ? Duration.ofSeconds(1) : Duration.ofSeconds(25)));
        SimModel steady = new SimModel("steady", clock, 0.1, 0.1).script((n, t) -> Behavior.ok(Duration.ofSeconds(2)));
        Mesh mesh = mesh(slow, steady)
                .routing(RouterConfig.builder().strategy(RoutingStrategies.priority(List.of("slow", "steady"))).build())
                .build();

        for (int i = 0; i < 15; i++) {
            mesh.chat(ask("q"));
        }

        assertThat(state(mesh, "slow")).isEqualTo(HealthSnapshot.BreakerState.OPEN);
        // with the balanced strategy, the latency term alone now ranks it last
        Mesh scoring = mesh(new SimModel("s2", clock, 0.1, 0.1).script((n, t) -> Behavior.ok(Duration.ofSeconds(25))),
                new SimModel("f2", clock, 0.1, 0.1).script((n, t) -> Behavior.ok(Duration.ofSeconds(1)))).build();
        for (int i = 0; i < 20; i++) {
            scoring.chat(ask("q"));
        }
        assertThat(scoring.chat(ask("q")).decision().orElseThrow().primary()).contains("f2");
    }

    @Test
    void scenario9_abandonedHalfOpenProbesReleaseTheirPermits() {
        SimModel primary = new SimModel("primary", clock, 0.1, 0.1)
                .script((n, t) -> Behavior.fail(new RetryableException(ErrorKind.SERVER_ERROR, "500", "primary", null, null), Duration.ZERO));
        AtomicInteger abandon = new AtomicInteger();
        Mesh mesh = mesh(primary, new SimModel("fallback", clock, 1, 1))
                .routing(RouterConfig.builder().strategy(RoutingStrategies.priority(List.of("primary", "fallback")))
                        .bulkhead("primary", 2).build())
                .addAttemptInterceptor(chain -> {
                    if (chain.target().orElseThrow().id().equals("primary") && abandon.get() > 0) {
                        abandon.decrementAndGet();
                        throw new dev.llmmesh.MeshInternalException(ErrorKind.CANCELLED, "caller went away", null);
                    }
                    return chain.proceed(chain.request());
                })
                .build();
        for (int i = 0; i < 10; i++) {
            mesh.chat(ask("q"));
        }
        clock.advance(Duration.ofSeconds(30));

        abandon.set(1000);
        for (int i = 0; i < 1000; i++) {
            assertThatThrownBy(() -> mesh.chat(ask("abandoned"))).isInstanceOf(MeshException.class);
        }
        primary.script((n, t) -> Behavior.ok(Duration.ZERO));
        for (int i = 0; i < 3; i++) {
            assertThat(mesh.chat(ask("probe")).modelId()).contains("primary");
        }

        assertThat(state(mesh, "primary")).isEqualTo(HealthSnapshot.BreakerState.CLOSED);
        assertThat(health(mesh, "primary").inFlight()).isZero();
    }

    @Test
    void scenario10_concurrentCallsAtTheOpenToHalfOpenEdgeAdmitAtMostTheProbeCount() throws Exception {
        for (int round = 0; round < 20; round++) {
            TestClock c = new TestClock();
            CountDownLatch release = new CountDownLatch(1);
            SimModel primary = new SimModel("primary", c, 0.1, 0.1)
                    .script((n, t) -> n <= 10 ? Behavior.fail(new RetryableException(ErrorKind.SERVER_ERROR, "500", "primary", null, null), Duration.ZERO)
                            : Behavior.ok(Duration.ZERO));
            SimModel fallback = new SimModel("fallback", c, 1, 1);
            Mesh mesh = Mesh.builder().clock(c).sleeper(c).addModel(primary).addModel(fallback)
                    .routing(RouterConfig.builder().strategy(RoutingStrategies.priority(List.of("primary", "fallback"))).build())
                    .build();
            for (int i = 0; i < 10; i++) {
                mesh.chat(ask("q"));
            }
            c.advance(Duration.ofSeconds(30));
            primary.duringCall = () -> {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            ExecutorService pool = Executors.newFixedThreadPool(64);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                fs.add(pool.submit(() -> {
                    go.await();
                    return mesh.chat(ask("race"));
                }));
            }
            go.countDown();
            // wait until every thread has been decided: admitted as a probe (blocked in the primary) or sent to the
            // fallback; only then let the probes finish (after which the breaker closes and traffic may resume)
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (fallback.calls.get() + primary.inFlight.get() < 64 && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            int probes = primary.inFlight.get();
            release.countDown();
            for (Future<?> f : fs) {
                f.get(30, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(probes).as("probes admitted in round %d", round).isBetween(1, 3);
        }
    }

    @Test
    void scenario11_allUnhealthyFailsFastWithTheShortestCooldown() {
        SimModel a = new SimModel("a", clock, 0.1, 0.1).script((n, t) -> Behavior.fail(rateLimited("a", 30), Duration.ZERO));
        SimModel b = new SimModel("b", clock, 0.2, 0.2).script((n, t) -> Behavior.fail(rateLimited("b", 10), Duration.ZERO));
        Mesh mesh = mesh(a, b).build();
        assertThatThrownBy(() -> mesh.chat(ask("x"))).isInstanceOf(NoRouteException.class);

        assertThatThrownBy(() -> mesh.chat(ask("y"))).isInstanceOfSatisfying(NoRouteException.class, e -> {
            assertThat(e.attempts()).isEmpty();
            assertThat(e.retryAfter()).contains(Duration.ofSeconds(10));
        });
        a.script((n, t) -> Behavior.ok(Duration.ZERO));
        b.script((n, t) -> Behavior.ok(Duration.ZERO));
        clock.advance(Duration.ofSeconds(10));
        int ok = 0;
        for (int i = 0; i < 100; i++) {
            ok += mesh.chat(ask("after")).text().startsWith("ok") ? 1 : 0;
        }
        assertThat(ok).isGreaterThanOrEqualTo(99);
    }

    @Test
    void scenario11_allUnhealthyCanProbeTheLeastRecentlyFailed() {
        SimModel a = new SimModel("a", clock, 0.1, 0.1).script((n, t) -> n == 1 ? Behavior.fail(rateLimited("a", 30), Duration.ZERO) : Behavior.ok(Duration.ZERO));
        SimModel b = new SimModel("b", clock, 0.2, 0.2).script((n, t) -> n == 1 ? Behavior.fail(rateLimited("b", 30), Duration.ZERO) : Behavior.ok(Duration.ZERO));
        Mesh mesh = mesh(a, b).routing(RouterConfig.builder().whenAllUnhealthy(WhenAllUnhealthy.PROBE_LEAST_RECENTLY_FAILED).build()).build();
        assertThatThrownBy(() -> mesh.chat(ask("x"))).isInstanceOf(NoRouteException.class);

        MeshResponse probed = mesh.chat(ask("y"));

        assertThat(probed.modelId()).contains("a"); // a failed first, so least recently
        assertThat(probed.decision().orElseThrow().candidate("a").orElseThrow().note()).startsWith("re-admitted although cooling down");
    }

    @Test
    void scenario12_aSingleDeploymentIsStillTriedAfterOneTransientError() {
        SimModel only = new SimModel("only", clock, 1, 1).script((n, t) -> n == 1
                ? Behavior.fail(new RetryableException(ErrorKind.SERVER_ERROR, "500", "only", null, null), Duration.ZERO)
                : Behavior.ok(Duration.ZERO));
        Mesh mesh = mesh(only).routing(RouterConfig.builder().maxAttempts(1).build()).build();

        assertThatThrownBy(() -> mesh.chat(ask("x"))).isInstanceOf(NoRouteException.class);
        assertThat(mesh.chat(ask("y")).text()).isEqualTo("ok from only");
    }

    @Test
    void scenario12_aSecondRetryAfterExtendsTheCooldownNeverShortensIt() {
        SimModel only = new SimModel("only", clock, 1, 1).script((n, t) -> switch (n) {
            case 1 -> Behavior.fail(rateLimited("only", 30), Duration.ZERO);
            case 2 -> Behavior.fail(rateLimited("only", 60), Duration.ZERO);
            default -> Behavior.fail(rateLimited("only", 5), Duration.ZERO);
        });
        Mesh mesh = mesh(only).routing(RouterConfig.builder().maxAttempts(1)
                .whenAllUnhealthy(WhenAllUnhealthy.PROBE_LEAST_RECENTLY_FAILED).build()).build();
        Instant t0 = clock.instant();

        assertThatThrownBy(() -> mesh.chat(ask("1"))).isInstanceOf(NoRouteException.class);
        assertThat(health(mesh, "only").cooldownUntil()).contains(t0.plusSeconds(30));
        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> mesh.chat(ask("2"))).isInstanceOf(NoRouteException.class); // probe, gets 60 s
        assertThat(health(mesh, "only").cooldownUntil()).contains(t0.plusSeconds(61));
        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> mesh.chat(ask("3"))).isInstanceOf(NoRouteException.class); // probe, gets 5 s
        assertThat(health(mesh, "only").cooldownUntil()).contains(t0.plusSeconds(61));
    }

    @Test
    void scenario13_ejectionIsCappedAndRepeatOffendersStayOutLonger() {
        List<SimModel> models = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String id = "m" + i;
            boolean degraded = i < 4;
            models.add(new SimModel(id, clock, 0.1 + i * 0.01, 0.1).script((n, t) -> degraded
                    ? Behavior.fail(new RetryableException(ErrorKind.SERVER_ERROR, "500", id, null, null), Duration.ZERO)
                    : Behavior.ok(Duration.ZERO)));
        }
        MeshBuilder b = Mesh.builder().clock(clock).sleeper(clock)
                .routing(RouterConfig.builder().maxEjectionPercent(30).maxAttempts(10).retryBudget(0.2, 20).build());
        models.forEach(b::addModel);
        Mesh mesh = b.build();

        int maxEjected = 0;
        for (int i = 0; i < 400; i++) {
            MeshResponse r = mesh.chat(ask("q"));
            long ejected = r.decision().orElseThrow().rejected().stream()
                    .filter(c -> c.rejection().orElse("").startsWith("circuit open")).count();
            maxEjected = Math.max(maxEjected, (int) ejected);
            clock.advance(Duration.ofMillis(100));
        }
        assertThat(maxEjected).isLessThanOrEqualTo(3);

        // a repeat offender: open, wait, fail the probe, open again for twice as long
        TestClock c = new TestClock();
        SimModel bad = new SimModel("bad", c, 0.1, 0.1).script((n, t) -> Behavior.fail(new RetryableException(ErrorKind.SERVER_ERROR, "500", "bad", null, null), Duration.ZERO));
        Mesh repeat = Mesh.builder().clock(c).sleeper(c).addModel(bad)
                .addModel(new SimModel("good", c, 1, 1).script((n, t) -> Behavior.ok(Duration.ZERO)))
                .routing(RouterConfig.builder().strategy(RoutingStrategies.priority(List.of("bad", "good"))).build()).build();
        for (int i = 0; i < 10; i++) {
            repeat.chat(ask("q"));
        }
        Instant firstOpen = c.instant();
        assertThat(repeat.chat(ask("q")).decision().orElseThrow().candidate("bad").orElseThrow().rejection())
                .contains("circuit open until " + firstOpen.plusSeconds(30));
        c.advance(Duration.ofSeconds(30));
        assertThat(repeat.chat(ask("failed probe")).attempts()).extracting(a -> a.modelId()).containsExactly("bad", "good");
        Instant secondOpen = c.instant();
        assertThat(repeat.chat(ask("q")).decision().orElseThrow().candidate("bad").orElseThrow().rejection())
                .contains("circuit open until " + secondOpen.plusSeconds(60));
    }

    @Test
    void scenario14_bulkheadCapsConcurrentCallsToOneProvider() throws Exception {
        SimModel ollama = new SimModel(ModelDescriptor.builder("ollama", "ollama", "llama3")
                .capabilities(Capability.CHAT, Capability.STREAMING).contextWindow(8192).maxOutputTokens(1024)
                .pricing(Pricing.perMillion(0, 0)).build(), clock);
        SimModel cloud = new SimModel("cloud", clock, 1, 1);
        CountDownLatch hold = new CountDownLatch(1);
        ollama.duringCall = () -> {
            try {
                hold.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        Mesh mesh = mesh(ollama, cloud).routing(RouterConfig.builder().bulkhead("ollama", 8)
                .strategy(RoutingStrategies.priority(List.of("ollama", "cloud"))).build()).build();
        ExecutorService pool = Executors.newFixedThreadPool(100);
        List<Future<MeshResponse>> fs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            fs.add(pool.submit(() -> mesh.chat(ask("q"))));
        }
        // the 92 that find the bulkhead full go to the cloud model without waiting
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (cloud.calls.get() < 92 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        hold.countDown();
        int toOllama = 0;
        for (Future<MeshResponse> f : fs) {
            toOllama += f.get(30, TimeUnit.SECONDS).modelId().orElseThrow().equals("ollama") ? 1 : 0;
        }
        pool.shutdown();

        assertThat(ollama.maxInFlight.get()).isLessThanOrEqualTo(8);
        assertThat(toOllama).isEqualTo(8);
        assertThat(cloud.calls.get()).isEqualTo(92);
    }

    private static HealthSnapshot.BreakerState state(Mesh mesh, String id) {
        return health(mesh, id).breaker();
    }

    private static HealthSnapshot health(Mesh mesh, String id) {
        return mesh.health().stream().filter(h -> h.modelId().equals(id)).findFirst().orElseThrow();
    }
}
