package dev.llmmesh.governance.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.BudgetExceededException;
import dev.llmmesh.CallContext;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.testkit.ManualClock;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BudgetRaceTest {

    @Test
    void scenario19_hundredConcurrentCallsAgainstFiveCentsLeftAdmitAtMostWhatTheReservationsAllow() throws Exception {
        CountDownLatch decided = new CountDownLatch(100);
        CountDownLatch release = new CountDownLatch(1);
        // input is free, output $10 per million: max_tokens 2000 reserves $0.02, the 1000 tokens used cost $0.01
        FakeModel model = FakeModel.priced("m", 0, 10).usage(50, 1000).gate(decided, release);
        BudgetPlugin budgets = BudgetPlugin.of(BudgetConfig.builder()
                .limit(BudgetLimit.team("search", BudgetWindow.DAY, new BigDecimal("1.00"))).build());
        Mesh mesh = Mesh.builder().clock(new ManualClock()).addModel(model).install(budgets).build();
        CallContext ctx = CallContext.forTeam("search");
        budgets.recordSpend(ctx, new BigDecimal("0.95"));
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from("summarise this")).maxOutputTokens(2000)
                .build();
        assertThat(budgets.estimate(request, ctx, false).usd()).isEqualByComparingTo("0.02");

        ExecutorService pool = Executors.newFixedThreadPool(100);
        AtomicInteger denied = new AtomicInteger();
        List<Future<MeshResponse>> calls = new ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) {
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
            assertThat(decided.await(30, TimeUnit.SECONDS)).as("every call admitted or denied").isTrue();
            int admitted = model.calls();
            assertThat(admitted).as("admitted while reservations are open").isLessThanOrEqualTo(3).isEqualTo(2);
            assertThat(denied.get()).isEqualTo(100 - admitted);
            BudgetStatus open = budgets.status(ctx).get(0);
            assertThat(open.reservedUsd()).isEqualByComparingTo("0.04");
            assertThat(open.usedUsd()).isLessThanOrEqualTo(new BigDecimal("1.00"));

            release.countDown();
            BigDecimal billed = BigDecimal.ZERO;
            for (Future<MeshResponse> f : calls) {
                try {
                    billed = billed.add(f.get(30, TimeUnit.SECONDS).cost().usd());
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(BudgetExceededException.class);
                }
            }
            BudgetStatus settled = budgets.status(ctx).get(0);
            assertThat(billed).isEqualByComparingTo("0.02");
            assertThat(settled.spentUsd()).isEqualByComparingTo("0.97").isLessThanOrEqualTo(new BigDecimal("1.00"));
            assertThat(settled.reservedUsd()).isEqualByComparingTo("0");
        } finally {
            pool.shutdownNow();
            mesh.close();
        }
    }

    @Test
    void aDeniedCallNamesTheBudgetTheLimitTheWindowAndWhenItResets() {
        ManualClock clock = new ManualClock(); // 2026-01-01T00:00:00Z
        clock.advance(java.time.Duration.ofHours(20));
        FakeModel model = FakeModel.priced("m", 0, 10).usage(10, 1000);
        BudgetPlugin budgets = BudgetPlugin.of(BudgetConfig.builder()
                .limit(BudgetLimit.team("search", BudgetWindow.DAY, new BigDecimal("0.05"))).build());
        Mesh mesh = Mesh.builder().clock(clock).addModel(model).install(budgets).build();
        CallContext ctx = CallContext.forTeam("search");
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from("hi")).maxOutputTokens(2000).build();
        mesh.chat(request, ctx);
        mesh.chat(request, ctx);
        mesh.chat(request, ctx);
        mesh.chat(request, ctx); // spent $0.04; $0.01 left, a call needs up to $0.02

        BudgetExceededException e = org.assertj.core.api.Assertions.catchThrowableOfType(BudgetExceededException.class, () -> mesh.chat(request, ctx));

        assertThat(e.scope()).isEqualTo("team:search/day");
        assertThat(e.resetsAt()).contains(java.time.Instant.parse("2026-01-02T00:00:00Z"));
        assertThat(e.getMessage()).contains("team:search/day", "limit $0.05 per day", "used $0.04",
                "up to $0.02", "resets at 2026-01-02T00:00:00Z", "in 4h 0m");
        assertThat(model.calls()).isEqualTo(4);

        clock.set(java.time.Instant.parse("2026-01-02T00:00:00Z"));
        assertThat(mesh.chat(request, ctx).text()).isEqualTo("answer from m");
        mesh.close();
    }
}
