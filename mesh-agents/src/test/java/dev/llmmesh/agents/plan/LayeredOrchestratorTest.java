package dev.llmmesh.agents.plan;

import static dev.llmmesh.agents.TestFixtures.model;
import static dev.llmmesh.agents.TestFixtures.says;
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
import dev.llmmesh.agents.RunStatus;
import dev.llmmesh.agents.TraceStep;
import dev.llmmesh.agents.internal.Json;
import dev.llmmesh.agents.tool.ToolCallRecord;
import dev.llmmesh.agents.tool.Toolbox;
import dev.llmmesh.client.Capability;
import dev.llmmesh.intercept.Interceptor;
import dev.llmmesh.testkit.ManualClock;
import dev.llmmesh.testkit.ScriptedLlmClient;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LayeredOrchestratorTest {
    private final ManualClock clock = new ManualClock();
    private final Sources sources = new Sources();

    public static final class Sources {
        final AtomicInteger fetches = new AtomicInteger();

        @Tool("Fetches the report on a topic from a source: primary or archive")
        public String fetch_report(String topic, String source) {
            fetches.incrementAndGet();
            if (source.equals("primary")) {
                throw new IllegalStateException("primary source timed out");
            }
            return "report on " + topic + " from " + source + ": adoption grew 40%";
        }
    }

    private final AgentSpec planner = AgentSpec.builder("planner").systemPrompt("You plan research.")
            .requires(Capability.JSON_SCHEMA).build();
    private final AgentSpec writer = AgentSpec.builder("writer").description("writes summaries")
            .skills("writing").systemPrompt("You write short summaries.").build();

    private static String plan(String... steps) {
        return "{\"steps\": [" + String.join(",", steps) + "]}";
    }

    private static String tool(String id, String topic, String source) {
        return "{\"id\": \"" + id + "\", \"kind\": \"tool\", \"target\": \"fetch_report\", \"input\": "
                + Json.quote("{\"topic\": \"" + topic + "\", \"source\": \"" + source + "\"}") + "}";
    }

    private static String agent(String id, String target, String instruction) {
        return "{\"id\": \"" + id + "\", \"kind\": \"agent\", \"target\": \"" + target + "\", \"input\": "
                + Json.quote(instruction) + "}";
    }

    private LayeredOrchestrator orchestrator(Mesh mesh, int maxReplans) {
        AgentRuntime runtime = AgentRuntime.builder(mesh).clock(clock).tools(Toolbox.builder().addJava(sources).build())
                .agent(planner).agent(writer).build();
        return LayeredOrchestrator.builder(runtime).planner(planner).executors(writer).tools("fetch_report")
                .maxReplans(maxReplans).build();
    }

    private Mesh mesh(ScriptedLlmClient... models) {
        return Mesh.builder().clock(clock).install(AgentsPlugin.create()).addModels(List.of(models)).build();
    }

    @Test
    void runsATypedPlanThroughToolsAndAgents() {
        ScriptedLlmClient m = model("m1", 1, 2).then(
                says(plan(tool("s1", "vector databases", "archive"), agent("s2", "writer", "Summarize the report"))),
                says("Vector database adoption grew 40%.")).build();

        LayeredResult r = orchestrator(mesh(m), 2).run("Summarize vector database adoption");

        assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(r.answer()).isEqualTo("Vector database adoption grew 40%.");
        assertThat(r.plans()).singleElement().extracting(Plan::describe)
                .isEqualTo(List.of("s1 tool fetch_report", "s2 agent writer"));
        assertThat(r.steps()).extracting(StepOutcome::ok).containsExactly(true, true);
        assertThat(r.trace().steps()).extracting(TraceStep::type).containsExactly("model", "plan", "tool", "model");
        assertThat(r.trace().toolSteps().get(0).agentId()).isEqualTo(LayeredOrchestrator.EXECUTOR);
        assertThat(m.requests().get(0).responseFormat().jsonSchema().name()).isEqualTo("plan");
        assertThat(m.requests().get(0).messages().get(1).toString()).contains("fetch_report").contains("- writer:");
        assertThat(m.requests().get(1).messages().get(1).toString())
                .contains("[s1] report on vector databases from archive: adoption grew 40%");
    }

    @Test
    void aStepThatFailsTwiceTriggersABoundedReplan() {
        ScriptedLlmClient m = model("m1", 1, 2).then(
                says(plan(tool("s1", "vector databases", "primary"), agent("s2", "writer", "Summarize"))),
                says(plan(tool("s3", "vector databases", "archive"), agent("s4", "writer", "Summarize"))),
                says("Adoption grew 40%.")).build();

        LayeredResult r = orchestrator(mesh(m), 2).run("Summarize vector database adoption");

        assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(r.replans()).isEqualTo(1);
        assertThat(sources.fetches).hasValue(3);
        assertThat(r.steps()).extracting(s -> s.step().id() + ":" + s.ok() + ":" + s.attempts())
                .containsExactly("s1:false:2", "s3:true:1", "s4:true:1");
        assertThat(r.trace().toolSteps()).extracting(TraceStep.ToolStep::outcome).containsExactly(
                ToolCallRecord.Outcome.ERROR, ToolCallRecord.Outcome.ERROR, ToolCallRecord.Outcome.OK);
        TraceStep.PlanRevision revised = r.trace().steps(TraceStep.PlanRevision.class).get(1);
        assertThat(revised.revision()).isEqualTo(1);
        assertThat(revised.reason()).isEqualTo("step s1 failed: primary source timed out");
        String replanPrompt = m.requests().get(1).messages().get(1).toString();
        assertThat(replanPrompt).contains("Step s1 tool fetch_report failed 2 times: primary source timed out");
    }

    @Test
    void aPlanThatKeepsFailingStopsAtTheReplanLimit() {
        ScriptedLlmClient m = model("m1", 1, 2).then(
                says(plan(tool("s1", "x", "primary"))), says(plan(tool("s2", "x", "primary")))).build();

        LayeredResult r = orchestrator(mesh(m), 1).run("Find x");

        assertThat(r.status()).isEqualTo(RunStatus.REPLAN_LIMIT);
        assertThat(r.plans()).hasSize(2);
        assertThat(m.calls()).isEqualTo(2);
        assertThat(sources.fetches).hasValue(4);
        assertThat(r.answer()).isEmpty();
        assertThat(r.trace().outcome()).contains("step s2 failed 2 times after 1 replan(s): primary source timed out");
    }

    @Test
    void aPlanNamingAnUnknownToolIsSentBackWithTheProblem() {
        ScriptedLlmClient m = model("m1", 1, 2).then(
                says("{\"steps\": [{\"id\": \"s1\", \"kind\": \"tool\", \"target\": \"web_search\", \"input\": \"{}\"}]}"),
                says(plan(agent("s1", "writer", "Write it from memory"))), says("From memory: fine.")).build();

        LayeredResult r = orchestrator(mesh(m), 2).run("Write");

        assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(m.requests().get(1).messages().get(3).toString())
                .contains("step s1: unknown tool \"web_search\" (tools: [fetch_report])");
        assertThat(r.trace().steps(TraceStep.NoteStep.class)).extracting(TraceStep.NoteStep::text)
                .anyMatch(t -> t.startsWith("plan answer of planner rejected"));
    }

    @Test
    void thePlannersModelGoingDownIsReroutedByTheMesh() {
        ScriptedLlmClient cheap = model("m-cheap", 0.1, 0.2)
                .byDefault(ScriptedLlmClient.Step.fail(ErrorKind.RATE_LIMITED)).build();
        ScriptedLlmClient strong = model("m-strong", 3, 15).then(says(plan(agent("s1", "writer", "Write"))),
                says("Done.")).build();

        LayeredResult r = orchestrator(mesh(cheap, strong), 2).run("Write");

        assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
        TraceStep.ModelStep planning = r.trace().modelSteps().get(0);
        assertThat(planning.purpose()).isEqualTo("plan");
        assertThat(planning.model()).contains("m-strong");
        assertThat(planning.routing().attempts()).startsWith("m-cheap:rate_limited").endsWith("m-strong:ok");
    }

    @Test
    void aBudgetExhaustedMidPlanStopsCleanlyWithThePlanInTheTrace() {
        AtomicInteger calls = new AtomicInteger();
        ScriptedLlmClient m = model("m1", 1, 2).then(
                says(plan(tool("s1", "x", "archive"), agent("s2", "writer", "Summarize")))).build();
        Mesh mesh = Mesh.builder().clock(clock).addModel(m).addCallInterceptor(Interceptor.named("budget", chain -> {
            if (chain.context().attributes().containsKey(AgentAttributes.RUN) && calls.incrementAndGet() > 1) {
                throw new BudgetExceededException("run", "run budget exhausted", null);
            }
            return chain.proceed(chain.request());
        })).build();

        LayeredResult r = orchestrator(mesh, 2).run("Summarize x");

        assertThat(r.status()).isEqualTo(RunStatus.BUDGET_EXCEEDED);
        assertThat(r.plans()).hasSize(1);
        assertThat(r.steps()).extracting(s -> s.step().id()).containsExactly("s1");
        assertThat(r.trace().steps()).extracting(TraceStep::type).containsExactly("model", "plan", "tool", "model");
        assertThat(r.trace().modelSteps().get(1).error()).isPresent();
    }

    @Test
    void planReadingRefusesDuplicateOrReusedIdsAndNonJsonToolArguments() {
        Set<String> agents = Set.of("writer");
        Set<String> tools = Set.of("fetch_report");
        assertThatThrownBy(() -> Plan.read(Json.parseObject(plan(agent("s1", "writer", "a"), agent("s1", "writer", "b"))),
                0, 8, agents, tools, Set.of())).hasMessageContaining("used twice");
        assertThatThrownBy(() -> Plan.read(Json.parseObject(plan(agent("s1", "writer", "a"))), 1, 8, agents, tools,
                Set.of("s1"))).hasMessageContaining("used twice");
        assertThatThrownBy(() -> Plan.read(Json.parseObject(
                "{\"steps\": [{\"id\": \"s1\", \"kind\": \"tool\", \"target\": \"fetch_report\", \"input\": \"oops\"}]}"),
                0, 8, agents, tools, Set.of())).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> Plan.read(Json.parseObject(plan(agent("s1", "writer", "a"), agent("s2", "writer", "b"))),
                0, 1, agents, tools, Set.of())).hasMessageContaining("at most 1 steps");
        assertThatThrownBy(() -> Plan.read(Json.parseObject("{\"steps\": [{\"id\": \"s1\", \"kind\": \"shell\", "
                + "\"target\": \"rm\", \"input\": \"-rf\"}]}"), 0, 8, agents, tools, Set.of()))
                .hasMessageContaining("kind must be");
    }
}
