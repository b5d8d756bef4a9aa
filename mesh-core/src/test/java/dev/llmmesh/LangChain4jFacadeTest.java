package dev.llmmesh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.Result;
import dev.langchain4j.service.SystemMessage;
import dev.llmmesh.event.MeshEvent;
import dev.llmmesh.event.MeshListener;
import dev.llmmesh.routing.RoutingDecision;
import java.util.ArrayList;
import java.util.List;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.service.TokenStream;
import dev.llmmesh.intercept.Interceptor;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LangChain4jFacadeTest {

    interface Assistant {
        @SystemMessage("You are terse.")
        String answer(String question);

        @SystemMessage("You are terse.")
        Result<String> answerWithMetadata(String question);
    }

    interface StreamingAssistant {
        TokenStream answer(String question);
    }

    @Test
    void aiServicesOnTheMeshAnswerThroughTheRouter() {
        FakeClient down = FakeClient.model("cheap", 0.1, 0.1)
                .thenFail(RetryableException.serverError("cheap", "503"));
        FakeClient up = FakeClient.model("strong", 3, 15);
        List<RoutingDecision> decisions = new ArrayList<>();
        Mesh mesh = Mesh.builder().addModel(down).addModel(up)
                .addListener(new MeshListener() {
                    @Override
                    public void routeSelected(MeshEvent.RouteSelected e) {
                        decisions.add(e.decision());
                    }
                })
                .build();
        Assistant assistant = AiServices.create(Assistant.class, mesh.asChatModel(CallContext.forTeam("support")));

        String answer = assistant.answer("What is a mesh?");

        assertThat(answer).isEqualTo("answer from strong");
        assertThat(decisions).hasSize(1);
        assertThat(decisions.get(0).plan()).containsExactly("cheap", "strong");
        assertThat(down.requests().get(0).messages()).hasSize(2); // system + user, as AiServices built them
    }

    @Test
    void routingDecisionIsReachableFromTheLangChain4jResponse() {
        Mesh mesh = Mesh.builder().addModel(FakeClient.model("a", 1, 2)).addModel(FakeClient.model("b", 2, 4)).build();
        Assistant assistant = AiServices.create(Assistant.class, mesh.asChatModel());

        Result<String> result = assistant.answerWithMetadata("hi");

        ChatResponse finalResponse = result.finalResponse();
        assertThat(finalResponse.metadata()).isInstanceOf(MeshResponseMetadata.class);
        MeshResponse mr = ((MeshResponseMetadata) finalResponse.metadata()).meshResponse();
        assertThat(mr.decision().orElseThrow().primary()).contains("a");
        assertThat(mr.decision().orElseThrow().toTable()).contains("primary", "fallback");
        assertThat(finalResponse.tokenUsage().inputTokenCount()).isEqualTo(100);
        assertThat(result.content()).isEqualTo("answer from a");
    }

    @Test
    void chatModelFacadePassesMeshErrorsThrough() {
        Mesh mesh = Mesh.builder().addModel(FakeClient.model("a", 1, 2)
                .alwaysFail(NonRetryableException.authentication("a", "401"))).build();
        ChatModel model = mesh.asChatModel();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> model.chat("hi"))
                .isInstanceOf(ConfigurationFailureException.class)
                .hasCauseInstanceOf(NonRetryableException.class);
    }

    @Test
    void routingDecisionSurvivesAiServicesStreaming() throws Exception {
        Mesh mesh = Mesh.builder().addModel(FakeClient.model("a", 1, 2)).addModel(FakeClient.model("b", 2, 4)).build();
        StreamingAssistant assistant = AiServices.builder(StreamingAssistant.class)
                .streamingChatModel(mesh.asStreamingChatModel()).build();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();

        assistant.answer("hi").onPartialResponse(p -> { }).onCompleteResponse(done::complete)
                .onError(done::completeExceptionally).start();

        ChatResponse response = done.get(10, TimeUnit.SECONDS);
        // AiServices rebuilds the metadata with metadata().toBuilder(); the mesh's part must survive it
        assertThat(response.metadata()).isInstanceOf(MeshResponseMetadata.class);
        assertThat(((MeshResponseMetadata) response.metadata()).meshResponse().decision().orElseThrow().primary())
                .contains("a");
        assertThat(response.aiMessage().text()).isEqualTo("answer from a");
    }

    @Test
    void scenario48_oneAiServicesProxyServesEveryCallerWithItsOwnIdentity() throws Exception {
        Map<String, AtomicInteger> perTeam = new ConcurrentHashMap<>();
        AtomicInteger mismatches = new AtomicInteger();
        Mesh mesh = Mesh.builder().addModel(FakeClient.model("a", 1, 2))
                // what a budget, rate limit, policy or audit interceptor sees: the call's own team and user
                .addCallInterceptor(Interceptor.named("identity", chain -> {
                    UserMessage last = (UserMessage) chain.request().messages().get(chain.request().messages().size() - 1);
                    String expected = last.singleText().replace("question from ", "");
                    String seen = chain.context().team().orElse("?") + "/" + chain.context().user().orElse("?");
                    if (!seen.equals(expected) || !chain.context().tenant().orElse("").equals("acme")) {
                        mismatches.incrementAndGet();
                    }
                    perTeam.computeIfAbsent(chain.context().team().orElse("?"), k -> new AtomicInteger()).incrementAndGet();
                    return chain.proceed(chain.request());
                }))
                .build();
        interface Plain {
            String answer(String question);
        }
        // one proxy for everyone; its own context carries what all callers share
        Plain assistant = AiServices.create(Plain.class, mesh.asChatModel(CallContext.builder().tenant("acme").build()));
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<CompletableFuture<String>> calls = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String team = "team-" + (i % 5);
            String user = team + "-user-" + (i % 50);
            CallContext caller = CallContext.builder().team(team).user(user).build();
            calls.add(CompletableFuture.supplyAsync(
                    () -> caller.call(() -> assistant.answer("question from " + team + "/" + user)), pool));
        }
        for (CompletableFuture<String> c : calls) {
            assertThat(c.get(30, TimeUnit.SECONDS)).isEqualTo("answer from a");
        }
        pool.shutdown();

        assertThat(mismatches.get()).isZero();
        assertThat(perTeam).hasSize(5);
        perTeam.values().forEach(n -> assertThat(n.get()).isEqualTo(200));
        assertThat(CallContext.current()).isEmpty(); // nothing left bound on this thread
    }

    @Test
    void runsOnTheLangchain4jCoreTheBuildAskedFor() {
        String expected = System.getProperty("mesh.expected.langchain4j.core");
        String jar = dev.langchain4j.model.chat.request.ChatRequest.class.getProtectionDomain().getCodeSource()
                .getLocation().toString();
        if (expected == null) {
            System.out.println("langchain4j-core on the test class path: " + jar
                    + " (profile langchain4j-core-latest runs these tests on a newer one)");
            return;
        }
        assertThat(jar).contains("langchain4j-core-" + expected + ".jar");
    }
}
