package dev.llmmesh.governance.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.CallContext;
import dev.llmmesh.Mesh;
import dev.llmmesh.client.Capability;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.client.Pricing;
import dev.llmmesh.routing.HedgeConfig;
import dev.llmmesh.routing.RouterConfig;
import dev.llmmesh.testkit.ManualClock;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EstimateFidelityTest {
    /** 400 characters: 100 tokens of text plus 4 of framing. */
    private static final String PROMPT = "x".repeat(400);
    private static final CallContext SEARCH = CallContext.forTeam("search");

    private static BudgetConfig.Builder budget() {
        return BudgetConfig.builder().limit(BudgetLimit.each(Scope.TEAM, BudgetWindow.DAY, new BigDecimal("100")));
    }

    private static ModelDescriptor.Builder model(String id, Pricing pricing, int maxOutput) {
        return ModelDescriptor.builder(id, "fake", id).capabilities(Capability.CHAT, Capability.STREAMING)
                .contextWindow(200_000).maxOutputTokens(maxOutput).pricing(pricing);
    }

    @Test
    void scenario26_aReasoningModelReservesItsOutputAtTheReasoningPriceWhenThatIsHigher() {
        FakeModel reasoner = FakeModel.of(model("o-reasoner", Pricing.perMillion(1, 4).withReasoning(12), 32_000).build());
        BudgetPlugin budgets = BudgetPlugin.of(budget().build());
        Mesh mesh = Mesh.builder().clock(new ManualClock()).addModel(reasoner).install(budgets).build();
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from(PROMPT)).maxOutputTokens(1000).build();

        CostEstimate e = budgets.estimate(request, SEARCH, false);

        assertThat(e.inputTokens()).isEqualTo(104);
        assertThat(e.outputTokens()).isEqualTo(1000);
        // 104 x $1/M + 1000 x $12/M (reasoning, not the $4 output price)
        assertThat(e.usd()).isEqualByComparingTo("0.012104");
        mesh.close();
    }

    @Test
    void scenario26_aRequestWithoutMaxTokensReservesTheModelsMaximumOutput() {
        FakeModel m = FakeModel.of(model("m", Pricing.perMillion(1, 10), 16_000).build());
        BudgetPlugin budgets = BudgetPlugin.of(budget().build());
        Mesh mesh = Mesh.builder().clock(new ManualClock()).addModel(m).install(budgets).build();

        CostEstimate e = budgets.estimate(ChatRequest.builder().messages(UserMessage.from(PROMPT)).build(), SEARCH, false);

        assertThat(e.outputTokens()).isEqualTo(16_000);
        assertThat(e.usd()).isEqualByComparingTo("0.160104");
        mesh.close();
    }

    @Test
    void scenario26_theTeamsOutputCapClampsBothTheReservationAndTheRequestSentToTheModel() {
        FakeModel m = FakeModel.of(model("m", Pricing.perMillion(1, 10), 16_000).build());
        BudgetPlugin budgets = BudgetPlugin.of(budget().maxOutputTokens(4096).teamMaxOutputTokens("search", 1024).build());
        Mesh mesh = Mesh.builder().clock(new ManualClock()).addModel(m).install(budgets).build();
        ChatRequest unbounded = ChatRequest.builder().messages(UserMessage.from(PROMPT)).build();
        ChatRequest tooBig = unbounded.toBuilder().maxOutputTokens(8000).build();

        assertThat(budgets.estimate(unbounded, SEARCH, false).outputTokens()).isEqualTo(1024);
        assertThat(budgets.estimate(tooBig, SEARCH, false).outputTokens()).isEqualTo(1024);
        assertThat(budgets.estimate(unbounded, CallContext.forTeam("other"), false).outputTokens()).isEqualTo(4096);
        mesh.chat(unbounded, SEARCH);
        mesh.chat(tooBig, SEARCH);
        mesh.chat(unbounded, CallContext.forTeam("other"));
        mesh.chat(unbounded.toBuilder().maxOutputTokens(100).build(), SEARCH);

        assertThat(m.requests()).extracting(ChatRequest::maxOutputTokens).containsExactly(1024, 1024, 4096, 100);
        assertThat(m.requests().get(0).messages()).isEqualTo(unbounded.messages());
        mesh.close();
    }

    @Test
    void theReservationIsTheWorstCaseOverTheModelsTheRouterCouldPick() {
        FakeModel cheapTools = FakeModel.of(model("cheap", Pricing.perMillion(1, 2), 4000)
                .capabilities(Capability.CHAT, Capability.STREAMING, Capability.TOOLS).build());
        FakeModel dearNoTools = FakeModel.of(model("dear", Pricing.perMillion(5, 20), 4000).build());
        FakeModel retired = FakeModel.of(model("retired", Pricing.perMillion(50, 200), 4000)
                .lifecycle(dev.llmmesh.catalog.Lifecycle.of(dev.llmmesh.catalog.LifecycleState.RETIRED, "ops",
                        java.time.Instant.EPOCH)).build());
        BudgetPlugin budgets = BudgetPlugin.of(budget().build());
        Mesh mesh = Mesh.builder().clock(new ManualClock()).addModel(cheapTools).addModel(dearNoTools)
                .addModel(retired).install(budgets).build();
        ChatRequest plain = ChatRequest.builder().messages(UserMessage.from(PROMPT)).maxOutputTokens(1000).build();
        ChatRequest withTools = plain.toBuilder().toolSpecifications(ToolSpecification.builder().name("t")
                .description("d").build()).build();

        assertThat(budgets.estimate(plain, SEARCH, false).worstModel()).contains("dear");
        assertThat(budgets.estimate(withTools, SEARCH, false).worstModel()).contains("cheap");
        assertThat(budgets.estimate(plain.toBuilder().modelName("cheap").build(), SEARCH, false).worstModel())
                .contains("cheap");
        mesh.close();
    }

    @Test
    void aHedgingMeshReservesForBothHedgedAttempts() {
        FakeModel a = FakeModel.of(model("a", Pricing.perMillion(1, 10), 4000).build());
        FakeModel b = FakeModel.of(model("b", Pricing.perMillion(1, 10), 4000).build());
        BudgetPlugin budgets = BudgetPlugin.of(budget().build());
        Mesh mesh = Mesh.builder().clock(new ManualClock()).addModel(a).addModel(b)
                .routing(RouterConfig.builder().hedging(HedgeConfig.after(Duration.ofSeconds(2))).build())
                .install(budgets).build();
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from(PROMPT)).maxOutputTokens(1000).build();

        assertThat(budgets.estimate(request, SEARCH, false).usd()).isEqualByComparingTo("0.020208");
        assertThat(budgets.estimate(request, SEARCH, true).usd()).as("streams are never hedged")
                .isEqualByComparingTo("0.010104");
        mesh.close();
    }
}
