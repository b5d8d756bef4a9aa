package dev.llmmesh.governance.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.llmmesh.CallContext;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.testkit.ManualClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StarvationTest {
    private static final ChatRequest BIG = ChatRequest.builder().messages(UserMessage.from("write a long report"))
            .maxOutputTokens(32_000).build();

    @Test
    void scenario22_thirtyConcurrent32kReservationsUnderA25DollarBudgetNeverStarveAndSettleExactly() throws Exception {
        ManualClock clock = new ManualClock();
        // $15 per million output: a 32k reservation is $0.48; the 500 tokens really used cost $0.0075
        FakeModel model = FakeModel.priced("big", 2.5, 15).usage(30, 500)
                .onCall(() -> clock.advance(Duration.ofMillis(50)));
        BudgetPlugin budgets = BudgetPlugin.of(BudgetConfig.builder()
                .limit(BudgetLimit.team("reports", BudgetWindow.DAY, new BigDecimal("25"))).build());
        Mesh mesh = Mesh.builder().clock(clock).addModel(model).install(budgets).build();
        CallContext ctx = CallContext.forTeam("reports");
        Instant start = clock.instant();

        ExecutorService pool = Executors.newFixedThreadPool(30);
        List<Future<BigDecimal>> results = new ArrayList<>();
        for (int t = 0; t < 30; t++) {
            results.add(pool.submit(() -> {
                BigDecimal sum = BigDecimal.ZERO;
                for (int i = 0; i < 40; i++) {
                    sum = sum.add(mesh.chat(BIG, ctx).cost().usd()); // a denial would fail the test
                }
                return sum;
            }));
        }
        BigDecimal billed = BigDecimal.ZERO;
        for (Future<BigDecimal> f : results) {
            billed = billed.add(f.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();

        assertThat(Duration.between(start, clock.instant())).isEqualTo(Duration.ofSeconds(60));
        assertThat(model.calls()).isEqualTo(1200);
        BudgetStatus s = budgets.status(ctx).get(0);
        assertThat(s.spentUsd()).isEqualByComparingTo(billed);
        BigDecimal gap = s.usedUsd().subtract(s.spentUsd()).abs();
        assertThat(gap).isLessThanOrEqualTo(s.spentUsd().multiply(new BigDecimal("0.01")));
        assertThat(s.reservedUsd()).isEqualByComparingTo("0");
        mesh.close();
    }

    @Test
    void scenario22_aReservationIsReleasedBeforeTheCallReturnsAndWhenAStreamCompletes() throws Exception {
        ManualClock clock = new ManualClock();
        FakeModel model = FakeModel.priced("big", 2.5, 15).usage(30, 500);
        BudgetPlugin budgets = BudgetPlugin.of(BudgetConfig.builder()
                .limit(BudgetLimit.team("reports", BudgetWindow.DAY, new BigDecimal("25"))).build());
        Mesh mesh = Mesh.builder().clock(clock).addModel(model).install(budgets).build();
        CallContext ctx = CallContext.forTeam("reports");

        for (int i = 0; i < 5; i++) {
            mesh.chat(BIG, ctx);
            BudgetStatus s = budgets.status(ctx).get(0);
            assertThat(s.reservedUsd()).as("reserved after call %d returned", i).isEqualByComparingTo("0");
        }
        for (int i = 0; i < 5; i++) {
            MeshResponse r = mesh.stream(BIG, ctx, new StreamingChatResponseHandler() {
                @Override
                public void onPartialResponse(String partialResponse) {
                }

                @Override
                public void onCompleteResponse(ChatResponse completeResponse) {
                }

                @Override
                public void onError(Throwable error) {
                }
            }).get(10, TimeUnit.SECONDS);
            assertThat(r.cost().usd()).isEqualByComparingTo("0.007575");
            assertThat(budgets.status(ctx).get(0).reservedUsd()).isEqualByComparingTo("0");
        }
        assertThat(budgets.status(ctx).get(0).spentUsd()).isEqualByComparingTo("0.07575");
        mesh.close();
    }
}
