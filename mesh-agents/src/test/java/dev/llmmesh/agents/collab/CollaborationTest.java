package dev.llmmesh.agents.collab;

import static dev.llmmesh.agents.TestFixtures.call;
import static dev.llmmesh.agents.TestFixtures.model;
import static dev.llmmesh.agents.TestFixtures.says;
import static dev.llmmesh.agents.TestFixtures.tools;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.Tool;
import dev.llmmesh.BudgetExceededException;
import dev.llmmesh.ErrorKind;
import dev.llmmesh.Mesh;
import dev.llmmesh.agents.AgentAttributes;
import dev.llmmesh.agents.AgentRuntime;
import dev.llmmesh.agents.AgentSpec;
import dev.llmmesh.agents.AgentsPlugin;
import dev.llmmesh.agents.RunLimits;
import dev.llmmesh.agents.RunOptions;
import dev.llmmesh.agents.RunStatus;
import dev.llmmesh.agents.TraceStep;
import dev.llmmesh.agents.tool.ToolCallRecord;
import dev.llmmesh.agents.tool.Toolbox;
import dev.llmmesh.intercept.Interceptor;
import dev.llmmesh.testkit.ManualClock;
import dev.llmmesh.testkit.ScriptedLlmClient;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class CollaborationTest {
    private final ManualClock clock = new ManualClock();

    public static final class Benchmarks {
        @Tool("Returns the p99 latency of a service in ms")
        public int p99(String service) {
            if (service.equals("legacy")) {
                throw new IllegalStateException("no metrics for legacy");
            }
            return 12;
        }
    }

    private final AgentSpec author = AgentSpec.builder("author").description("proposes and revises the design")
            .systemPrompt("You wrote the design.").build();
    private final AgentSpec security = AgentSpec.builder("security").description("reviews security")
            .systemPrompt("You review security.").build();
    private final AgentSpec ops = AgentSpec.builder("ops").description("reviews operability; says APPROVED when done")
            .systemPrompt("You review operations.").tools("p99").build();
    private final AgentSpec moderator = AgentSpec.builder("moderator").systemPrompt("You moderate.").build();
    private final AgentSpec judge = AgentSpec.builder("judge").systemPrompt("You judge.").build();

    private Collaboration collaboration(Mesh mesh, Consumer<Collaboration.Builder> more) {
        AgentRuntime runtime = AgentRuntime.builder(mesh).clock(clock).tools(Toolbox.builder().addJava(new Benchmarks())
                .build()).agent(author).agent(security).agent(ops).agent(moderator).agent(judge).build();
        Collaboration.Builder b = Collaboration.builder(runtime).participants(author, security, ops)
                .goal(GoalCheck.markerFrom("ops", "APPROVED")).maxRounds(2);
        more.accept(b);
        return b.build();
    }

    private Mesh mesh(ScriptedLlmClient... models) {
        return Mesh.builder().clock(clock).install(AgentsPlugin.create()).addModels(List.of(models)).build();
    }

    @Test
    void participantsTakeTurnsOnTheBlackboardUntilTheGoalIsReached() {
        ScriptedLlmClient m = model("m1", 1, 2).then(
                says("Proposal: sessions move to Redis."),
                says("Security: encrypt session data at rest."),
                tools(call("p99", "{\"service\": \"redis\"}")),
                says("Ops: p99 is 12 ms, acceptable. APPROVED")).build();

        CollaborationResult r = collaboration(mesh(m), b -> { }).run("Design: move sessions to Redis");

        assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(r.goalReached()).isTrue();
        assertThat(r.posts()).extracting(Post::agentId).containsExactly("author", "security", "ops");
        assertThat(r.lastPost()).endsWith("APPROVED");
        assertThat(r.rounds()).isEqualTo(1);
        assertThat(r.trace().steps()).extracting(TraceStep::type)
                .containsExactly("model", "post", "model", "post", "model", "tool", "model", "post");
        String securityPrompt = m.requests().get(1).messages().get(1).toString();
        assertThat(securityPrompt).contains("Topic: Design: move sessions to Redis")
                .contains("[round 1] author: Proposal: sessions move to Redis.").contains("You are security.");
    }

    @Test
    void theCollaborationStopsAfterItsMaximumRounds() {
        ScriptedLlmClient m = model("m1", 1, 2).answer("Still thinking.").build();

        CollaborationResult r = collaboration(mesh(m), b -> { }).run("Endless debate");

        assertThat(r.status()).isEqualTo(RunStatus.MAX_ROUNDS);
        assertThat(r.posts()).hasSize(6);
        assertThat(r.rounds()).isEqualTo(2);
        assertThat(r.posts()).extracting(Post::round).containsExactly(1, 1, 1, 2, 2, 2);
        assertThat(r.trace().outcome()).contains("goal not reached in 2 round(s)");
    }

    @Test
    void aSelectorChoosesTheNextSpeakerAndRoundRobinCoversForBadAnswers() {
        ScriptedLlmClient m = model("m1", 1, 2).then(
                says("{\"next\": \"security\"}"), says("Security first: threat model attached."),
                says("{\"next\": \"nobody\"}"), says("{\"next\": \"ceo\"}"), says("Security again? fine."),
                says("{\"next\": \"ops\"}"), says("APPROVED")).build();

        CollaborationResult r = collaboration(mesh(m), b -> b.turnTaking(TurnTaking.selector(moderator)))
                .run("Pick speakers");

        assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(r.posts()).extracting(Post::agentId).containsExactly("security", "security", "ops");
        assertThat(r.trace().steps(TraceStep.NoteStep.class)).extracting(TraceStep.NoteStep::text)
                .contains("selector answer unusable; round robin picks security");
        assertThat(r.trace().modelSteps()).extracting(TraceStep.ModelStep::purpose)
                .containsExactly("select", "agent", "select", "select", "agent", "select", "agent");
    }

    @Test
    void aJudgeCanDecideTheGoal() {
        ScriptedLlmClient m = model("m1", 1, 2).then(says("Proposal A."), says("{\"reached\": false, \"reason\": \"no review\"}"),
                says("Looks secure."), says("{\"reached\": true, \"reason\": \"reviewed\"}")).build();

        CollaborationResult r = collaboration(mesh(m), b -> b.goal(GoalCheck.judge(judge, "a reviewed proposal")))
                .run("Proposal A");

        assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(r.posts()).hasSize(2);
    }

    @Test
    void aToolErrorInATurnIsTracedAndTheDiscussionGoesOn() {
        ScriptedLlmClient m = model("m1", 1, 2).then(says("Keep the legacy store."), says("Fine by security."),
                tools(call("p99", "{\"service\": \"legacy\"}")), says("No metrics; cannot approve yet."),
                says("Adding metrics."), says("OK."), says("Metrics in place. APPROVED")).build();

        CollaborationResult r = collaboration(mesh(m), b -> { }).run("Keep legacy?");

        assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(r.rounds()).isEqualTo(2);
        assertThat(r.trace().toolSteps()).singleElement().satisfies(t -> {
            assertThat(t.outcome()).isEqualTo(ToolCallRecord.Outcome.ERROR);
            assertThat(t.result()).isEqualTo("no metrics for legacy");
        });
    }

    @Test
    void aParticipantsModelGoingDownIsReroutedByTheMesh() {
        ScriptedLlmClient cheap = model("m-cheap", 0.1, 0.2).then(says("Proposal."))
                .byDefault(ScriptedLlmClient.Step.fail(ErrorKind.CONNECTION)).build();
        ScriptedLlmClient strong = model("m-strong", 3, 15).then(says("Secure."), says("APPROVED")).build();

        CollaborationResult r = collaboration(mesh(cheap, strong), b -> { }).run("Reroute");

        assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(r.trace().modelSteps()).extracting(s -> s.model().orElseThrow())
                .containsExactly("m-cheap", "m-strong", "m-strong");
        assertThat(r.trace().modelSteps().get(1).routing().attempts()).first().isEqualTo("m-cheap:connection");
    }

    @Test
    void aBudgetExhaustedMidDiscussionStopsCleanlyWithThePostsSoFar() {
        AtomicInteger calls = new AtomicInteger();
        ScriptedLlmClient m = model("m1", 1, 2).answer("A thought.").build();
        Mesh mesh = Mesh.builder().clock(clock).addModel(m).addCallInterceptor(Interceptor.named("budget", chain -> {
            if (chain.context().attributes().containsKey(AgentAttributes.RUN) && calls.incrementAndGet() > 4) {
                throw new BudgetExceededException("team:design/day", "daily budget exhausted", null);
            }
            return chain.proceed(chain.request());
        })).build();

        CollaborationResult r = collaboration(mesh, b -> { }).run("Budgeted");

        assertThat(r.status()).isEqualTo(RunStatus.BUDGET_EXCEEDED);
        assertThat(r.posts()).hasSize(4);
        assertThat(r.trace().steps()).extracting(TraceStep::type).endsWith("post", "model");
        assertThat(r.trace().outcome()).contains("budget team:design/day exhausted: daily budget exhausted");
    }

    @Test
    void theRunsOwnCostLimitEndsTheDiscussion() {
        ScriptedLlmClient m = model("m1", 1000, 1000).answer("An expensive thought.").build();
        CollaborationResult r = collaboration(mesh(m), b -> { }).run("Costly",
                RunOptions.DEFAULTS.withRunId("collab-cost").withLimits(RunLimits.DEFAULTS.withMaxCost(0.05)));

        assertThat(r.status()).isEqualTo(RunStatus.BUDGET_EXCEEDED);
        assertThat(r.trace().outcome()).hasValueSatisfying(o -> assertThat(o).startsWith("budget agents.run:collab-cost"));
        assertThat(r.trace().totalCost().usd()).isGreaterThanOrEqualTo(new java.math.BigDecimal("0.05"));
        assertThat(m.calls()).isLessThan(6);
    }

    @Test
    void builderRequiresParticipantsAndAGoal() {
        Mesh mesh = mesh(model("m1", 1, 2).build());
        AgentRuntime runtime = AgentRuntime.builder(mesh).agent(author).build();
        assertThatThrownBy(() -> Collaboration.builder(runtime).participants(author).build())
                .hasMessageContaining("no goal set");
        assertThatThrownBy(() -> Collaboration.builder(runtime).goal(GoalCheck.marker("x")).build())
                .hasMessageContaining("needs participants");
        assertThatThrownBy(() -> Collaboration.builder(runtime).participants(security))
                .hasMessageContaining("no agent \"security\" in the catalog");
        assertThatThrownBy(() -> GoalCheck.marker(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
