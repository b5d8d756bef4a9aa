package dev.llmmesh.agents;

import static dev.llmmesh.agents.TestFixtures.call;
import static dev.llmmesh.agents.TestFixtures.model;
import static dev.llmmesh.agents.TestFixtures.says;
import static dev.llmmesh.agents.TestFixtures.tools;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.llmmesh.BudgetExceededException;
import dev.llmmesh.CallContext;
import dev.llmmesh.ErrorKind;
import dev.llmmesh.Mesh;
import dev.llmmesh.NoRouteException;
import dev.llmmesh.agents.tool.ToolCallListener;
import dev.llmmesh.agents.tool.ToolCallRecord;
import dev.llmmesh.agents.tool.ToolDescriptor;
import dev.llmmesh.agents.tool.Toolbox;
import dev.llmmesh.catalog.Ownership;
import dev.llmmesh.intercept.Interceptor;
import dev.llmmesh.testkit.ManualClock;
import dev.llmmesh.testkit.ScriptedLlmClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class AgentRunTest {
    private final ManualClock clock = new ManualClock();
    private final List<CallContext> contexts = new CopyOnWriteArrayList<>();
    private final List<ToolCallRecord> audited = new CopyOnWriteArrayList<>();
    private final Orders orders = new Orders();

    public static final class Orders {
        final AtomicInteger refunds = new AtomicInteger();

        @Tool("Looks up an order's status")
        public String status(int orderId) {
            if (orderId == 9) {
                throw new IllegalStateException("orders database unavailable");
            }
            return "order " + orderId + ": shipped";
        }

        @Tool("Refunds an order")
        public String refund(int orderId) {
            refunds.incrementAndGet();
            return "refunded " + orderId;
        }
    }

    private final AgentSpec billing = AgentSpec.builder("billing").description("answers billing questions")
            .skills("billing").systemPrompt("You handle billing questions.").tools("status")
            .owner(Ownership.of("support", "billing")).build();

    private Mesh mesh(ScriptedLlmClient... models) {
        return Mesh.builder().clock(clock)
                .addCallInterceptor(Interceptor.named("recorder", chain -> {
                    contexts.add(chain.context());
                    return chain.proceed(chain.request());
                }))
                .install(AgentsPlugin.create())
                .addModels(List.of(models))
                .build();
    }

    private AgentRuntime runtime(Mesh mesh, Consumer<AgentRuntime.Builder> more) {
        AgentRuntime.Builder b = AgentRuntime.builder(mesh).clock(clock).tools(Toolbox.builder().addJava(orders).build())
                .agent(billing)
                .addToolListener(new ToolCallListener() {
                    @Override
                    public void toolCallEnded(ToolCallRecord record) {
                        audited.add(record);
                    }
                });
        more.accept(b);
        return b.build();
    }

    private AgentRun run(AgentRuntime runtime) {
        return runtime.startRun("single", RunOptions.DEFAULTS.withRunId("run-1"));
    }

    @Test
    void everyStepOfTheToolLoopIsAMeshCallCarryingTheRunAndAgent() {
        ScriptedLlmClient m = model("m1", 1, 2).then(tools(call("status", "{\"orderId\": 1002}")),
                says("Order 1002 has shipped.")).build();
        AgentRun run = run(runtime(mesh(m), b -> { }));

        AgentReply reply = run.ask(billing, "Where is order 1002?");

        assertThat(reply).isEqualTo(new AgentReply("billing", "Order 1002 has shipped.", true, 2, 1, 0));
        assertThat(contexts).hasSize(2);
        for (int i = 0; i < 2; i++) {
            CallContext c = contexts.get(i);
            assertThat(c.attributes()).containsEntry(AgentAttributes.RUN, "run-1")
                    .containsEntry(AgentAttributes.AGENT, "billing").containsEntry(AgentAttributes.PATTERN, "single")
                    .containsEntry(AgentAttributes.STEP, String.valueOf(i + 1))
                    .containsEntry(AgentAttributes.PURPOSE, "agent");
            assertThat(c.tags()).containsEntry(AgentAttributes.TAG_AGENT, "billing");
        }
        ChatRequest second = m.requests().get(1);
        assertThat(second.toolSpecifications()).extracting(t -> t.name()).containsExactly("status");
        assertThat(second.messages()).filteredOn(ToolExecutionResultMessage.class::isInstance)
                .singleElement().extracting(x -> ((ToolExecutionResultMessage) x).text())
                .isEqualTo("order 1002: shipped");
        assertThat(run.trace().steps()).extracting(TraceStep::type).containsExactly("model", "tool", "model");
        assertThat(audited).singleElement().extracting(ToolCallRecord::outcome).isEqualTo(ToolCallRecord.Outcome.OK);
    }

    @Test
    void aToolTheAgentMayNotUseIsDeniedAuditedAndNeverRun() {
        ScriptedLlmClient m = model("m1", 1, 2).then(tools(call("refund", "{\"orderId\": 1002}")),
                says("I cannot refund.")).build();
        AgentRun run = run(runtime(mesh(m), b -> { }));

        AgentReply reply = run.ask(billing, "Refund 1002");

        assertThat(orders.refunds).hasValue(0);
        assertThat(reply.toolErrors()).isEqualTo(1);
        assertThat(audited).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(ToolCallRecord.Outcome.DENIED);
            assertThat(r.deniedBy()).contains("agents.allowedTools");
            assertThat(r.result()).isEqualTo("denied: tool refund is not allowed for billing");
        });
        assertThat(run.trace().toolSteps()).singleElement()
                .extracting(TraceStep.ToolStep::outcome).isEqualTo(ToolCallRecord.Outcome.DENIED);
    }

    @Test
    void toolPoliciesCanDenyACallAndAFailingPolicyDenies() {
        ScriptedLlmClient m = model("m1", 1, 2).then(tools(call("status", "{\"orderId\": 1}")),
                tools(call("status", "{\"orderId\": 2}")), says("done")).build();
        AgentRun run = run(runtime(mesh(m), b -> b
                .addToolPolicy(new dev.llmmesh.agents.tool.ToolPolicy() {
                    @Override
                    public Optional<String> deny(dev.llmmesh.agents.tool.ToolCall call, ToolDescriptor tool) {
                        return call.arguments().contains("\"orderId\": 1}") ? Optional.of("order 1 is off limits")
                                : Optional.empty();
                    }

                    @Override
                    public String policyId() {
                        return "org/orders.restricted";
                    }
                })
                .addToolPolicy((call, tool) -> {
                    if (call.arguments().contains("2")) {
                        throw new IllegalStateException("policy store down");
                    }
                    return Optional.empty();
                })));

        run.ask(billing, "check 1 and 2");

        assertThat(audited).extracting(ToolCallRecord::outcome)
                .containsExactly(ToolCallRecord.Outcome.DENIED, ToolCallRecord.Outcome.DENIED);
        assertThat(audited.get(0).deniedBy()).contains("org/orders.restricted");
        assertThat(audited.get(0).result()).isEqualTo("denied: order 1 is off limits");
        assertThat(audited.get(1).result()).contains("policy failed (IllegalStateException); denied by default");
    }

    @Test
    void aToolErrorGoesBackToTheModelWhichRecovers() {
        ScriptedLlmClient m = model("m1", 1, 2).then(tools(call("status", "{\"orderId\": 9}")),
                says("The order system is down; please retry later.")).build();
        AgentRun run = run(runtime(mesh(m), b -> { }));

        AgentReply reply = run.ask(billing, "Where is order 9?");

        assertThat(reply.answered()).isTrue();
        assertThat(reply.toolErrors()).isEqualTo(1);
        assertThat(run.trace().toolSteps()).singleElement().satisfies(t -> {
            assertThat(t.outcome()).isEqualTo(ToolCallRecord.Outcome.ERROR);
            assertThat(t.result()).isEqualTo("orders database unavailable");
        });
        assertThat(m.requests().get(1).messages().get(3)).isInstanceOf(ToolExecutionResultMessage.class);
    }

    @Test
    void anAgentStepIsReroutedByTheMeshWhenItsModelIsDown() {
        ScriptedLlmClient cheap = model("cheap", 0.1, 0.2).byDefault(ScriptedLlmClient.Step.fail(ErrorKind.SERVER_ERROR))
                .build();
        ScriptedLlmClient backup = model("backup", 5, 10).then(says("Answered by the backup.")).build();
        AgentRun run = run(runtime(mesh(cheap, backup), b -> { }));

        AgentReply reply = run.ask(billing, "hello");

        assertThat(reply.text()).isEqualTo("Answered by the backup.");
        TraceStep.ModelStep step = run.trace().modelSteps().get(0);
        assertThat(step.model()).contains("backup");
        assertThat(step.routing().primary()).contains("cheap");
        assertThat(step.routing().attempts()).containsExactly("cheap:server_error", "backup:ok");
        assertThat(step.cost().known()).isTrue();
        assertThat(step.cost().usd()).isPositive();
    }

    @Test
    void aBudgetExceededInTheMeshSurfacesWithTheFailedStepInTheTrace() {
        AtomicInteger seen = new AtomicInteger();
        ScriptedLlmClient m = model("m1", 1, 2).then(tools(call("status", "{\"orderId\": 1}"))).build();
        Mesh mesh = Mesh.builder().clock(clock).install(AgentsPlugin.create()).addModel(m)
                .addCallInterceptor(Interceptor.named("budget", chain -> {
                    String runId = chain.context().attributes().get(AgentAttributes.RUN);
                    if (runId != null && seen.incrementAndGet() > 1) {
                        throw new BudgetExceededException("run:" + runId, "run budget of $0.01 used up", null);
                    }
                    return chain.proceed(chain.request());
                })).build();
        AgentRun run = run(runtime(mesh, b -> { }));

        assertThatThrownBy(() -> run.ask(billing, "x")).isInstanceOf(BudgetExceededException.class);
        assertThat(run.fail(new BudgetExceededException("run:run-1", "run budget of $0.01 used up", null)))
                .isEqualTo(RunStatus.BUDGET_EXCEEDED);
        assertThat(run.trace().steps()).extracting(TraceStep::type).containsExactly("model", "tool", "model");
        assertThat(run.trace().modelSteps().get(1).error()).contains("budget_exceeded: run budget of $0.01 used up");
        assertThat(run.trace().outcome()).hasValueSatisfying(o -> assertThat(o).contains("run:run-1"));
        assertThatThrownBy(() -> run.ask(billing, "more")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has ended");
    }

    @Test
    void theRunsOwnLimitsStopItBeforeTheNextCall() {
        ScriptedLlmClient m = model("m1", 1000, 1000).answer("ok").build();
        AgentRuntime runtime = runtime(mesh(m), b -> { });
        AgentRun calls = runtime.startRun("single", RunOptions.DEFAULTS.withRunId("r-calls")
                .withLimits(RunLimits.DEFAULTS.withMaxModelCalls(2)));
        calls.ask(billing, "1");
        calls.ask(billing, "2");
        assertThatThrownBy(() -> calls.ask(billing, "3")).isInstanceOf(BudgetExceededException.class)
                .hasMessageContaining("model-call limit of 2 reached")
                .extracting(e -> ((BudgetExceededException) e).scope()).isEqualTo("agents.run:r-calls");
        assertThat(m.calls()).isEqualTo(2);

        AgentRun cost = runtime.startRun("single", RunOptions.DEFAULTS.withRunId("r-cost")
                .withLimits(RunLimits.DEFAULTS.withMaxCost(0.000001)));
        cost.ask(billing, "1");
        assertThatThrownBy(() -> cost.ask(billing, "2")).isInstanceOf(BudgetExceededException.class)
                .hasMessageContaining("of $0.000001");
        assertThat(m.calls()).isEqualTo(3);
    }

    @Test
    void anAgentOutOfToolRoundsStopsWithoutAnAnswer() {
        ScriptedLlmClient m = model("m1", 1, 2).byDefault(tools(call("status", "{\"orderId\": 5}"))).build();
        AgentRun run = run(runtime(mesh(m), b -> b.maxToolRounds(3)));

        AgentReply reply = run.ask(billing, "loop forever");

        assertThat(reply.answered()).isFalse();
        assertThat(reply.modelCalls()).isEqualTo(3);
        assertThat(m.calls()).isEqualTo(3);
        assertThat(run.trace().steps(TraceStep.NoteStep.class)).singleElement().extracting(TraceStep.NoteStep::text)
                .isEqualTo("agent billing used its 3 tool rounds without a final answer");
    }

    @Test
    void theCostCapPerCallKeepsModelsAboveItOutOfTheAgentsSteps() {
        ScriptedLlmClient cheap = model("cheap", 0.1, 0.2).byDefault(ScriptedLlmClient.Step.fail(ErrorKind.OVERLOADED))
                .build();
        ScriptedLlmClient premium = model("premium", 60, 120).answer("expensive answer").build();
        AgentSpec capped = AgentSpec.builder("capped").systemPrompt("Be cheap.").maxCostPerCall(0.001).build();
        AgentRun run = run(runtime(mesh(cheap, premium), b -> b.agent(capped)));

        assertThatThrownBy(() -> run.ask(capped, "hello")).isInstanceOf(NoRouteException.class)
                .satisfies(e -> assertThat(((NoRouteException) e).decision().candidate("premium").orElseThrow()
                        .rejection()).hasValueSatisfying(r -> assertThat(r).contains("above the agent's cap of $0.001")));

        assertThat(premium.calls()).isZero();
        assertThat(cheap.calls()).isPositive();
        assertThat(contexts.get(0).attributes()).containsEntry(AgentAttributes.MAX_CALL_COST_USD, "0.001");
        TraceStep.ModelStep failed = run.trace().modelSteps().get(0);
        assertThat(failed.routing().attempts()).isNotEmpty().allMatch(a -> a.equals("cheap:overloaded"));
        assertThat(failed.routing().rejected()).isEqualTo(1);
        assertThat(failed.error()).hasValueSatisfying(e -> assertThat(e).startsWith("no_route"));
    }

    @Test
    void agentsAndToolsRetiredInTheCatalogStopBeingUsed() {
        ScriptedLlmClient m = model("m1", 1, 2).then(tools(call("status", "{\"orderId\": 1}")), says("ok")).build();
        Mesh mesh = mesh(m);
        AgentRun run = run(runtime(mesh, b -> { }));
        mesh.catalog().retire(ToolDescriptor.class, "status", "ops");

        run.ask(billing, "x");
        assertThat(audited).singleElement().satisfies(r -> {
            assertThat(r.deniedBy()).contains("catalog.lifecycle");
            assertThat(r.result()).isEqualTo("denied: tool status is retired");
        });
        assertThat(m.requests().get(1).toolSpecifications()).isNullOrEmpty();

        mesh.catalog().retire(AgentSpec.class, "billing", "ops");
        assertThatThrownBy(() -> run.ask(billing, "y")).isInstanceOf(IllegalStateException.class)
                .hasMessage("agent billing is retired in the catalog and may not run");
    }

    @Test
    void askingAHumanPausesTheRunUntilSomeoneAnswers() throws Exception {
        HumanInbox inbox = new HumanInbox();
        AgentSpec approver = AgentSpec.builder("approver").systemPrompt("You approve refunds.").tools("ask_human").build();
        ScriptedLlmClient m = model("m1", 1, 2).then(
                tools(call("ask_human", "{\"question\": \"Approve a $49.99 refund on 1002?\"}")),
                says("Refund approved.")).build();
        AgentRuntime runtime = runtime(mesh(m), b -> b.agent(approver).escalation(inbox));
        AgentRun run = runtime.startRun("single", RunOptions.DEFAULTS.withRunId("run-h"));

        CompletableFuture<AgentReply> reply = CompletableFuture.supplyAsync(() -> run.ask(approver, "refund 1002"));
        EscalationRequest q = inbox.next(Duration.ofSeconds(10)).orElseThrow();
        assertThat(q.question()).isEqualTo("Approve a $49.99 refund on 1002?");
        assertThat(q.id()).isEqualTo("run-h/h1");
        assertThat(run.status()).isEqualTo(RunStatus.PAUSED);
        assertThat(m.calls()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(7));
        inbox.answer(q.id(), "approved by Dana");

        assertThat(reply.get(10, TimeUnit.SECONDS).text()).isEqualTo("Refund approved.");
        assertThat(run.status()).isEqualTo(RunStatus.RUNNING);
        TraceStep.EscalationStep e = run.trace().steps(TraceStep.EscalationStep.class).get(0);
        assertThat(e.answer()).contains("approved by Dana");
        assertThat(e.outcome()).isEqualTo("answered");
        assertThat(Duration.between(e.at(), e.resumedAt())).isEqualTo(Duration.ofMinutes(7));
        assertThat(((ToolExecutionResultMessage) m.requests().get(1).messages().get(3)).text())
                .isEqualTo("approved by Dana");
        assertThat(inbox.pending()).isEmpty();
    }

    @Test
    void aDeclinedEscalationTellsTheAgentNoHumanAnswered() {
        AgentSpec approver = AgentSpec.builder("approver").systemPrompt("You approve refunds.").tools("ask_human").build();
        ScriptedLlmClient m = model("m1", 1, 2).then(tools(call("ask_human", "{\"question\": \"ok?\"}")),
                says("No approval; not refunding.")).build();
        AgentRun run = run(runtime(mesh(m), b -> b.agent(approver).escalation(HumanEscalation.answering(r -> {
            throw new IllegalStateException("nobody on shift");
        }))));

        run.ask(approver, "refund");

        assertThat(run.trace().steps(TraceStep.EscalationStep.class)).singleElement()
                .extracting(TraceStep.EscalationStep::outcome).isEqualTo("declined");
        assertThat(run.trace().toolSteps()).singleElement().extracting(TraceStep.ToolStep::result)
                .isEqualTo("no human answered; decide without or say you could not");
    }

    @Test
    void structuredStepsAskOnceMoreWithTheProblemThenGiveUp() {
        JsonSchema schema = JsonSchema.builder().name("n").rootElement(JsonObjectSchema.builder()
                .addIntegerProperty("n").required("n").build()).build();
        ScriptedLlmClient m = model("m1", 1, 2).then(says("sure! here it is"), says("```json\n{\"n\": 7}\n```"),
                says("{\"n\": \"x\"}"), says("{}")).build();
        AgentRun run = run(runtime(mesh(m), b -> { }));
        java.util.function.Function<JsonNode, Integer> reader = n -> {
            if (!n.path("n").isInt()) {
                throw new IllegalArgumentException("\"n\" must be an integer");
            }
            return n.get("n").asInt();
        };

        assertThat(run.askStructured(billing, "count", "how many?", schema, reader)).isEqualTo(7);
        assertThat(m.requests().get(0).responseFormat().type()).isEqualTo(ResponseFormatType.JSON);
        assertThat(m.requests().get(0).responseFormat().jsonSchema()).isEqualTo(schema);
        assertThat(m.requests().get(1).messages().get(3).toString()).contains("Your answer was rejected: not valid JSON");
        assertThatThrownBy(() -> run.askStructured(billing, "count", "again?", schema, reader))
                .isInstanceOf(StructuredOutputException.class)
                .hasMessage("count step of agent billing returned no valid answer: \"n\" must be an integer");
        assertThat(contexts).extracting(c -> c.attributes().get(AgentAttributes.PURPOSE)).containsOnly("count");
    }

    @Test
    void theTraceExportsAsJsonWithModelsTokensCostsRoutingAndToolCalls() throws Exception {
        ScriptedLlmClient m = model("m1", 1, 2).then(tools(call("status", "{\"orderId\": 1002}")),
                says("shipped")).build();
        AgentRun run = run(runtime(mesh(m), b -> { }));
        run.ask(billing, "where is 1002?");
        run.complete();

        JsonNode json = new ObjectMapper().readTree(run.trace().toJson());

        assertThat(json.get("runId").asText()).isEqualTo("run-1");
        assertThat(json.get("status").asText()).isEqualTo("completed");
        assertThat(json.get("startedAt").asText()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(json.at("/totals/modelCalls").asInt()).isEqualTo(2);
        assertThat(json.at("/totals/toolCalls").asInt()).isEqualTo(1);
        assertThat(json.at("/totals/costKnown").asBoolean()).isTrue();
        assertThat(json.at("/steps/0/type").asText()).isEqualTo("model");
        assertThat(json.at("/steps/0/model").asText()).isEqualTo("m1");
        assertThat(json.at("/steps/0/inputTokens").asLong()).isPositive();
        assertThat(json.at("/steps/0/routing/attempts/0").asText()).isEqualTo("m1:ok");
        assertThat(json.at("/steps/0/toolRequests/0").asText()).isEqualTo("status");
        assertThat(json.at("/steps/1/type").asText()).isEqualTo("tool");
        assertThat(json.at("/steps/1/outcome").asText()).isEqualTo("ok");
        assertThat(json.at("/steps/1/result").asText()).isEqualTo("order 1002: shipped");
        assertThat(run.trace().toText()).startsWith("run run-1 (single) COMPLETED: completed | cost $");
    }

    @Test
    void theRuntimeRegistersItsAgentsAndToolsInTheCatalogAndChecksThem() {
        Mesh mesh = mesh(model("m1", 1, 2).build());
        runtime(mesh, b -> { });
        assertThat(mesh.catalog().find(AgentSpec.class, "billing")).contains(billing);
        assertThat(mesh.catalog().find(ToolDescriptor.class, "status")).isPresent();

        assertThatThrownBy(() -> AgentRuntime.builder(mesh).agent(AgentSpec.builder("other").systemPrompt("x").tools("nope").build()).build())
                .hasMessageContaining("allows tool \"nope\", which is not in the toolbox");
        assertThatThrownBy(() -> AgentRuntime.builder(mesh).tools(Toolbox.builder().addJava(orders).build())
                .agent(AgentSpec.builder("asker").systemPrompt("x").tools("ask_human").build()).build())
                .hasMessageContaining("no escalation is configured");
        AgentSpec changed = billing.toBuilder().systemPrompt("Refund everything.").build();
        assertThatThrownBy(() -> AgentRuntime.builder(mesh).tools(Toolbox.builder().addJava(orders).build())
                .agent(changed).build()).hasMessageContaining("already in the catalog with a different definition");
        AgentRun run = AgentRuntime.builder(mesh).build().startRun("single");
        assertThatThrownBy(() -> run.ask(changed, "x")).hasMessageContaining("differs from its catalog entry");
    }

    @Test
    void aThrowingToolListenerIsIsolatedAndTheOthersStillHearTheCall() {
        ScriptedLlmClient m = model("m1", 1, 2).then(tools(call("status", "{\"orderId\": 3}")), says("ok")).build();
        AgentRun run = run(runtime(mesh(m), b -> b.addToolListener(new ToolCallListener() {
            @Override
            public void toolCallStarted(dev.llmmesh.agents.tool.ToolCall call) {
                throw new IllegalStateException("audit sink down");
            }
        })));

        assertThat(run.ask(billing, "status of 3?").text()).isEqualTo("ok");
        assertThat(audited).singleElement().extracting(ToolCallRecord::outcome).isEqualTo(ToolCallRecord.Outcome.OK);
    }

    @Test
    void aRunWaitsForAHumanOnlyUntilTheEscalationTimeout() {
        HumanInbox inbox = new HumanInbox();
        AgentSpec asker = AgentSpec.builder("asker").systemPrompt("You ask.").tools("ask_human").build();
        ScriptedLlmClient m = model("m1", 1, 2).then(tools(call("ask_human", "{\"question\": \"anyone?\"}")),
                says("Nobody answered; escalating by email.")).build();
        AgentRun run = run(runtime(mesh(m), b -> b.agent(asker).escalation(inbox).escalationTimeout(Duration.ofMillis(1))));

        AgentReply reply = run.ask(asker, "ask someone");

        assertThat(reply.text()).isEqualTo("Nobody answered; escalating by email.");
        assertThat(run.trace().steps(TraceStep.EscalationStep.class)).singleElement().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo("timed_out");
            assertThat(e.answer()).isEmpty();
        });
        assertThat(inbox.pending()).extracting(EscalationRequest::question).containsExactly("anyone?");
        inbox.decline(inbox.pending().get(0).id(), "too late");
        assertThat(inbox.pending()).isEmpty();
        assertThatThrownBy(() -> inbox.answer("run-1/h9", "x")).hasMessageContaining("no pending question");
    }

    @Test
    void theToolCallLimitStopsTheRunAndTheRefusedCallIsStillAudited() {
        ScriptedLlmClient m = model("m1", 1, 2).byDefault(tools(call("status", "{\"orderId\": 4}"))).build();
        AgentRun run = runtime(mesh(m), b -> { }).startRun("single", RunOptions.DEFAULTS.withRunId("r-tools")
                .withLimits(RunLimits.DEFAULTS.withMaxToolCalls(2)));

        assertThatThrownBy(() -> run.ask(billing, "loop")).isInstanceOf(BudgetExceededException.class)
                .hasMessageContaining("tool-call limit of 2 reached");

        assertThat(audited).extracting(ToolCallRecord::outcome).containsExactly(ToolCallRecord.Outcome.OK,
                ToolCallRecord.Outcome.OK, ToolCallRecord.Outcome.DENIED);
        assertThat(audited.get(2).deniedBy()).contains("agents.runLimits");
        assertThat(run.toolCalls()).isEqualTo(2);
        assertThat(run.fail(new BudgetExceededException("agents.run:r-tools", "x", null)))
                .isEqualTo(RunStatus.BUDGET_EXCEEDED);
    }
}
