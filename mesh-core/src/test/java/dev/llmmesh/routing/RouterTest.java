package dev.llmmesh.routing;

import static dev.llmmesh.TestRequests.ask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.CallContext;
import dev.llmmesh.ContextLengthExceededException;
import dev.llmmesh.DataClass;
import dev.llmmesh.ErrorKind;
import dev.llmmesh.FakeClient;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.NoRouteException;
import dev.llmmesh.NonRetryableException;
import dev.llmmesh.RetryableException;
import dev.llmmesh.TestClock;
import dev.llmmesh.catalog.Lifecycle;
import dev.llmmesh.catalog.LifecycleState;
import dev.llmmesh.client.Capability;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.client.Pricing;
import dev.llmmesh.event.MeshEvent;
import dev.llmmesh.event.MeshListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouterTest {

    private static ModelDescriptor.Builder model(String id) {
        return ModelDescriptor.builder(id, "openai", id).capabilities(Capability.CHAT, Capability.STREAMING)
                .contextWindow(100_000).maxOutputTokens(8_000).pricing(Pricing.perMillion(1, 2));
    }

    private static FakeClient client(ModelDescriptor d) {
        return new FakeClient(d, "from " + d.id());
    }

    @Test
    void cheapestHealthyModelIsPrimaryWithOthersAsFallbacks() {
        Mesh mesh = Mesh.builder()
                .addModel(FakeClient.model("pricey", 10, 30))
                .addModel(FakeClient.model("cheap", 0.15, 0.6))
                .addModel(FakeClient.model("mid", 2.5, 10))
                .build();

        MeshResponse r = mesh.chat(ask("hello"));

        RoutingDecision d = r.decision().orElseThrow();
        assertThat(d.plan()).containsExactly("cheap", "mid", "pricey");
        assertThat(r.modelId()).contains("cheap");
        assertThat(d.candidate("cheap").orElseThrow().score().orElseThrow().costTerm()).isEqualTo(1.0);
        assertThat(d.candidate("pricey").orElseThrow().score().orElseThrow().costTerm()).isLessThan(0.05);
    }

    @Test
    void capabilityFilterRejectsModelsWithoutToolsWhenTheRequestHasTools() {
        FakeClient noTools = client(model("plain").pricing(Pricing.perMillion(0.1, 0.1)).build());
        FakeClient tools = client(model("tooly").capabilities(Capability.CHAT, Capability.TOOLS).build());
        Mesh mesh = Mesh.builder().addModel(noTools).addModel(tools).build();
        ChatRequest withTools = ChatRequest.builder().messages(UserMessage.from("weather?"))
                .toolSpecifications(ToolSpecification.builder().name("weather").description("gets weather").build())
                .build();

        MeshResponse r = mesh.chat(withTools);

        assertThat(r.modelId()).contains("tooly");
        assertThat(noTools.calls()).isZero();
        assertThat(r.decision().orElseThrow().candidate("plain").orElseThrow().rejection())
                .contains("missing capabilities [tools]");
    }

    @Test
    void everyRejectedCandidateIsExplained() {
        Mesh mesh = Mesh.builder()
                .addModel(client(model("proposed").lifecycle(Lifecycle.proposed()).build()))
                .addModel(client(model("small").contextWindow(1_000).maxOutputTokens(500).build()))
                .addModel(client(model("public-only").build()))
                .addModel(client(model("no-vision-needed-but-denied").maxDataClass(DataClass.CONFIDENTIAL).build()))
                .addModel(client(model("ok").maxDataClass(DataClass.RESTRICTED).build()))
                .addRouteFilter((m, req, ctx) -> m.id().startsWith("no-vision")
                        ? Optional.of("denied by policy test/deny") : Optional.empty())
                .build();
        ChatRequest big = ChatRequest.builder().messages(UserMessage.from("x".repeat(8_000))).build();

        MeshResponse r = mesh.chat(big, CallContext.builder().dataClass(DataClass.CONFIDENTIAL).build());

        RoutingDecision d = r.decision().orElseThrow();
        assertThat(d.plan()).containsExactly("ok");
        assertThat(d.candidate("proposed").orElseThrow().rejection()).contains("lifecycle proposed");
        assertThat(d.candidate("small").orElseThrow().rejection().orElseThrow()).startsWith("context window 1000 < needed");
        assertThat(d.candidate("public-only").orElseThrow().rejection())
                .contains("data class confidential above model ceiling public");
        assertThat(d.candidate("no-vision-needed-but-denied").orElseThrow().rejection()).contains("denied by policy test/deny");
        String table = d.toTable();
        assertThat(table).contains("rank", "model", "rejected: lifecycle proposed", "primary");
        assertThat(table.lines().count()).isEqualTo(2 + 5);
    }

    @Test
    void pinnedModelNameOrAliasRestrictsCandidates() {
        Mesh mesh = Mesh.builder()
                .addModel(client(model("a").pricing(Pricing.perMillion(0.1, 0.1)).build()))
                .addModel(client(model("b").aliases("smart").build()))
                .build();

        MeshResponse r = mesh.chat(ChatRequest.builder().messages(UserMessage.from("x")).modelName("smart").build());

        assertThat(r.modelId()).contains("b");
        assertThat(r.decision().orElseThrow().candidate("a").orElseThrow().rejection())
                .contains("request asks for model \"smart\"");
    }

    @Test
    void fallsBackOnRetryableErrorsAndRecordsEveryAttempt() {
        FakeClient a = FakeClient.model("a", 0.1, 0.2).thenFail(RetryableException.rateLimited("a", null, "429"));
        FakeClient b = FakeClient.model("b", 1, 2).thenFail(RetryableException.serverError("b", "500"));
        FakeClient c = FakeClient.model("c", 5, 10);
        List<String> fallbacks = new ArrayList<>();
        Mesh mesh = Mesh.builder().addModel(a).addModel(b).addModel(c)
                .addListener(new MeshListener() {
                    @Override
                    public void fallbackTaken(MeshEvent.FallbackTaken e) {
                        fallbacks.add(e.fromModel() + "->" + e.toModel() + ":" + e.reason().code());
                    }
                })
                .build();

        MeshResponse r = mesh.chat(ask("hi"));

        assertThat(r.modelId()).contains("c");
        assertThat(r.attempts()).extracting(x -> x.modelId() + ":" + x.error().map(ErrorKind::code).orElse("ok"))
                .containsExactly("a:rate_limited", "b:server_error", "c:ok");
        assertThat(fallbacks).containsExactly("a->b:rate_limited", "b->c:server_error");
        assertThat(r.failedAttempts()).isEqualTo(2);
    }

    @Test
    void doesNotFallBackOnNonRetryableErrors() {
        FakeClient a = FakeClient.model("a", 0.1, 0.2).thenFail(NonRetryableException.badRequest("a", "400"));
        FakeClient b = FakeClient.model("b", 1, 2);
        Mesh mesh = Mesh.builder().addModel(a).addModel(b).build();

        assertThatThrownBy(() -> mesh.chat(ask("hi")))
                .isInstanceOf(NonRetryableException.class)
                .extracting(e -> ((NonRetryableException) e).kind()).isEqualTo(ErrorKind.BAD_REQUEST);
        assertThat(b.calls()).isZero();
        assertThat(a.calls()).isEqualTo(1);
    }

    @Test
    void authenticationFailureMovesToADifferentDeploymentAndIsNotRetriedThere() {
        FakeClient a = FakeClient.model("a", 0.1, 0.2).thenFail(NonRetryableException.authentication("a", "401"));
        FakeClient b = FakeClient.model("b", 1, 2);
        Mesh mesh = Mesh.builder().addModel(a).addModel(b).build();

        MeshResponse r = mesh.chat(ask("hi"));

        assertThat(r.modelId()).contains("b");
        assertThat(a.calls()).isEqualTo(1);
    }

    @Test
    void contextLengthFailureFallsBackOnlyToALargerContextWindow() {
        FakeClient small = client(model("small").contextWindow(16_000).pricing(Pricing.perMillion(0.1, 0.1)).build())
                .thenFail(new ContextLengthExceededException("too long", "small", null));
        FakeClient same = client(model("same-size").contextWindow(16_000).pricing(Pricing.perMillion(0.2, 0.2)).build());
        FakeClient large = client(model("large").contextWindow(200_000).pricing(Pricing.perMillion(3, 3)).build());
        Mesh mesh = Mesh.builder().addModel(small).addModel(same).addModel(large).build();

        MeshResponse r = mesh.chat(ask("long"));

        assertThat(r.modelId()).contains("large");
        assertThat(same.calls()).isZero();
    }

    @Test
    void attemptsAreCappedByMaxAttempts() {
        RetryableException boom = RetryableException.serverError("x", "500");
        FakeClient a = FakeClient.model("a", 0.1, 0.1).alwaysFail(boom);
        FakeClient b = FakeClient.model("b", 0.2, 0.2).alwaysFail(boom);
        FakeClient c = FakeClient.model("c", 0.3, 0.3);
        Mesh mesh = Mesh.builder().addModel(a).addModel(b).addModel(c)
                .routing(RouterConfig.builder().maxAttempts(2).build()).build();

        assertThatThrownBy(() -> mesh.chat(ask("hi")))
                .isInstanceOf(NoRouteException.class)
                .hasMessageContaining("2 attempt(s) failed");
        assertThat(c.calls()).isZero();
    }

    @Test
    void retryAfterPutsTheModelInCooldownAndTheRouterSaysSo() {
        TestClock clock = new TestClock();
        clock.set(Instant.parse("2026-01-01T00:00:00Z"));
        FakeClient a = FakeClient.model("a", 0.1, 0.2)
                .thenFail(RetryableException.rateLimited("a", Duration.ofSeconds(30), "429"));
        FakeClient b = FakeClient.model("b", 1, 2);
        Mesh mesh = Mesh.builder().addModel(a).addModel(b).clock(clock).build();

        mesh.chat(ask("first"));
        MeshResponse second = mesh.chat(ask("second"));

        assertThat(a.calls()).isEqualTo(1);
        assertThat(second.decision().orElseThrow().candidate("a").orElseThrow().rejection().orElseThrow())
                .startsWith("cooling down until 2026-01-01T00:00:30Z");
        clock.advance(Duration.ofSeconds(31));
        RoutingDecision third = mesh.chat(ask("third")).decision().orElseThrow();
        assertThat(third.candidate("a").orElseThrow().rejected()).isFalse();
        assertThat(third.plan()).contains("a");
    }

    @Test
    void noEligibleModelGivesNoRouteWithTheDecision() {
        Mesh mesh = Mesh.builder().addModel(client(model("retired")
                .lifecycle(Lifecycle.of(LifecycleState.RETIRED, "ops", Instant.EPOCH)).build())).build();

        assertThatThrownBy(() -> mesh.chat(ask("hi")))
                .isInstanceOfSatisfying(NoRouteException.class, e -> {
                    assertThat(e.attempts()).isEmpty();
                    assertThat(e.decision().rejected()).hasSize(1);
                    assertThat(e.getMessage()).contains("retired (lifecycle retired)");
                });
    }

    @Test
    void routeFilterIsReappliedOnEveryHop() {
        List<String> denied = new ArrayList<>();
        boolean[] denyB = {false};
        FakeClient a = FakeClient.model("a", 0.1, 0.1).thenFail(RetryableException.serverError("a", "500"));
        FakeClient b = FakeClient.model("b", 0.2, 0.2);
        FakeClient c = FakeClient.model("c", 0.3, 0.3);
        Mesh mesh = Mesh.builder().addModel(a).addModel(b).addModel(c)
                .addRouteFilter(new RouteFilter() {
                    @Override
                    public Optional<String> reject(ModelDescriptor m, ChatRequest r, CallContext ctx) {
                        return denyB[0] && m.id().equals("b") ? Optional.of("b revoked") : Optional.empty();
                    }

                    @Override
                    public String policyId() {
                        return "test/revocation";
                    }
                })
                .addAttemptInterceptor(chain -> {
                    denyB[0] = true; // policy changes between planning and the fallback hop
                    return chain.proceed(chain.request());
                })
                .addListener(new MeshListener() {
                    @Override
                    public void modelDenied(MeshEvent.ModelDenied e) {
                        denied.add(e.modelId() + "/" + e.policyId());
                    }
                })
                .build();

        MeshResponse r = mesh.chat(ask("hi"));

        assertThat(r.modelId()).contains("c");
        assertThat(b.calls()).isZero();
        assertThat(denied).containsExactly("b/test/revocation");
    }

    @Test
    void latencyAndSuccessHistoryChangeTheScore() {
        FakeClient flaky = FakeClient.model("flaky", 1, 1);
        for (int i = 0; i < 5; i++) {
            flaky.thenFail(RetryableException.serverError("flaky", "500"));
        }
        FakeClient steady = FakeClient.model("steady", 1, 1);
        Mesh mesh = Mesh.builder().addModel(flaky).addModel(steady).build();

        for (int i = 0; i < 5; i++) {
            mesh.chat(ask("warm " + i));
        }
        RoutingDecision d = mesh.chat(ask("now")).decision().orElseThrow();

        assertThat(d.primary()).contains("steady");
        assertThat(d.candidate("flaky").orElseThrow().health().successRate()).isLessThan(0.5);
    }

    @Test
    void equalInputsGiveEqualPlans() {
        Mesh mesh = Mesh.builder().addModel(FakeClient.model("b", 1, 1)).addModel(FakeClient.model("a", 1, 1)).build();

        assertThat(mesh.chat(ask("x")).decision().orElseThrow().plan()).containsExactly("a", "b");
        assertThat(mesh.chat(ask("x")).decision().orElseThrow().plan()).containsExactly("a", "b");
    }

    @Test
    void costIsComputedFromThePriceTableOfTheModelThatAnswered() {
        FakeClient a = FakeClient.model("a", 2.0, 8.0); // FakeClient reports 100 input, 50 output tokens
        Mesh mesh = Mesh.builder().addModel(a).build();

        MeshResponse r = mesh.chat(ask("x"));

        // 100 * 2 / 1e6 + 50 * 8 / 1e6 = 0.0006
        assertThat(r.cost().known()).isTrue();
        assertThat(r.cost().usd()).isEqualByComparingTo("0.0006");
    }

    @Test
    void modelWithoutPriceHasUnknownCostNotZero() {
        FakeClient free = new FakeClient(ModelDescriptor.builder("unpriced", "ollama", "llama3").build(), "hi");
        Mesh mesh = Mesh.builder().addModel(free).build();

        MeshResponse r = mesh.chat(ask("x"));

        assertThat(r.cost().known()).isFalse();
        assertThat(r.cost().toString()).isEqualTo("unknown");
        assertThat(r.decision().orElseThrow().candidate("unpriced").orElseThrow().score().orElseThrow().costTerm()).isZero();
    }
}
