package dev.llmmesh.examples.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.BudgetExceededException;
import dev.llmmesh.CallContext;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.governance.budget.BudgetConfig;
import dev.llmmesh.governance.budget.BudgetLimit;
import dev.llmmesh.governance.budget.BudgetPlugin;
import dev.llmmesh.governance.budget.BudgetWindow;
import dev.llmmesh.governance.budget.FileSpendLedger;
import dev.llmmesh.governance.budget.Scope;
import dev.llmmesh.governance.ratelimit.RateLimit;
import dev.llmmesh.governance.ratelimit.RateLimitConfig;
import dev.llmmesh.governance.ratelimit.RateLimitExceededException;
import dev.llmmesh.governance.ratelimit.RateLimitPlugin;
import dev.llmmesh.redis.RedisStateStore;
import dev.llmmesh.state.StateStoreUnavailableException;
import dev.llmmesh.testkit.RedisServer;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Redis stopped (SIGSTOP) and Redis flushed, with budgets and rate limits on it. */
class RedisOutageScenariosTest {
    /**
     * How long the server stays stopped. The catalogue's bar is 60 s; CI stops it for 5 s (every call during the
     * pause behaves the same way from the first second on, so the length only adds wall time). Override with
     * {@code -Dmesh.redis.outageSeconds=60}.
     */
    static final int OUTAGE_SECONDS = Integer.getInteger("mesh.redis.outageSeconds", 5);

    @TempDir
    Path ledgerDir;

    private static final ChatRequest REQUEST = ChatRequest.builder().messages(UserMessage.from("hi"))
            .maxOutputTokens(1000).build();

    @Test
    void scenario24_aStoppedRedisBoundsEveryCallFailsBudgetsClosedAndDegradesLimitsToTheLocalShare()
            throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            // the default 50 ms per call; the breaker opens after 5 failures of 10 and probes every 500 ms
            RedisStateStore store = RedisStateStore.builder(redis.uri()).connectTimeout(Duration.ofSeconds(5))
                    .breaker(5, 10, Duration.ofMillis(500)).build();
            assertThat(store.timeout()).isEqualTo(Duration.ofMillis(50));
            PricedModel model = new PricedModel("m", 1, 1, 100, 100);
            BudgetPlugin budgets = BudgetPlugin.of(BudgetConfig.builder()
                    .ledger(FileSpendLedger.open(ledgerDir, "a"))
                    .limit(BudgetLimit.team("paying", BudgetWindow.DAY, new BigDecimal("10"))).build());
            Mesh mesh = Mesh.builder().stateStore(store).addModel(model).install(budgets)
                    .install(RateLimitPlugin.of(RateLimitConfig.builder().instances(4)
                            .limit(new RateLimit(Scope.TEAM, Optional.of("free"), OptionalLong.of(40),
                                    OptionalLong.empty()))
                            .build()))
                    .build();
            CallContext paying = CallContext.forTeam("paying");
            CallContext free = CallContext.forTeam("free");
            warmUp(() -> mesh.chat(REQUEST, paying));
            BigDecimal spentBefore = budgets.status(paying).get(0).spentUsd();

