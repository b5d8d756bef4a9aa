package dev.llmmesh.examples.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.BudgetExceededException;
import dev.llmmesh.CallContext;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshException;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.RetryableException;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.governance.budget.BudgetConfig;
import dev.llmmesh.governance.budget.BudgetLimit;
import dev.llmmesh.governance.budget.BudgetPlugin;
import dev.llmmesh.governance.budget.BudgetStatus;
import dev.llmmesh.governance.budget.BudgetWindow;
import dev.llmmesh.governance.budget.FileSpendLedger;
import dev.llmmesh.redis.RedisStateStore;
import dev.llmmesh.routing.RouterConfig;
import dev.llmmesh.testkit.RedisServer;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The budget scenarios the in-memory store passes, again on a real redis-server shared by three mesh instances
 * (three stores, three budget plugins, one ledger folder), calls spread over the instances.
 */
class RedisBudgetScenariosTest {
    private static RedisServer redis;
    @TempDir
    Path ledgerDir;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void empty() {
        redis.flushAll();
    }

    /** Three instances of one fleet: same limits, same ledger folder, one Redis. */
    private final class Fleet implements AutoCloseable {
        final List<Mesh> meshes = new ArrayList<>();
        final List<BudgetPlugin> budgets = new ArrayList<>();

        Fleet(BudgetConfig.Builder config, java.util.function.IntFunction<dev.llmmesh.client.LlmClient> model,
              RouterConfig routing) {
            for (int i = 0; i < 3; i++) {
                RedisStateStore store = FleetStores.store(redis);
                BudgetPlugin plugin = BudgetPlugin.of(copy(config)
                        .ledger(FileSpendLedger.open(ledgerDir, "i" + i)).build());
                budgets.add(plugin);
                meshes.add(Mesh.builder().stateStore(store).addModel(model.apply(i)).routing(routing)
                        .install(plugin).build());
            }
        }

        private BudgetConfig.Builder copy(BudgetConfig.Builder b) {
            return b; // a builder yields a fresh config per build(); the ledger set last wins
        }

        Mesh mesh(int n) {
            return meshes.get(Math.floorMod(n, meshes.size()));
        }

        @Override
        public void close() {
            meshes.forEach(Mesh::close);
        }
    }

    @Test
    void scenario19_onRedisHundredConcurrentCallsOverThreeInstancesAdmitAtMostWhatFiveCentsAllow() throws Exception {
        CountDownLatch decided = new CountDownLatch(100);
        CountDownLatch release = new CountDownLatch(1);
        List<PricedModel> models = new ArrayList<>();
        BudgetConfig.Builder config = BudgetConfig.builder()
                .limit(BudgetLimit.team("search", BudgetWindow.DAY, new BigDecimal("1.00")));
        try (Fleet fleet = new Fleet(config, i -> {
            PricedModel m = new PricedModel("m", 0, 10, 50, 1000).gate(decided, release);
            models.add(m);
            return m;
        }, RouterConfig.defaults())) {
            CallContext ctx = CallContext.forTeam("search");
            fleet.budgets.get(0).recordSpend(ctx, new BigDecimal("0.95"));
            ChatRequest request = ChatRequest.builder().messages(UserMessage.from("summarise")).maxOutputTokens(2000)
                    .build();
            ExecutorService pool = Executors.newFixedThreadPool(100);
            AtomicInteger denied = new AtomicInteger();
            List<Future<MeshResponse>> calls = new ArrayList<>();
            try {
                for (int i = 0; i < 100; i++) {
                    Mesh mesh = fleet.mesh(i);
                    calls.add(pool.submit(() -> {
                        try {
                            return mesh.chat(request, ctx);
                        } catch (BudgetExceededException e) {
                            denied.incrementAndGet();
                            decided.countDown();
                            throw e;
                        }
                    }));
                }
                assertThat(decided.await(60, TimeUnit.SECONDS)).as("every call admitted or denied").isTrue();
                int admitted = models.stream().mapToInt(PricedModel::calls).sum();
                assertThat(admitted).as("admitted while reservations are open, fleet-wide").isEqualTo(2);
                assertThat(denied.get()).isEqualTo(98);
                BudgetStatus open = fleet.budgets.get(2).status(ctx).get(0);
                assertThat(open.reservedUsd()).isEqualByComparingTo("0.04");
                release.countDown();
                BigDecimal billed = BigDecimal.ZERO;
                for (Future<MeshResponse> f : calls) {
                    try {
                        billed = billed.add(f.get(60, TimeUnit.SECONDS).cost().usd());
                    } catch (ExecutionException e) {
                        assertThat(e.getCause()).isInstanceOf(BudgetExceededException.class);
                    }
                }
                BudgetStatus settled = fleet.budgets.get(1).status(ctx).get(0);
                assertThat(billed).isEqualByComparingTo("0.02");
                assertThat(settled.spentUsd()).isEqualByComparingTo("0.97").isLessThanOrEqualTo(new BigDecimal("1.00"));
                assertThat(settled.reservedUsd()).isEqualByComparingTo("0");
            } finally {
                release.countDown();
                pool.shutdownNow();
            }
        }
    }

