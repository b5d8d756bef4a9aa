package dev.llmmesh.governance.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.CallContext;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.NoRouteException;
import dev.llmmesh.PolicyDeniedException;
import dev.llmmesh.testkit.ManualClock;
import java.math.BigDecimal;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class UnpricedModelTest {
    private static final ChatRequest ASK = ChatRequest.builder().messages(UserMessage.from("hello")).build();
    private static final CallContext SEARCH = CallContext.forTeam("search");

    private static BudgetConfig.Builder teamBudget() {
        return BudgetConfig.builder().limit(BudgetLimit.team("search", BudgetWindow.DAY, new BigDecimal("10")));
    }

    @Test
    void scenario20_aModelWithoutAPriceIsRejectedNeverCalledFree() {
        FakeModel unpriced = FakeModel.unpriced("mystery");
        Mesh mesh = Mesh.builder().clock(new ManualClock()).addModel(unpriced)
                .install(BudgetPlugin.of(teamBudget().build())).build();

        PolicyDeniedException e = catchThrowableOfType(PolicyDeniedException.class, () -> mesh.chat(ASK, SEARCH));

        assertThat(e.policyId()).isEqualTo("budgets/unpriced-models");
        assertThat(e.getMessage()).contains("mystery has no price", "unpricedReservation");
        assertThat(unpriced.calls()).isZero();
        mesh.close();
    }

    @Test
    void scenario20_withPricedAndUnpricedCandidatesTheUnpricedOneIsNeverRoutedTo() {
        FakeModel unpriced = FakeModel.unpriced("a-mystery");
        FakeModel priced = FakeModel.priced("b-priced", 1, 2);
        Mesh mesh = Mesh.builder().clock(new ManualClock()).addModel(unpriced).addModel(priced)
                .install(BudgetPlugin.of(teamBudget().build())).build();

        for (int i = 0; i < 20; i++) {
            MeshResponse r = mesh.chat(ASK, SEARCH);
            assertThat(r.modelId()).contains("b-priced");
            assertThat(r.decision().orElseThrow().candidate("a-mystery").orElseThrow().rejection())
                    .hasValueSatisfying(reason -> assertThat(reason).contains("no price"));
        }
        assertThat(unpriced.calls()).isZero();
        // pinned to the unpriced model: refused before any call, with the reason
        ChatRequest pinned = ASK.toBuilder().modelName("a-mystery").build();
        assertThat(catchThrowableOfType(PolicyDeniedException.class, () -> mesh.chat(pinned, SEARCH)).policyId())
                .isEqualTo("budgets/unpriced-models");
        assertThat(unpriced.calls()).isZero();
        mesh.close();
    }

    @Test
    void scenario20_aConfiguredDefaultIsReservedAndAnUnknownCostSettlesAtItNotAtZero() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        FakeModel unpriced = FakeModel.unpriced("mystery").gate(entered, release);
        BudgetPlugin budgets = BudgetPlugin.of(teamBudget().unpricedReservation(new BigDecimal("0.50")).build());
        Mesh mesh = Mesh.builder().clock(new ManualClock()).addModel(unpriced).install(budgets).build();

        CompletableFuture<MeshResponse> call = mesh.chatAsync(ASK, SEARCH);
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        BudgetStatus during = budgets.status(SEARCH).get(0);
        assertThat(during.reservedUsd()).isEqualByComparingTo("0.50");

        release.countDown();
        MeshResponse r = call.get(10, TimeUnit.SECONDS);
        assertThat(r.cost().known()).isFalse();
        BudgetStatus after = budgets.status(SEARCH).get(0);
        assertThat(after.spentUsd()).isEqualByComparingTo("0.50");
        assertThat(after.reservedUsd()).isEqualByComparingTo("0");
        assertThat(budgets.estimate(ASK, SEARCH, false).defaultReserved()).isTrue();
        mesh.close();
    }

    @Test
    void callsNoBudgetAppliesToMayStillUseModelsWithoutAPrice() {
        FakeModel unpriced = FakeModel.unpriced("mystery");
        Mesh mesh = Mesh.builder().clock(new ManualClock()).addModel(unpriced)
                .install(BudgetPlugin.of(teamBudget().build())).build();

        assertThat(mesh.chat(ASK, CallContext.forTeam("other")).modelId()).contains("mystery");
        assertThat(catchThrowableOfType(PolicyDeniedException.class, () -> mesh.chat(ASK, SEARCH))).isNotNull();
        assertThat(unpriced.calls()).isEqualTo(1);
        mesh.close();
    }

    @Test
    void aRequestNoModelCanServeReservesNothingAndFailsWithTheRoutersReason() {
        FakeModel priced = FakeModel.priced("priced", 1, 2);
        BudgetPlugin budgets = BudgetPlugin.of(teamBudget().build());
        Mesh mesh = Mesh.builder().clock(new ManualClock()).addModel(priced).install(budgets).build();
        ChatRequest unknown = ASK.toBuilder().modelName("not-registered").build();

        assertThat(catchThrowableOfType(NoRouteException.class, () -> mesh.chat(unknown, SEARCH))).isNotNull();
        assertThat(budgets.status(SEARCH).get(0).usedUsd()).isEqualByComparingTo("0");
        mesh.close();
    }
}
