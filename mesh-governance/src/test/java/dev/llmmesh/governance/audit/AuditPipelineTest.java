package dev.llmmesh.governance.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.BudgetExceededException;
import dev.llmmesh.CallContext;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.PolicyDeniedException;
import dev.llmmesh.Secret;
import dev.llmmesh.Verdict;
import dev.llmmesh.governance.budget.BudgetConfig;
import dev.llmmesh.governance.budget.BudgetLimit;
import dev.llmmesh.governance.budget.BudgetPlugin;
import dev.llmmesh.governance.budget.BudgetWindow;
import dev.llmmesh.governance.budget.FakeModel;
import dev.llmmesh.routing.RouteFilter;
import dev.llmmesh.testkit.ManualClock;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditPipelineTest {
    private static final Secret KEY = Secret.of("pipeline-hmac-key-42");
    @TempDir
    Path dir;

    private AuditPlugin open(AuditSink sink) {
        return AuditPlugin.open(AuditConfig.builder(dir.resolve("outbox"), sink).deliveryInterval(Duration.ZERO)
                .build());
    }

    @Test
    void everyLogicalCallGetsExactlyOneRecordWhetherItAnsweredOrWasRefused() {
        ManualClock clock = new ManualClock();
        FileAuditSink sink = FileAuditSink.builder(dir.resolve("audit.jsonl"), KEY).clock(clock).open();
        AuditPlugin audit = open(sink);
        FakeModel cheap = FakeModel.priced("cheap", 1, 2).usage(12, 34).onCall(() -> clock.advance(Duration.ofMillis(250)));
        FakeModel banned = FakeModel.priced("banned", 0.01, 0.01);
        AtomicInteger checks = new AtomicInteger();
        RouteFilter flipping = new RouteFilter() {
            @Override
            public Optional<String> reject(dev.llmmesh.client.ModelDescriptor model, ChatRequest request,
                                           CallContext context) {
                // passes at routing, refuses on the attempt re-check: a policy that changed mid-call
                if (model.id().equals("banned") && context.team().orElse("").equals("risky")
                        && checks.incrementAndGet() % 2 == 0) {
                    return Optional.of("denied by policy org/models.denied");
                }
                return Optional.empty();
            }

            @Override
            public String policyId() {
                return "org/models.denied";
            }
        };
        Mesh mesh = Mesh.builder().clock(clock).addModel(cheap).addModel(banned)
                .install(audit)
                .addCallInterceptor(chain -> {
                    if (chain.context().team().orElse("").equals("blocked")) {
                        chain.call().addVerdict(new Verdict("org/teams.blocked", Verdict.Decision.DENY, "team blocked"));
                        throw new PolicyDeniedException("org/teams.blocked", "team blocked", null);
                    }
                    return chain.proceed(chain.request());
                })
                .install(BudgetPlugin.of(BudgetConfig.builder()
                        .limit(BudgetLimit.team("broke", BudgetWindow.DAY, BigDecimal.ZERO)).build()))
                .addRouteFilter(flipping)
                .build();
        ChatRequest ask = ChatRequest.builder().messages(SystemMessage.from("be brief"), UserMessage.from("hello"))
                .maxOutputTokens(100).build();

        MeshResponse ok = mesh.chat(ask.toBuilder().modelName("cheap").build(),
                CallContext.builder().requestId("r-ok").team("search").user("ann").build());
        assertThatThrownBy(() -> mesh.chat(ask, CallContext.builder().requestId("r-blocked").team("blocked").build()))
                .isInstanceOf(PolicyDeniedException.class);
        assertThatThrownBy(() -> mesh.chat(ask, CallContext.builder().requestId("r-broke").team("broke").build()))
                .isInstanceOf(BudgetExceededException.class);
        MeshResponse rerouted = mesh.chat(ask.toBuilder().maxOutputTokens(50).build(),
                CallContext.builder().requestId("r-risky").team("risky").build());
        DeliveryReport report = audit.flush();

        assertThat(report.delivered()).isEqualTo(4);
        assertThat(report.drained()).isTrue();
        Map<String, AuditRecord> byId = AuditFixtures.records(sink.log()).stream()
                .collect(Collectors.toMap(AuditRecord::requestId, Function.identity()));
        assertThat(byId).containsOnlyKeys("r-ok", "r-blocked", "r-broke", "r-risky");

        AuditRecord r = byId.get("r-ok");
        assertThat(r.team()).contains("search");
        assertThat(r.user()).contains("ann");
        assertThat(r.model()).contains("cheap").isEqualTo(ok.modelId());
        assertThat(r.requestedModel()).contains("cheap");
        assertThat(r.provider()).contains("fake");
        assertThat(r.outcome().ok()).isTrue();
        assertThat(r.tokens()).isEqualTo(new AuditRecord.Tokens(12, 34, 0, 0));
        assertThat(r.costUsd()).isEqualByComparingTo(ok.cost().usd());
        assertThat(r.latency()).isEqualTo(Duration.ofMillis(250));
        assertThat(r.routing().orElseThrow().plan()).isNotEmpty();
        assertThat(r.attempts()).hasSize(1);
        assertThat(r.prompt().text()).isEmpty();
        assertThat(r.prompt().sha256()).hasSize(64);
        assertThat(r.response()).isPresent();

        assertThat(byId.get("r-blocked").outcome()).isEqualTo(new AuditRecord.Outcome(false,
                Optional.of("policy_denied"), Optional.of("policy org/teams.blocked")));
        assertThat(byId.get("r-blocked").decisions()).extracting(AuditRecord.Decision::policyId)
                .containsExactly("org/teams.blocked");
        assertThat(byId.get("r-blocked").attempts()).isEmpty();

        AuditRecord broke = byId.get("r-broke");
        assertThat(broke.outcome().error()).contains("budget_exceeded");
        assertThat(broke.decisions()).extracting(AuditRecord.Decision::policyId)
                .containsExactly("budgets/team:broke/day");
        assertThat(broke.costUsd()).isEqualByComparingTo("0");

        AuditRecord risky = byId.get("r-risky");
        assertThat(rerouted.modelId()).contains("cheap");
        assertThat(risky.model()).contains("cheap");
        assertThat(risky.decisions()).anySatisfy(d -> {
            assertThat(d.source()).isEqualTo(AuditRecord.Source.MODEL_DENIED);
            assertThat(d.policyId()).isEqualTo("org/models.denied");
            assertThat(d.model()).contains("banned");
        });
        assertThat(banned.calls()).isZero();

        assertThat(AuditVerifier.verify(sink.log(), KEY).ok()).isTrue();
        mesh.close();
        audit.close();
    }

    @Test
    void aRecordSurvivesItsJsonFormUnchanged() {
        AuditRecord r = AuditFixtures.record(3, "search", "gpt", "0.0123", java.time.Instant.parse("2026-02-03T04:05:06Z"));
        assertThat(AuditRecord.fromJson(r.toJson())).isEqualTo(r);
        assertThat(r.toJson()).doesNotContain("\n").startsWith("{\"v\":1,\"recordId\":\"rec-3\"");
        assertThatThrownBy(() -> AuditRecord.fromJson("{\"v\":9}")).hasMessageContaining("version 9");
        assertThatThrownBy(() -> AuditRecord.fromJson("{not json")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theAuditInterceptorRunsFirstWhateverTheInstallOrder() {
        AuditPlugin audit = open(new AuditFixtures.MemorySink(r -> false));
        var builder = Mesh.builder().addModel(FakeModel.priced("m", 1, 1)).install(BudgetPlugin.of(
                BudgetConfig.builder().limit(BudgetLimit.org(BudgetWindow.DAY, BigDecimal.ONE)).build()));

        builder.install(audit);

        assertThat(builder.callInterceptors()).hasSizeGreaterThan(1);
        assertThat(builder.callInterceptors().get(0).name()).isEqualTo("audit");
        audit.close();
    }

    @Test
    void teamsThatOptedInKeepPromptAndAnswerTextAsWellAsTheirHashes() {
        AuditFixtures.MemorySink sink = new AuditFixtures.MemorySink(r -> false);
        AuditPlugin audit = AuditPlugin.open(AuditConfig.builder(dir.resolve("outbox"), sink)
                .deliveryInterval(Duration.ZERO).includeContentFor("legal").build());
        Mesh mesh = Mesh.builder().clock(new ManualClock()).addModel(FakeModel.priced("m", 1, 1)).install(audit).build();
        ChatRequest ask = ChatRequest.builder().messages(UserMessage.from("review clause 7")).build();

        mesh.chat(ask, CallContext.forTeam("legal"));
        mesh.chat(ask, CallContext.forTeam("search"));
        audit.flush();

        List<AuditRecord> records = sink.stored.stream().map(AuditEntry::record).toList();
        assertThat(records.get(0).prompt().text()).hasValueSatisfying(t -> assertThat(t).contains("review clause 7"));
        assertThat(records.get(0).response().orElseThrow().text()).contains("answer from m");
        assertThat(records.get(1).prompt().text()).isEmpty();
        assertThat(records.get(1).prompt().sha256()).isEqualTo(records.get(0).prompt().sha256());
        mesh.close();
        audit.close();
    }

    @Test
    void aStreamCancelledByTheCallerIsAuditedAsCancelled() throws Exception {
        AuditFixtures.MemorySink sink = new AuditFixtures.MemorySink(r -> false);
        AuditPlugin audit = open(sink);
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
        FakeModel model = FakeModel.priced("m", 1, 2).hangStreams(started);
        Mesh mesh = Mesh.builder().clock(new ManualClock()).addModel(model).install(audit)
                .addListener(new dev.llmmesh.event.MeshListener() {
                    @Override
                    public void callEnded(dev.llmmesh.event.MeshEvent.CallEnded event) {
                        ended.countDown();
                    }
                }).build();
        var future = mesh.stream(ChatRequest.builder().messages(UserMessage.from("tell me a story")).build(),
                CallContext.builder().requestId("r-cancel").team("search").build(),
                new dev.langchain4j.model.chat.response.StreamingChatResponseHandler() {
                    @Override
                    public void onPartialResponse(String partialResponse) {
                    }

                    @Override
                    public void onCompleteResponse(dev.langchain4j.model.chat.response.ChatResponse response) {
                    }

                    @Override
                    public void onError(Throwable error) {
                    }
                });
        assertThat(started.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        future.cancel(true);
        assertThat(ended.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        audit.flush();
        assertThat(sink.stored).singleElement().satisfies(e -> {
            assertThat(e.record().requestId()).isEqualTo("r-cancel");
            assertThat(e.record().streaming()).isTrue();
            assertThat(e.record().outcome().ok()).isFalse();
            assertThat(e.record().outcome().error()).contains("cancelled");
        });
        assertThat(audit.stats().lost()).isZero();
        mesh.close();
        audit.close();
    }

    @Test
    void backgroundDeliveryEmptiesTheOutboxWithoutAFlush() {
        AuditFixtures.MemorySink sink = new AuditFixtures.MemorySink(r -> false);
        AuditPlugin audit = AuditPlugin.open(AuditConfig.builder(dir.resolve("outbox"), sink)
                .deliveryInterval(Duration.ofMillis(5)).build());
        Mesh mesh = Mesh.builder().clock(new ManualClock()).addModel(FakeModel.priced("m", 1, 1)).install(audit).build();
        for (int i = 0; i < 50; i++) {
            mesh.chat("question " + i);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (sink.stored.size() < 50 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(sink.stored).hasSize(50);
        assertThat(audit.stats().pending()).isZero();
        mesh.close();
        audit.close();
    }
}
