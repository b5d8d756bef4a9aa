package dev.llmmesh.intercept;

import static dev.llmmesh.TestRequests.ask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmmesh.CallContext;
import dev.llmmesh.DeadlineExceededException;
import dev.llmmesh.FakeClient;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.RetryableException;
import dev.llmmesh.Verdict;
import dev.llmmesh.event.MeshEvent;
import dev.llmmesh.event.MeshListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InterceptorChainTest {

    @Test
    void callInterceptorCanShortCircuitWithoutCallingProvider() {
        FakeClient model = FakeClient.model("a", 1, 2);
        Mesh mesh = Mesh.builder().addModel(model)
                .addCallInterceptor(chain -> ChatResponse.builder().aiMessage(AiMessage.from("cached")).build())
                .build();

        MeshResponse r = mesh.chat(ask("hi"));

        assertThat(r.text()).isEqualTo("cached");
        assertThat(model.calls()).isZero();
        assertThat(r.attempts()).isEmpty();
        assertThat(r.decision()).isEmpty();
        assertThat(r.modelId()).isEmpty();
    }

    @Test
    void callInterceptorCanProceedAgainToReAsk() {
        FakeClient model = FakeClient.model("a", 1, 2).thenAnswer("not json").thenAnswer("{\"ok\":true}");
        Mesh mesh = Mesh.builder().addModel(model).addCallInterceptor(chain -> {
            ChatResponse first = chain.proceed(chain.request());
            if (first.aiMessage().text().startsWith("{")) {
                return first;
            }
            ChatRequest repair = chain.request().toBuilder()
                    .messages(append(chain.request(), "Answer in JSON only.")).build();
            return chain.proceed(repair);
        }).build();

        MeshResponse r = mesh.chat(ask("give me json"));

        assertThat(r.text()).isEqualTo("{\"ok\":true}");
        assertThat(model.calls()).isEqualTo(2);
        assertThat(r.attempts()).hasSize(2).allMatch(a -> a.succeeded());
        assertThat(model.requests().get(1).messages()).hasSize(2);
    }

    @Test
    void callInterceptorCanChangeTheRequestSeenByTheModel() {
        FakeClient model = FakeClient.model("a", 1, 2);
        Mesh mesh = Mesh.builder().addModel(model)
                .addCallInterceptor(chain -> chain.proceed(ask("rewritten")))
                .build();

        mesh.chat(ask("original"));

        assertThat(((UserMessage) model.requests().get(0).messages().get(0)).singleText()).isEqualTo("rewritten");
    }

    @Test
    void attemptInterceptorCannotCallProceedTwice() {
        Mesh mesh = Mesh.builder().addModel(FakeClient.model("a", 1, 2))
                .addAttemptInterceptor(Interceptor.named("twice", chain -> {
                    chain.proceed(chain.request());
                    return chain.proceed(chain.request());
                }))
                .build();

        assertThatThrownBy(() -> mesh.chat(ask("hi")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("twice")
                .hasMessageContaining("exactly once");
    }

    @Test
    void attemptInterceptorCannotSkipProceed() {
        Mesh mesh = Mesh.builder().addModel(FakeClient.model("a", 1, 2))
                .addAttemptInterceptor(Interceptor.named("skipper",
                        chain -> ChatResponse.builder().aiMessage(AiMessage.from("x")).build()))
                .build();

        assertThatThrownBy(() -> mesh.chat(ask("hi")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("skipper")
                .hasMessageContaining("exactly once");
    }

    @Test
    void interceptorReturningNullFailsNamingIt() {
        Mesh mesh = Mesh.builder().addModel(FakeClient.model("a", 1, 2))
                .addCallInterceptor(Interceptor.named("nuller", chain -> null))
                .build();

        assertThatThrownBy(() -> mesh.chat(ask("hi")))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("interceptor nuller returned null");
    }

    @Test
    void interceptorsRunInRegistrationOrder() {
        List<String> order = new ArrayList<>();
        Mesh mesh = Mesh.builder().addModel(FakeClient.model("a", 1, 2))
                .addCallInterceptor(c -> { order.add("call-1"); return c.proceed(c.request()); })
                .addCallInterceptor(c -> { order.add("call-2"); return c.proceed(c.request()); })
                .addAttemptInterceptor(c -> { order.add("attempt-1 " + c.target().orElseThrow().id()); return c.proceed(c.request()); })
                .addAttemptInterceptor(c -> { order.add("attempt-2"); return c.proceed(c.request()); })
                .build();

        mesh.chat(ask("hi"));

        assertThat(order).containsExactly("call-1", "call-2", "attempt-1 a", "attempt-2");
    }

    @Test
    void callInterceptorsSeeNoTargetAndAttemptInterceptorsSeeTheChosenModel() {
        List<String> seen = new ArrayList<>();
        Mesh mesh = Mesh.builder().addModel(FakeClient.model("a", 1, 2))
                .addCallInterceptor(c -> { seen.add("call:" + c.target().isPresent()); return c.proceed(c.request()); })
                .addAttemptInterceptor(c -> { seen.add("attempt:" + c.target().map(m -> m.id()).orElse("none")); return c.proceed(c.request()); })
                .build();

        mesh.chat(ask("hi"));

        assertThat(seen).containsExactly("call:false", "attempt:a");
    }

    @Test
    void attemptInterceptorsRunOncePerFallbackAttempt() {
        List<String> attempts = new ArrayList<>();
        FakeClient a = FakeClient.model("a", 1, 2).thenFail(RetryableException.serverError("a", "boom"));
        FakeClient b = FakeClient.model("b", 5, 10);
        Mesh mesh = Mesh.builder().addModel(a).addModel(b)
                .addAttemptInterceptor(c -> { attempts.add(c.target().orElseThrow().id()); return c.proceed(c.request()); })
                .build();

        MeshResponse r = mesh.chat(ask("hi"));

        assertThat(attempts).containsExactly("a", "b");
        assertThat(r.modelId()).contains("b");
    }

    @Test
    void throwingListenerIsIsolated() {
        List<String> events = new ArrayList<>();
        Mesh mesh = Mesh.builder().addModel(FakeClient.model("a", 1, 2))
                .addListener(new MeshListener() {
                    @Override
                    public void callStarted(MeshEvent.CallStarted e) {
                        throw new IllegalStateException("listener bug");
                    }

                    @Override
                    public void callEnded(MeshEvent.CallEnded e) {
                        throw new IllegalStateException("listener bug");
                    }
                })
                .addListener(new MeshListener() {
                    @Override
                    public void callEnded(MeshEvent.CallEnded e) {
                        events.add("ended ok=" + e.succeeded());
                    }
                })
                .build();

        MeshResponse r = mesh.chat(ask("hi"));

        assertThat(r.text()).isEqualTo("answer from a");
        assertThat(events).containsExactly("ended ok=true");
    }

    @Test
    void interceptorVerdictsAndAttributesReachTheResponse() {
        CallScope.Key<String> key = CallScope.Key.of("note", String.class);
        Mesh mesh = Mesh.builder().addModel(FakeClient.model("a", 1, 2))
                .addCallInterceptor(c -> {
                    c.call().put(key, "seen");
                    c.call().addVerdict(new Verdict("org/test", Verdict.Decision.ALLOW, "ok"));
                    return c.proceed(c.request());
                })
                .addAttemptInterceptor(c -> {
                    assertThat(c.call().get(key)).contains("seen");
                    return c.proceed(c.request());
                })
                .build();

        MeshResponse r = mesh.chat(ask("hi"));

        assertThat(r.verdicts()).containsExactly(new Verdict("org/test", Verdict.Decision.ALLOW, "ok"));
    }

    @Test
    void contextChangedByCallInterceptorIsWhatTheRouterSees() {
        List<String> teams = new ArrayList<>();
        Mesh mesh = Mesh.builder().addModel(FakeClient.model("a", 1, 2))
                .addCallInterceptor(c -> c.withContext(c.context().toBuilder().team("derived").build()).proceed(c.request()))
                .addRouteFilter((m, req, ctx) -> {
                    teams.add(ctx.team().orElse("-"));
                    return java.util.Optional.empty();
                })
                .build();

        mesh.chat(ask("hi"), CallContext.forTeam("original"));

        assertThat(teams).isNotEmpty().allMatch("derived"::equals);
    }

    @Test
    void chainPastItsDeadlineRefusesToProceed() {
        FakeClient model = FakeClient.model("a", 1, 2);
        Mesh mesh = Mesh.builder().addModel(model)
                .addCallInterceptor(c -> c.withDeadline(c.call().startedAt().minusSeconds(1)).proceed(c.request()))
                .build();

        assertThatThrownBy(() -> mesh.chat(ask("hi"), CallContext.builder().timeout(Duration.ofSeconds(5)).build()))
                .isInstanceOf(DeadlineExceededException.class);
        assertThat(model.calls()).isZero();
    }

    @Test
    void interceptorRegisteredFirstRunsBeforeThoseRegisteredEarlier() {
        List<String> order = new ArrayList<>();
        Mesh mesh = Mesh.builder().addModel(FakeClient.model("a", 1, 2))
                .addCallInterceptor(c -> { order.add("budget"); return c.proceed(c.request()); })
                .addCallInterceptorFirst(c -> { order.add("audit"); return c.proceed(c.request()); })
                .addCallInterceptor(c -> { order.add("rag"); return c.proceed(c.request()); })
                .build();

        mesh.chat(ask("hi"));

        assertThat(order).containsExactly("audit", "budget", "rag");
    }

    @Test
    void closingTheMeshClosesRegisteredResourcesInReverseOrder() {
        List<String> closed = new ArrayList<>();
        Mesh mesh = Mesh.builder().addModel(FakeClient.model("a", 1, 2))
                .onClose(() -> closed.add("first"))
                .onClose(() -> {
                    closed.add("second");
                    throw new IllegalStateException("a failing close does not stop the others");
                })
                .build();

        mesh.close();
        mesh.close();

        assertThat(closed).containsExactly("second", "first");
    }

    @Test
    void everyAttemptCarriesItsOwnCostAndTheyAddUpToTheCallsCost() {
        FakeClient a = FakeClient.model("a", 1, 2).thenFail(RetryableException.serverError("a", "500"));
        Mesh mesh = Mesh.builder().addModel(a).addModel(FakeClient.model("b", 4, 8)).build();

        MeshResponse r = mesh.chat(ask("hi"));

        assertThat(r.attempts().get(0).cost()).isEqualTo(dev.llmmesh.Cost.ZERO);
        assertThat(r.attempts().get(1).cost().usd()).isEqualByComparingTo("0.0008"); // 100*4/1e6 + 50*8/1e6
        assertThat(r.cost().usd()).isEqualByComparingTo(r.attempts().get(1).cost().usd());
    }

    private static List<dev.langchain4j.data.message.ChatMessage> append(ChatRequest r, String text) {
        List<dev.langchain4j.data.message.ChatMessage> m = new ArrayList<>(r.messages());
        m.add(UserMessage.from(text));
        return m;
    }
}