    @Test
    void scenario20_onRedisAnUnpricedModelReservesTheConfiguredDefaultAndSettlesAtItNeverAtZero() {
        BudgetConfig.Builder config = BudgetConfig.builder().unpricedReservation(new BigDecimal("0.50"))
                .limit(BudgetLimit.team("search", BudgetWindow.DAY, new BigDecimal("1.20")));
        ModelDescriptor unpriced = ModelDescriptor.builder("free", "fake", "free").contextWindow(8_000)
                .maxOutputTokens(1_000).build();
        try (Fleet fleet = new Fleet(config, i -> new PricedModel(unpriced, 10, 10), RouterConfig.defaults())) {
            CallContext ctx = CallContext.forTeam("search");
            ChatRequest request = ChatRequest.builder().messages(UserMessage.from("hi")).build();
            fleet.mesh(0).chat(request, ctx);
            fleet.mesh(1).chat(request, ctx);
            assertThat(fleet.budgets.get(2).status(ctx).get(0).spentUsd()).isEqualByComparingTo("1.00");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> fleet.mesh(2).chat(request, ctx))
                    .isInstanceOf(BudgetExceededException.class);
        }
    }

    @Test
    void scenario21_onRedisProviderErrorsAcrossThreeInstancesLeaveTheCounterEqualToBilledActuals() throws Exception {
        BudgetConfig.Builder config = BudgetConfig.builder()
                .limit(BudgetLimit.team("search", BudgetWindow.DAY, new BigDecimal("1000")));
        // every third call fails with a 500 after nothing was billed; the rest bill 0.0001 + 0.001
        List<PricedModel> models = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Fleet fleet = new Fleet(config, i -> {
            PricedModel m = new PricedModel("m", 1, 1, 100, 1000).failing(n -> n % 3 == 0
                    ? RetryableException.serverError("m", "HTTP 500 from upstream") : null);
            models.add(m);
            return m;
        }, RouterConfig.builder().noBreaker().maxAttempts(1).build())) {
            CallContext ctx = CallContext.forTeam("search");
            ChatRequest request = ChatRequest.builder().messages(UserMessage.from("hi")).maxOutputTokens(4000).build();
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<BigDecimal>> calls = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                Mesh mesh = fleet.mesh(i);
                calls.add(pool.submit(() -> {
                    try {
                        return mesh.chat(request, ctx).cost().usd();
                    } catch (MeshException e) {
                        return BigDecimal.ZERO;
                    }
                }));
            }
            for (Future<BigDecimal> f : calls) {
                f.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            // cancelled calls settle on their own thread: wait until nothing is reserved any more
            BudgetStatus s = null;
            for (int i = 0; i < 300; i++) {
                s = fleet.budgets.get(0).status(ctx).get(0);
                if (s.reservedUsd().signum() == 0) {
                    break;
                }
                Thread.sleep(50);
            }
            long settleFailures = fleet.budgets.stream().mapToLong(BudgetPlugin::settleFailures).sum();
            assertThat(s.reservedUsd()).as("settle failures: " + settleFailures).isEqualByComparingTo("0");
            // billed actuals: every answered call cost 100 * $1e-6 + 1000 * $1e-6; a 500 bills nothing
            long answered = 0;
            for (PricedModel m : models) {
                answered += m.calls() - m.calls() / 3;
            }
            BigDecimal spent = s.spentUsd();
            assertThat(spent.subtract(new BigDecimal("0.0011").multiply(BigDecimal.valueOf(answered))).abs())
                    .as("counter equals billed actuals within $1e-6").isLessThanOrEqualTo(new BigDecimal("0.000001"));
            assertThat(s.usedUsd()).isEqualByComparingTo(spent);
        }
    }

    @Test
    void scenario22_onRedisThirty32kReservationsUnderA25DollarBudgetSettleAndLeaveNothingReserved() throws Exception {
        BudgetConfig.Builder config = BudgetConfig.builder()
                .limit(BudgetLimit.team("search", BudgetWindow.DAY, new BigDecimal("25")));
        // $15 per million output: 32k max_tokens reserves $0.48; 2k used costs $0.03
        try (Fleet fleet = new Fleet(config, i -> new PricedModel("m", 0, 15, 100, 2000), RouterConfig.defaults())) {
            CallContext ctx = CallContext.forTeam("search");
            ChatRequest request = ChatRequest.builder().messages(UserMessage.from("write")).maxOutputTokens(32_000)
                    .build();
            ExecutorService pool = Executors.newFixedThreadPool(30);
            List<Future<MeshResponse>> calls = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 30; i++) {
                    Mesh mesh = fleet.mesh(i);
                    calls.add(pool.submit(() -> mesh.chat(request, ctx)));
                }
            }
            BigDecimal billed = BigDecimal.ZERO;
            for (Future<MeshResponse> f : calls) {
                billed = billed.add(f.get(120, TimeUnit.SECONDS).cost().usd());
            }
            pool.shutdown();
            BudgetStatus s = fleet.budgets.get(1).status(ctx).get(0);
            assertThat(billed).isEqualByComparingTo("2.70");
            assertThat(s.spentUsd()).isEqualByComparingTo(billed);
            assertThat(s.reservedUsd()).as("every reservation released when its call returned").isEqualByComparingTo("0");
        }
    }
}
