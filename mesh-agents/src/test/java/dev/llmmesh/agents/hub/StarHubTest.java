package dev.llmmesh.agents.hub;

import static dev.llmmesh.agents.TestFixtures.call;
import static dev.llmmesh.agents.TestFixtures.model;
import static dev.llmmesh.agents.TestFixtures.says;
import static dev.llmmesh.agents.TestFixtures.tools;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmmesh.BudgetExceededException;
import dev.llmmesh.CallContext;
import dev.llmmesh.ErrorKind;
import dev.llmmesh.Mesh;
import dev.llmmesh.agents.AgentAttributes;
import dev.llmmesh.agents.AgentRuntime;
import dev.llmmesh.agents.AgentSpec;
import dev.llmmesh.agents.AgentsPlugin;
import dev.llmmesh.agents.HumanEscalation;
import dev.llmmesh.agents.RunOptions;
import dev.llmmesh.agents.RunStatus;
import dev.llmmesh.agents.TraceStep;
import dev.llmmesh.agents.tool.EmbeddedH2;
import dev.llmmesh.agents.tool.SqlTool;
import dev.llmmesh.agents.tool.ToolCallRecord;
import dev.llmmesh.agents.tool.Toolbox;
import dev.llmmesh.catalog.Ownership;
import dev.llmmesh.client.Capability;
import dev.llmmesh.intercept.Interceptor;
import dev.llmmesh.testkit.ManualClock;
import dev.llmmesh.testkit.ScriptedLlmClient;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StarHubTest {
    private static final String TRIAGE_TWO = "{\"subtasks\": ["
            + "{\"skill\": \"billing\", \"instruction\": \"Check order 1002 for a double charge\"},"
            + "{\"skill\": \"technical\", \"instruction\": \"Fix the crash when opening the invoice\"}]}";
    private static final String SQL_1002 = "{\"sql\": \"SELECT id, status, total FROM orders WHERE id = 1002\"}";

    private final ManualClock clock = new ManualClock();
    private final List<CallContext> contexts = new CopyOnWriteArrayList<>();
    private final EmbeddedH2 db = EmbeddedH2.create("hub", """
            CREATE TABLE orders(id INT PRIMARY KEY, status VARCHAR(20), total DECIMAL(10,2));
            INSERT INTO orders VALUES (1002, 'charged_twice', 49.99);
            """, "orders");

    private final AgentSpec triager = AgentSpec.builder("triager").systemPrompt("You split support requests.")
            .requires(Capability.JSON_SCHEMA).build();
    private final AgentSpec billing = AgentSpec.builder("billing").description("billing and refunds")
            .skills("billing", "refunds").systemPrompt("You handle billing.").tools("orders_sql")
            .owner(Ownership.of("support", "billing")).build();
    private final AgentSpec techA = AgentSpec.builder("tech-a").description("app support, first line")
            .skills("technical").systemPrompt("You fix app problems.").build();
    private final AgentSpec techB = AgentSpec.builder("tech-b").description("app support, second line")
            .skills("technical").systemPrompt("You fix hard app problems.").build();
    private final AgentSpec judge = AgentSpec.builder("judge").systemPrompt("You pick the best agent.").build();

    @AfterEach
    void close() {
        db.close();
    }

    private Mesh mesh(Interceptor extra, ScriptedLlmClient... models) {
        var b = Mesh.builder().clock(clock).install(AgentsPlugin.create())
                .addCallInterceptor(Interceptor.named("recorder", chain -> {
                    contexts.add(chain.context());
                    return chain.proceed(chain.request());
                }));
        if (extra != null) {
            b.addCallInterceptor(extra);
        }
        return b.addModels(List.of(models)).build();
    }

    private StarHub hub(Mesh mesh, Consumer<StarHub.Builder> more, Consumer<AgentRuntime.Builder> rt) {
        SqlTool sql = SqlTool.builder(db).name("orders_sql").allowTable("orders", "id", "status", "total").build();
        AgentRuntime.Builder r = AgentRuntime.builder(mesh).clock(clock).tools(Toolbox.of(sql))
                .agent(triager).agent(billing).agent(techA).agent(techB).agent(judge);
        rt.accept(r);
        AgentRuntime runtime = r.build();
        StarHub.Builder b = StarHub.builder(runtime).members(billing, techA).triage(Triage.llm(triager, 3));
        more.accept(b);
        return b.build();
    }

    @Test
    void triagesAllocatesRunsEachAgentThroughTheMeshAndAggregates() {
        ScriptedLlmClient m = model("m1", 0.15, 0.6).then(says(TRIAGE_TWO), tools(call("orders_sql", SQL_1002)),
                says("Order 1002 was charged twice; a refund of $49.99 is due."),
                says("Update the app to 2.3; the invoice crash is fixed there.")).build();
        StarHub hub = hub(mesh(null, m), b -> { }, r -> { });

        HubResult r = hub.handle("I was charged twice for order 1002 and the app crashes on the invoice.",
                RunOptions.DEFAULTS.withRunId("star-1"));

        assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(r.answer()).isEqualTo("[t1 billing] Order 1002 was charged twice; a refund of $49.99 is due.\n\n"
                + "[t2 tech-a] Update the app to 2.3; the invoice crash is fixed there.");
        assertThat(r.allocations()).extracting(a -> a.best().orElseThrow()).containsExactly("billing", "tech-a");
        assertThat(r.outcomes()).extracting(SubtaskOutcome::state)
                .containsExactly(SubtaskOutcome.State.ANSWERED, SubtaskOutcome.State.ANSWERED);
        assertThat(r.trace().steps()).extracting(TraceStep::type)
                .containsExactly("model", "note", "allocation", "model", "tool", "model", "allocation", "model");
        assertThat(r.trace().toolSteps().get(0).result()).contains("1002 | charged_twice | 49.99");
        assertThat(contexts).extracting(c -> c.attributes().get(AgentAttributes.AGENT))
                .containsExactly("triager", "billing", "billing", "tech-a");
        assertThat(contexts).allSatisfy(c -> assertThat(c.attributes()).containsEntry(AgentAttributes.RUN, "star-1")
                .containsEntry(AgentAttributes.PATTERN, "star"));
        assertThat(m.requests().get(0).responseFormat().jsonSchema().name()).isEqualTo("triage");
        assertThat(m.requests().get(1).messages().get(1).toString()).contains("Your part (t1): Check order 1002");
    }

    @Test
    void theLlmTieBreakerIsAskedOnlyWhenAgentsTie() {
        String triageTech = "{\"subtasks\": [{\"skill\": \"technical\", \"instruction\": \"Fix the crash\"}]}";
        ScriptedLlmClient m = model("m1", 0.15, 0.6).then(says(triageTech), says("{\"agent\": \"tech-b\"}"),
                says("Fixed by tech-b."), says(triageTech.replace("technical", "billing")), says("Billing answer."))
                .build();
        StarHub hub = hub(mesh(null, m), b -> b.members(techB).tieBreaker(TieBreaker.llm(judge)), r -> { });

        HubResult tie = hub.handle("The app crashes.");
        assertThat(tie.allocations().get(0).tied()).containsExactly("tech-a", "tech-b");
        assertThat(tie.outcomes().get(0).agentId()).contains("tech-b");
        assertThat(tie.trace().steps(TraceStep.AllocationStep.class).get(0).tieBreak()).isEqualTo("llm");

        HubResult noTie = hub.handle("Refund me.");
        assertThat(noTie.allocations().get(0).isTie()).isFalse();
        assertThat(noTie.trace().steps(TraceStep.AllocationStep.class).get(0).tieBreak()).isEqualTo("none");
        assertThat(contexts).extracting(c -> c.attributes().get(AgentAttributes.PURPOSE))
                .containsExactly("triage", "tie-break", "agent", "triage", "agent");
    }

    @Test
    void aToolErrorInAnAgentsStepIsTracedAndTheAgentStillAnswers() {
        ScriptedLlmClient m = model("m1", 0.15, 0.6).then(
                says("{\"subtasks\": [{\"skill\": \"billing\", \"instruction\": \"Check 1002\"}]}"),
                tools(call("orders_sql", "{\"sql\": \"SELECT card_number FROM orders\"}")),
                tools(call("orders_sql", SQL_1002)), says("1002 was charged twice.")).build();
        StarHub hub = hub(mesh(null, m), b -> { }, r -> { });

        HubResult r = hub.handle("Was 1002 charged twice?");

        assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(r.trace().toolSteps()).extracting(TraceStep.ToolStep::outcome)
                .containsExactly(ToolCallRecord.Outcome.ERROR, ToolCallRecord.Outcome.OK);
        assertThat(r.trace().toolSteps().get(0).result())
                .isEqualTo("refused: column CARD_NUMBER is not allow-listed for the tables in this statement");
    }

    @Test
    void anAgentsModelGoingDownMidRunIsReroutedByTheMesh() {
        ScriptedLlmClient cheap = model("m-cheap", 0.15, 0.6).then(says(TRIAGE_TWO))
                .byDefault(ScriptedLlmClient.Step.fail(ErrorKind.SERVER_ERROR)).build();
        ScriptedLlmClient strong = model("m-strong", 3, 15).then(tools(call("orders_sql", SQL_1002)),
                says("Refund due."), says("Update the app.")).build();
        StarHub hub = hub(mesh(null, cheap, strong), b -> { }, r -> { });

        HubResult r = hub.handle("charged twice and a crash");

        assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
        List<TraceStep.ModelStep> steps = r.trace().modelSteps();
        assertThat(steps.get(0).model()).contains("m-cheap");
        TraceStep.ModelStep rerouted = steps.get(1);
        assertThat(rerouted.agentId()).isEqualTo("billing");
        assertThat(rerouted.model()).contains("m-strong");
        assertThat(rerouted.routing().attempts()).contains("m-cheap:server_error").endsWith("m-strong:ok");
        assertThat(steps.subList(1, steps.size())).allSatisfy(s -> assertThat(s.model()).contains("m-strong"));
    }

    @Test
    void aBudgetExhaustedMidRunStopsTheRunCleanlyWithAPartialTrace() {
        AtomicInteger calls = new AtomicInteger();
        Interceptor budget = Interceptor.named("run-budget", chain -> {
            if (chain.context().attributes().containsKey(AgentAttributes.RUN) && calls.incrementAndGet() > 2) {
                throw new BudgetExceededException("run:" + chain.context().attributes().get(AgentAttributes.RUN),
                        "run budget of $0.002 exhausted", null);
            }
            return chain.proceed(chain.request());
        });
        ScriptedLlmClient m = model("m1", 0.15, 0.6).then(says(TRIAGE_TWO), tools(call("orders_sql", SQL_1002)),
                says("never reached")).build();
        StarHub hub = hub(mesh(budget, m), b -> { }, r -> { });

        HubResult r = hub.handle("charged twice and a crash", RunOptions.DEFAULTS.withRunId("star-b"));

        assertThat(r.status()).isEqualTo(RunStatus.BUDGET_EXCEEDED);
        assertThat(r.trace().outcome()).contains("budget run:star-b exhausted: run budget of $0.002 exhausted");
        assertThat(r.trace().steps()).extracting(TraceStep::type)
                .containsExactly("model", "note", "allocation", "model", "tool", "model");
        assertThat(r.trace().modelSteps().get(2).error()).hasValueSatisfying(e -> assertThat(e).startsWith("budget_exceeded"));
        assertThat(r.allocations()).hasSize(1);
        assertThat(r.outcomes()).isEmpty();
        assertThat(m.calls()).isEqualTo(2);
        assertThat(r.trace().endedAt()).contains(clock.instant());
    }

    @Test
    void aSubtaskNoAgentCanTakeGoesToAHuman() {
        ScriptedLlmClient m = model("m1", 0.15, 0.6).then(
                says("{\"subtasks\": [{\"skill\": \"technical\", \"instruction\": \"Restore my account\"}]}")).build();
        Mesh mesh = mesh(null, m);
        StarHub hub = hub(mesh, b -> { }, r -> r.escalation(HumanEscalation.answering(q -> "Account restored by ops.")));
        mesh.catalog().retire(AgentSpec.class, "tech-a", "ops");

        HubResult r = hub.handle("Restore my account");

        assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(r.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.state()).isEqualTo(SubtaskOutcome.State.ESCALATED);
            assertThat(o.answer()).isEqualTo("Account restored by ops.");
        });
        assertThat(r.allocations().get(0).rejected()).extracting(AllocationCandidate::agentId).contains("tech-a");
        assertThat(r.trace().steps(TraceStep.EscalationStep.class)).singleElement()
                .extracting(TraceStep.EscalationStep::agentId).isEqualTo("hub");
        assertThat(r.answer()).isEqualTo("[t1 human] Account restored by ops.");
    }

    @Test
    void withoutAHumanAnUnallocatedSubtaskFailsTheRun() {
        ScriptedLlmClient m = model("m1", 0.15, 0.6).then(
                says("{\"subtasks\": [{\"skill\": \"technical\", \"instruction\": \"Restore my account\"}]}")).build();
        Mesh mesh = mesh(null, m);
        StarHub hub = hub(mesh, b -> { }, r -> { });
        mesh.catalog().retire(AgentSpec.class, "tech-a", "ops");

        HubResult r = hub.handle("Restore my account");

        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        assertThat(r.trace().outcome()).contains("unanswered subtasks: [t1 (unallocated)]");
    }

    @Test
    void triageAnswersOutsideTheSkillVocabularyAreSentBackOnce() {
        ScriptedLlmClient m = model("m1", 0.15, 0.6).then(
                says("{\"subtasks\": [{\"skill\": \"legal\", \"instruction\": \"Review the contract\"}]}"),
                says("{\"subtasks\": [{\"skill\": \"legal\", \"instruction\": \"Review the contract\"}]}")).build();
        StarHub hub = hub(mesh(null, m), b -> { }, r -> { });

        HubResult r = hub.handle("Review my contract");

        assertThat(r.status()).isEqualTo(RunStatus.FAILED);
        assertThat(r.trace().outcome()).hasValueSatisfying(o -> assertThat(o)
                .contains("triage step of agent triager returned no valid answer")
                .contains("skill \"legal\" is not one of [billing, refunds, technical]"));
        assertThat(m.calls()).isEqualTo(2);
    }

    @Test
    void builderRequiresKnownMembersAndATriage() {
        Mesh mesh = mesh(null, model("m1", 1, 1).build());
        AgentRuntime runtime = AgentRuntime.builder(mesh).agent(techA).build();
        assertThatThrownBy(() -> StarHub.builder(runtime).members("nobody"))
                .hasMessageContaining("no agent \"nobody\" in the catalog");
        assertThatThrownBy(() -> StarHub.builder(runtime).members("tech-a").build())
                .hasMessageContaining("no triage set");
        assertThatThrownBy(() -> StarHub.builder(runtime).triage(Triage.fixed("technical")).build())
                .hasMessageContaining("at least one member");
    }
}