            redis.pause();
            List<Long> latencies = new ArrayList<>();
            int freeAdmitted = 0;
            int freeLimited = 0;
            int payingRefused = 0;
            long end = System.nanoTime() + Duration.ofSeconds(OUTAGE_SECONDS).toNanos();
            try {
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    try {
                        mesh.chat(REQUEST, paying);
                        throw new AssertionError("a budgeted call was admitted on unknown state");
                    } catch (StateStoreUnavailableException e) {
                        assertThat(e).hasMessageContaining("fail closed");
                        payingRefused++;
                    }
                    latencies.add(System.nanoTime() - t0);
                    t0 = System.nanoTime();
                    try {
                        mesh.chat(REQUEST, free);
                        freeAdmitted++;
                    } catch (RateLimitExceededException e) {
                        freeLimited++;
                    }
                    latencies.add(System.nanoTime() - t0);
                    Thread.sleep(20);
                }
                assertThat(store.stats().breaker()).isEqualTo("OPEN");
            } finally {
                redis.resume();
            }
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            long p99Ms = sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1_000_000;
            long maxMs = sorted[sorted.length - 1] / 1_000_000;
            System.out.printf("scenario 24: %d calls during a %d s stop, p99 %d ms, max %d ms; budgeted refused %d, "
                            + "free admitted %d (local share of 40 RPM / 4 = 10), limited %d; store %s%n",
                    sorted.length, OUTAGE_SECONDS, p99Ms, maxMs, payingRefused, freeAdmitted, freeLimited,
                    store.stats());
            assertThat(maxMs).as("no call hangs (generous bound for a loaded machine)").isLessThan(2_000);
            assertThat(payingRefused).isPositive();
            assertThat(freeAdmitted).as("limits degrade to limit/N, never unlimited")
                    .isLessThanOrEqualTo(10 * (1 + OUTAGE_SECONDS / 60 + 1)).isPositive();
            assertThat(freeLimited).isPositive();

            // recovery: the breaker probes again; budgeted calls are admitted and counted once
            long recovered = System.nanoTime();
            MeshResponse after = null;
            for (int i = 0; i < 400 && after == null; i++) {
                try {
                    after = mesh.chat(REQUEST, paying);
                } catch (StateStoreUnavailableException stillDown) {
                    Thread.sleep(25);
                }
            }
            assertThat(after).as("recovered within 10 s").isNotNull();
            System.out.printf("scenario 24: recovered %d ms after the server continued%n",
                    (System.nanoTime() - recovered) / 1_000_000);
            assertThat(budgets.status(paying).get(0).spentUsd())
                    .as("no double counting: refused calls cost nothing, the one after recovery once")
                    .isEqualByComparingTo(spentBefore.add(after.cost().usd()));
            mesh.close();
        }
    }

    @Test
    void scenario25_aFlushedRedisIsReseededFromTheLedgerBeforeAdmissionResumes() {
        try (RedisServer redis = RedisServer.start()) {
            BudgetConfig.Builder config = BudgetConfig.builder()
                    .limit(BudgetLimit.team("search", BudgetWindow.DAY, new BigDecimal("1.00")));
            List<BudgetPlugin> plugins = new ArrayList<>();
            List<Mesh> fleet = new ArrayList<>();
            for (String instance : Arrays.asList("a", "b", "c")) {
                BudgetPlugin p = BudgetPlugin.of(config.ledger(FileSpendLedger.open(ledgerDir, instance)).build());
                plugins.add(p);
                // $0.10 per call: 10k output tokens at $10 per million
                fleet.add(Mesh.builder().stateStore(FleetStores.store(redis))
                        .addModel(new PricedModel("m", 0, 10, 10, 10_000)).install(p).build());
            }
            CallContext ctx = CallContext.forTeam("search");
            ChatRequest request = ChatRequest.builder().messages(UserMessage.from("hi")).maxOutputTokens(10_000)
                    .build();
            for (int i = 0; i < 6; i++) {
                fleet.get(i % 3).chat(request, ctx);
            }
            assertThat(plugins.get(0).status(ctx).get(0).spentUsd()).isEqualByComparingTo("0.60");

            redis.flushAll();
            assertThat(redis.command("DBSIZE")).isEqualTo(":0");
            assertThat(plugins.get(2).status(ctx).get(0).spentUsd()).as("reseeded, not reset to 0")
                    .isEqualByComparingTo("0.60");
            int admitted = 0;
            for (int i = 0; i < 10; i++) {
                try {
                    fleet.get(i % 3).chat(request, ctx);
                    admitted++;
                } catch (BudgetExceededException e) {
                    assertThat(e.scope()).isEqualTo("team:search/day");
                }
            }
            assertThat(admitted).as("only what the $0.40 left allows").isEqualTo(4);
            assertThat(plugins.get(1).status(ctx).get(0).spentUsd()).isEqualByComparingTo("1.00");

            // a fleet member without a ledger cannot know the spend after a loss: it refuses, it does not reset
            Mesh blind = Mesh.builder().stateStore(FleetStores.store(redis))
                    .addModel(new PricedModel("m", 0, 10, 10, 10_000))
                    .install(BudgetPlugin.of(BudgetConfig.builder()
                            .limit(BudgetLimit.team("search", BudgetWindow.DAY, new BigDecimal("1.00"))).build()))
                    .build();
            redis.flushAll();
            assertThatThrownBy(() -> blind.chat(request, ctx)).isInstanceOf(StateStoreUnavailableException.class)
                    .hasMessageContaining("budgets.ledger");
            blind.close();
            fleet.forEach(Mesh::close);
        }
    }

    private static void warmUp(Runnable call) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            try {
                call.run();
                return;
            } catch (StateStoreUnavailableException notYet) {
                Thread.sleep(30); // a loaded machine may time out the first calls
            }
        }
        call.run();
    }
}
