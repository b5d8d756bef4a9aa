package dev.llmmesh.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.llmmesh.CallContext;
import dev.llmmesh.DataClass;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.NoRouteException;
import dev.llmmesh.Verdict;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.event.MeshEvent;
import dev.llmmesh.event.MeshListener;
import dev.llmmesh.governance.policy.GovernancePolicy;
import dev.llmmesh.governance.policy.PolicyRules;
import dev.llmmesh.intercept.Interceptor;
import dev.llmmesh.routing.HedgeConfig;
import dev.llmmesh.routing.RouterConfig;
import dev.llmmesh.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PolicyOnEveryHopTest {

    private static ChatRequest ask(String text) {
        return ChatRequest.builder().messages(UserMessage.from(text)).build();
    }

    private static ChatRequest askModel(String model, String text) {
        return ChatRequest.builder().messages(UserMessage.from(text)).modelName(model).build();
    }

    @Test
    void scenario37_deniedModelGetsZeroCallsOverTenThousandRequestsOnEveryPath() throws Exception {
        // x is the cheapest model, so auto-routing would pick it first; team red may not use it
        TestModel x = new TestModel(TestModel.of("x", DataClass.PUBLIC, 0.01).descriptor().toBuilder()
                .aliases("x-alias").build());
        TestModel a = TestModel.of("a", DataClass.PUBLIC, 1).failing(n -> n % 3 == 0);
        TestModel b = TestModel.of("b", DataClass.PUBLIC, 2).failing(n -> n % 7 == 0);
        RecordingSink audit = new RecordingSink();
        List<MeshEvent.ModelDenied> denied = Collections.synchronizedList(new ArrayList<>());
        MeshListener deniedListener = new MeshListener() {
            @Override
            public void modelDenied(MeshEvent.ModelDenied event) {
                denied.add(event);
            }
        };
        GovernancePolicy policy = GovernancePolicy.builder()
                .team("red", PolicyRules.builder().denyModels("x").build())
                .build();
        // a call-level re-ask: routes the call again when every attempt failed
        Interceptor reAsk = Interceptor.named("re-ask", chain -> {
            try {
                return chain.proceed(chain.request());
            } catch (NoRouteException e) {
                return chain.proceed(chain.request());
            }
        });
        ManualClock clock = new ManualClock();
        RouterConfig retries = RouterConfig.builder().maxAttempts(4).noBreaker().build();
        RouterConfig hedging = RouterConfig.builder().maxAttempts(3).noBreaker()
                .hedging(HedgeConfig.after(Duration.ZERO)).build();
        try (Mesh mesh = Mesh.builder().addModel(x).addModel(a).addModel(b).clock(clock).sleeper(clock::advance)
                .routing(retries).install(GovernancePlugin.builder().policy(policy).auditSink(audit).build())
                .addCallInterceptor(reAsk).addListener(deniedListener).build();
             Mesh hedged = Mesh.builder().addModel(x).addModel(a).addModel(b).clock(clock).sleeper(clock::advance)
                .routing(hedging).install(GovernancePlugin.builder().policy(policy).auditSink(audit).build())
                .addListener(deniedListener).build()) {
            CallContext red = CallContext.forTeam("red");
            int refusedDirect = 0;
            int answered = 0;
            for (int n = 0; n < 10_000; n++) {
                int i = n;
                switch (i % 6) {
                    case 0 -> { // direct: pinned to x
                        assertThatThrownBy(() -> mesh.chat(askModel("x", "hi"), red))
                                .isInstanceOf(NoRouteException.class).hasMessageContaining("team:red/models.deny");
                        refusedDirect++;
                    }
                    case 1 -> { // alias of x
                        assertThatThrownBy(() -> mesh.chat(askModel("x-alias", "hi"), red))
                                .isInstanceOf(NoRouteException.class).hasMessageContaining("team:red/models.deny");
                        refusedDirect++;
                    }
                    case 2, 3 -> { // auto-routing: fallbacks, same-model retries with backoff, call-level re-asks
                        answered += answered(() -> mesh.chat(ask("hi " + i), red));
                    }
                    case 4 -> { // hedged: the second-ranked candidate starts at once
                        answered += answered(() -> hedged.chat(ask("hedge " + i), red));
                    }
                    default -> { // streaming: a failure before the first chunk restarts on the next model
                        answered += answered(() -> {
                            try {
                                return mesh.stream(ask("stream " + i), red, NOOP).get(10, TimeUnit.SECONDS);
                            } catch (java.util.concurrent.ExecutionException e) {
                                throw (RuntimeException) e.getCause();
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
                    }
                }
            }
            assertThat(x.calls()).as("calls to the denied model").isZero();
            assertThat(a.calls() + b.calls()).isGreaterThan(6000);
            assertThat(answered).isGreaterThan(6000);
            assertThat(refusedDirect).isEqualTo(3334);
            List<GovernanceEvent> denials = audit.denials();
            assertThat(denials).hasSizeGreaterThanOrEqualTo(refusedDirect);
            assertThat(denials).allSatisfy(e -> {
                assertThat(e.policyId()).isEqualTo("team:red/models.deny");
                assertThat(e.modelId()).contains("x");
                assertThat(e.team()).contains("red");
                assertThat(e.requestId()).isNotEqualTo("unknown");
                assertThat(e.enforced()).isTrue();
            });
            assertThat(denied).allSatisfy(e -> assertThat(e.policyId()).isEqualTo("team:red/models.deny"));
        }
    }

    /** 1 when the call answered from an allowed model, 0 when every allowed attempt failed. */
    private static int answered(java.util.function.Supplier<MeshResponse> call) {
        try {
            MeshResponse r = call.get();
            assertThat(r.modelId()).isPresent().get().isNotEqualTo("x");
            return 1;
        } catch (NoRouteException e) {
            assertThat(e.getMessage()).doesNotContain("last on x");
            return 0;
        }
    }

    @Test
    void aModelDeniedAfterRoutingIsRefusedOnTheFallbackHopWithItsPolicyId() {
        TestModel a = TestModel.of("a", DataClass.PUBLIC, 0.01);
        TestModel x = TestModel.of("x", DataClass.PUBLIC, 1);
        TestModel b = TestModel.of("b", DataClass.PUBLIC, 2);
        RecordingSink audit = new RecordingSink();
        List<MeshEvent.ModelDenied> denied = Collections.synchronizedList(new ArrayList<>());
        GovernancePlugin governance = GovernancePlugin.builder().auditSink(audit).build();
        GovernancePolicy tightened = GovernancePolicy.builder()
                .team("blue", PolicyRules.builder().denyModels("x").build()).build();
        // while the call is on a (planned: a, x, b), the policy is replaced and a fails: x must be refused on its hop
        a.answering(r -> {
            governance.replacePolicy(tightened);
            throw dev.llmmesh.RetryableException.serverError("a", "a: injected 500");
        });
        try (Mesh mesh = Mesh.builder().addModel(a).addModel(x).addModel(b).install(governance)
                .addListener(new MeshListener() {
                    @Override
                    public void modelDenied(MeshEvent.ModelDenied event) {
                        denied.add(event);
                    }
                }).build()) {
            MeshResponse r = mesh.chat(ask("hello"), CallContext.forTeam("blue"));

            assertThat(r.modelId()).contains("b");
            assertThat(x.calls()).isZero();
            assertThat(denied).singleElement().satisfies(e -> {
                assertThat(e.modelId()).isEqualTo("x");
                assertThat(e.policyId()).isEqualTo("team:blue/models.deny");
            });
            assertThat(r.verdicts()).anySatisfy(v -> {
                assertThat(v.policyId()).isEqualTo("team:blue/models.deny");
                assertThat(v.decision()).isEqualTo(Verdict.Decision.DENY);
            });
            assertThat(audit.denials()).singleElement().satisfies(e -> {
                assertThat(e.stage()).isEqualTo(GovernanceEvent.Stage.ROUTING);
                assertThat(e.requestId()).isEqualTo(r.requestId());
            });
        }
    }

    @Test
    void providerRegionAndDataClassRulesFilterCandidatesWithTheirPolicyIds() {
        TestModel us = new TestModel(ModelDescriptor.builder("us", "openai", "gpt").region("us-east")
                .maxDataClass(DataClass.CONFIDENTIAL).build());
        TestModel eu = new TestModel(ModelDescriptor.builder("eu", "azure", "gpt").region("eu-west")
                .maxDataClass(DataClass.CONFIDENTIAL).build());
        TestModel local = new TestModel(ModelDescriptor.builder("local", "ollama", "llama")
                .maxDataClass(DataClass.RESTRICTED).build());
        GovernancePolicy policy = GovernancePolicy.builder()
                .baseline(PolicyRules.builder().allowRegions("eu-west", "us-east").build())
                .team("gdpr", PolicyRules.builder().allowRegions("eu-west").dataClassCeiling("eu", DataClass.INTERNAL)
                        .build())
                .build();
        try (Mesh mesh = Mesh.builder().addModel(us).addModel(eu).addModel(local)
                .install(GovernancePlugin.builder().policy(policy).build()).build()) {
            MeshResponse internal = mesh.chat(ask("hi"), CallContext.builder().team("gdpr")
                    .dataClass(DataClass.INTERNAL).build());
            assertThat(internal.modelId()).contains("eu");
            String table = internal.decision().orElseThrow().rejected().toString();
            assertThat(table).contains("team:gdpr/regions.allow").contains("org/regions.allow");

            assertThatThrownBy(() -> mesh.chat(ask("hi"), CallContext.builder().team("gdpr")
                    .dataClass(DataClass.CONFIDENTIAL).build()))
                    .isInstanceOf(NoRouteException.class)
                    .hasMessageContaining("team:gdpr/dataClassCeiling");
            assertThat(us.calls() + local.calls()).isZero();
        }
    }

    private static final StreamingChatResponseHandler NOOP = new StreamingChatResponseHandler() {
        @Override
        public void onCompleteResponse(ChatResponse response) {
        }

        @Override
        public void onError(Throwable error) {
        }
    };
}
