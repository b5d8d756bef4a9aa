package dev.llmmesh.governance.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.CallContext;
import dev.llmmesh.Mesh;
import dev.llmmesh.state.BoundedAdd;
import dev.llmmesh.testkit.ManualClock;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpendLedgerTest {
    @TempDir
    Path dir;

    @Test
    void aRestartWithAnEmptyInMemoryStoreStartsFromTheLedgerNotFromZero() {
        ManualClock clock = new ManualClock();
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from("hi")).maxOutputTokens(2000).build();
        CallContext ctx = CallContext.forTeam("search");
        for (int run = 0; run < 2; run++) {
            try (FileSpendLedger ledger = FileSpendLedger.open(dir, "api-1", clock.instant())) {
                BudgetPlugin budgets = BudgetPlugin.of(BudgetConfig.builder().ledger(ledger)
                        .limit(BudgetLimit.team("search", BudgetWindow.DAY, new BigDecimal("0.05"))).build());
                Mesh mesh = Mesh.builder().clock(clock).addModel(FakeModel.priced("m", 0, 10).usage(10, 1000))
                        .install(budgets).build();
                if (run == 0) {
                    mesh.chat(request, ctx);
                    mesh.chat(request, ctx);
                    budgets.recordSpend(ctx, new BigDecimal("0.005"));
                }
                assertThat(budgets.status(ctx).get(0).spentUsd()).as("run " + run).isEqualByComparingTo("0.025");
                assertThat(budgets.status(ctx).get(0).usedUsd()).as("run " + run).isEqualByComparingTo("0.025");
                mesh.close();
            }
        }
    }

    @Test
    void totalsSumEveryInstancesLiveLinesAndOpeningDropsExpiredOnes() throws Exception {
        ManualClock clock = new ManualClock();
        try (FileSpendLedger a = FileSpendLedger.open(dir, "a", clock.instant());
             FileSpendLedger b = FileSpendLedger.open(dir, "b", clock.instant())) {
            a.record(List.of(new BoundedAdd("k", 5, Long.MAX_VALUE, Duration.ofMinutes(1)),
                    new BoundedAdd("day", 7, Long.MAX_VALUE, Duration.ofDays(1))), clock.instant());
            b.record(List.of(new BoundedAdd("k", 3, Long.MAX_VALUE, Duration.ofMinutes(1))), clock.instant());
            assertThat(a.totals(clock.instant())).extracting(BoundedAdd::key, BoundedAdd::delta)
                    .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("k", 8L),
                            org.assertj.core.groups.Tuple.tuple("day", 7L));
            clock.advance(Duration.ofMinutes(2));
            assertThat(b.totals(clock.instant())).extracting(BoundedAdd::key).containsExactly("day");
        }
        Files.writeString(dir.resolve("ledger-a.tsv"), "garbage line\n", java.nio.file.StandardOpenOption.APPEND);
        try (FileSpendLedger a = FileSpendLedger.open(dir, "a", clock.instant())) {
            assertThat(Files.readAllLines(a.file())).hasSize(1).allMatch(l -> l.endsWith("\tday"));
            assertThat(a.totals(clock.instant())).extracting(BoundedAdd::delta).containsExactly(7L);
        }
    }
}
