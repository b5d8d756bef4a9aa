package dev.llmmesh.agents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.output.TokenUsage;
import dev.llmmesh.BudgetExceededException;
import dev.llmmesh.CallContext;
import dev.llmmesh.Cost;
import dev.llmmesh.MeshException;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.NoRouteException;
import dev.llmmesh.agents.internal.Json;
import dev.llmmesh.agents.internal.Texts;
import dev.llmmesh.agents.tool.AgentTool;
import dev.llmmesh.agents.tool.ToolCall;
import dev.llmmesh.agents.tool.ToolCallListener;
import dev.llmmesh.agents.tool.ToolCallRecord;
import dev.llmmesh.agents.tool.ToolDescriptor;
import dev.llmmesh.agents.tool.ToolKind;
import dev.llmmesh.agents.tool.ToolPolicy;
import dev.llmmesh.agents.tool.ToolResult;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jspecify.annotations.Nullable;

/**
 * One run of a pattern: its id (the budget scope governance keys on), its limits, its spending and its
 * {@link RunTrace}. Agents are asked through {@link #ask}; structured steps (plans, triage, choices) through
 * {@link #askStructured}; tools directly through {@link #callTool}; humans through {@link #askHuman}. A run ends once,
 * with {@link #complete()}, {@link #end(RunStatus, String)} or {@link #fail(Throwable)}; after that it refuses work.
 *
 * <p>Every method that calls a model may throw the mesh's {@link MeshException}s, including
 * {@link BudgetExceededException} when the mesh's budget or the run's own {@link RunLimits} run out: the step is
 * already in the trace, so catching it and calling {@link #fail(Throwable)} leaves a clean partial trace. The
 * patterns ({@code StarHub}, {@code LayeredOrchestrator}, {@code Collaboration}) do exactly that.
 *
 * <p>A run is meant to be driven by one thread at a time; its counters and trace are nevertheless thread-safe, and
 * its status may be read from any thread (e.g. to see that it is {@link RunStatus#PAUSED} for a human).
 */
public final class AgentRun {
    private static final Logger LOG = LoggerFactory.getLogger(AgentRun.class);
    private static final int TRACE_TEXT = 500;

    private final AgentRuntime runtime;
    private final String id;
    private final String pattern;
    private final CallContext base;
    private final RunLimits limits;
    private final RunTrace trace;
    private final Object lock = new Object();
    private int modelCalls;
    private int toolCalls;
    private int escalations;
    private int callIds;
    private Cost spent = Cost.ZERO;

    AgentRun(AgentRuntime runtime, String id, String pattern, CallContext base, RunLimits limits, Instant start) {
        this.runtime = runtime;
        this.id = id;
        this.pattern = pattern;
        this.base = base;
        this.limits = limits;
        this.trace = new RunTrace(id, pattern, start);
    }

    public String id() {
        return id;
    }

    public String pattern() {
        return pattern;
    }

    public RunLimits limits() {
        return limits;
    }

    public RunTrace trace() {
        return trace;
    }

    /** Running, paused for a human, or how it ended. */
    public RunStatus status() {
        return trace.status();
    }

    /** The runtime this run belongs to. */
    public AgentRuntime runtime() {
        return runtime;
    }

    /** What the run's model calls cost so far; unknown if any model had no price. */
    public Cost spent() {
        synchronized (lock) {
            return spent;
        }
    }

    /** Model calls made so far. */
    public int modelCalls() {
        synchronized (lock) {
            return modelCalls;
        }
    }

    /** Tool executions so far (denied calls excluded). */
    public int toolCalls() {
        synchronized (lock) {
            return toolCalls;
        }
    }

    // ------------------------------------------------------------------ agents

    /**
     * Asks agent {@code agentId} (as the catalog holds it).
     *
     * @throws IllegalArgumentException if no such agent is in the catalog
     */
    public AgentReply ask(String agentId, String input) {
        return ask(runtime.agent(agentId).orElseThrow(() -> new IllegalArgumentException("no agent \"" + agentId
                + "\" in the catalog")), input);
    }

    /**
     * Runs {@code agent}'s tool-calling loop on {@code input}: each round is one mesh call with the agent's tools;
     * each tool call the model asks for is checked (allowed for the agent, known, usable, every policy), executed,
     * traced and answered; the loop ends with the model's first answer without tool calls, or after the runtime's
     * {@link AgentRuntime#maxToolRounds() tool rounds} with {@code answered=false}.
     *
     * @throws IllegalStateException    if the agent is not usable in the catalog, or the run has ended
     * @throws IllegalArgumentException if {@code agent} differs from its catalog entry (other than in lifecycle)
     * @throws MeshException            when a step fails in the mesh (no route, policy, budget)
     */
    public AgentReply ask(AgentSpec agent, String input) {
        Objects.requireNonNull(input, "input");
        AgentSpec a = current(agent);
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(SystemMessage.from(a.systemPrompt()));
        messages.add(UserMessage.from(input));
        List<ToolSpecification> specs = runtime.specificationsFor(a);
        int asked = 0;
        int errors = 0;
        String last = "";
        for (int round = 1; round <= runtime.maxToolRounds(); round++) {
            ChatRequest.Builder rb = ChatRequest.builder().messages(messages);
            if (!specs.isEmpty()) {
                rb.toolSpecifications(specs);
            }
            a.requirements().maxOutputTokens().ifPresent(rb::maxOutputTokens);
            MeshResponse r = call(a, "agent", rb.build());
            AiMessage ai = r.chatResponse().aiMessage();
            if (ai == null) {
                ai = AiMessage.from("");
            }
            messages.add(ai);
            last = ai.text() == null ? last : ai.text();
            if (!ai.hasToolExecutionRequests()) {
                return new AgentReply(a.id(), last, true, round, asked, errors);
            }
            for (ToolExecutionRequest ter : ai.toolExecutionRequests()) {
                String callId = ter.id() != null && !ter.id().isBlank() ? ter.id() : nextCallId();
                ToolResult result = invoke(a.id(), a.allowedTools(), callId, ter.name(),
                        ter.arguments() == null ? "{}" : ter.arguments());
                asked++;
                if (result.error()) {
                    errors++;
                }
                messages.add(ToolExecutionResultMessage.from(callId, ter.name(), result.text()));
            }
        }
        note("agent " + a.id() + " used its " + runtime.maxToolRounds() + " tool rounds without a final answer");
        return new AgentReply(a.id(), last, false, runtime.maxToolRounds(), asked, errors);
    }

    /**
     * Asks {@code agent} for a JSON answer matching {@code schema} (structured output; the router sends it only to
     * models with the {@code json_schema} capability) and reads it with {@code reader}. When the answer is not JSON or
     * {@code reader} rejects it, the model is asked once more with the problem; both answers are traced.
     *
     * @param purpose what the step is for, e.g. {@code plan}; recorded in the trace and the context
     * @param reader  turns the JSON object into a value; throws {@link IllegalArgumentException} naming the problem
     * @throws StructuredOutputException when the second answer is rejected too
     * @throws MeshException             when a step fails in the mesh
     */
    public <T> T askStructured(AgentSpec agent, String purpose, String input, JsonSchema schema,
                               Function<JsonNode, T> reader) {
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(reader, "reader");
        AgentSpec a = current(agent);
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(SystemMessage.from(a.systemPrompt()));
        messages.add(UserMessage.from(input));
        ResponseFormat format = ResponseFormat.builder().type(ResponseFormatType.JSON).jsonSchema(schema).build();
        String problem = "";
        for (int attempt = 1; attempt <= 2; attempt++) {
            ChatRequest.Builder rb = ChatRequest.builder().messages(messages).responseFormat(format);
            a.requirements().maxOutputTokens().ifPresent(rb::maxOutputTokens);
            MeshResponse r = call(a, purpose, rb.build());
            try {
                return Objects.requireNonNull(reader.apply(Json.parseObject(r.text())), "reader result");
            } catch (IllegalArgumentException e) {
                problem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                note(purpose + " answer of " + a.id() + " rejected: " + problem);
                messages.add(r.chatResponse().aiMessage() == null ? AiMessage.from(r.text())
                        : r.chatResponse().aiMessage());
                messages.add(UserMessage.from("Your answer was rejected: " + problem
                        + ". Reply again with only a JSON object that matches the schema."));
            }
        }
        throw new StructuredOutputException(purpose, a.id(), problem);
    }

    // ------------------------------------------------------------------ tools and humans

    /**
     * Runs a tool on behalf of {@code actorId} (a plan executor, say) with the same checks, listeners and trace as a
     * tool call made by a model.
     *
     * @param allowedTools the tools {@code actorId} may call
     * @throws BudgetExceededException when the run's tool-call limit is reached
     */
    public ToolResult callTool(String actorId, Set<String> allowedTools, String toolName, String arguments) {
        return invoke(Objects.requireNonNull(actorId, "actorId"), Set.copyOf(allowedTools),
                nextCallId(), Objects.requireNonNull(toolName, "toolName"), Objects.requireNonNull(arguments, "arguments"));
    }

    /**
     * Asks a human and waits (the run is {@link RunStatus#PAUSED} meanwhile) up to the runtime's escalation timeout.
     *
     * @return the answer; empty when none came (timed out, declined, interrupted)
     * @throws IllegalStateException if the runtime has no escalation configured, or the run has ended
     */
    public Optional<String> askHuman(String agentId, String question) {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(question, "question");
        ensureActive();
        HumanEscalation h = runtime.escalation().orElseThrow(() -> new IllegalStateException(
                "no human escalation configured; call AgentRuntime.Builder.escalation(..)"));
        int n;
        synchronized (lock) {
            n = ++escalations;
        }
        EscalationRequest request = new EscalationRequest(id + "/h" + n, id, agentId, question,
                runtime.clock().instant());
        @Nullable String answer = null;
        String outcome;
        trace.status(RunStatus.PAUSED);
        try {
            answer = h.escalate(request).toCompletableFuture()
                    .get(runtime.escalationTimeout().toNanos(), TimeUnit.NANOSECONDS);
            outcome = answer == null ? "declined" : "answered";
        } catch (TimeoutException e) {
            outcome = "timed_out";
        } catch (ExecutionException | RuntimeException e) {
            outcome = "declined";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = "interrupted";
        } finally {
            trace.status(RunStatus.RUNNING);
        }
        String a = answer;
        String o = outcome;
        trace.add(seq -> new TraceStep.EscalationStep(seq, request.at(), request.id(), agentId,
                Texts.cut(question, TRACE_TEXT), Optional.ofNullable(a).map(x -> Texts.cut(x, TRACE_TEXT)), o,
                runtime.clock().instant()));
        return Optional.ofNullable(answer);
    }

    // ------------------------------------------------------------------ trace entries for patterns

    /** Adds a remark to the trace. */
    public void note(String text) {
        Instant at = runtime.clock().instant();
        trace.add(seq -> new TraceStep.NoteStep(seq, at, Objects.requireNonNull(text, "text")));
    }

    /** Records an allocation (star hub). */
    public void recordAllocation(String subtask, List<String> skills, Optional<String> chosen, String tieBreak,
                                 List<String> candidates) {
        Instant at = runtime.clock().instant();
        trace.add(seq -> new TraceStep.AllocationStep(seq, at, subtask, skills, chosen, tieBreak, candidates));
    }

    /** Records a plan or a revised plan (layered). */
    public void recordPlan(int revision, String reason, List<String> steps) {
        Instant at = runtime.clock().instant();
        trace.add(seq -> new TraceStep.PlanRevision(seq, at, revision, reason, steps));
    }

    /** Records a blackboard post (collaboration). */
    public void recordPost(int round, String agentId, String text) {
        Instant at = runtime.clock().instant();
        trace.add(seq -> new TraceStep.PostStep(seq, at, round, agentId, Texts.cut(text, TRACE_TEXT)));
    }

    // ------------------------------------------------------------------ ending

    /** Ends the run as {@link RunStatus#COMPLETED}; returns the final status (the first end wins). */
    public RunStatus complete() {
        return end(RunStatus.COMPLETED, "completed");
    }

    /**
     * Ends the run; the first end wins, later ones are ignored.
     *
     * @param why a short reason kept in the trace
     * @return the final status
     * @throws IllegalArgumentException if {@code status} is not terminal
     */
    public RunStatus end(RunStatus status, String why) {
        if (!status.terminal()) {
            throw new IllegalArgumentException(status + " is not an end state");
        }
        trace.end(status, Objects.requireNonNull(why, "why"), runtime.clock().instant());
        return trace.status();
    }

    /**
     * Ends the run because of {@code error}: {@link RunStatus#BUDGET_EXCEEDED} for a {@link BudgetExceededException}
     * (the mesh's or the run's own), {@link RunStatus#FAILED} otherwise.
     *
     * @return the final status
     */
    public RunStatus fail(Throwable error) {
        if (error instanceof BudgetExceededException b) {
            return end(RunStatus.BUDGET_EXCEEDED, "budget " + b.scope() + " exhausted: " + b.getMessage());
        }
        if (error instanceof MeshException m) {
            return end(RunStatus.FAILED, m.kind().code() + ": " + m.getMessage());
        }
        return end(RunStatus.FAILED, error.getClass().getSimpleName() + ": " + error.getMessage());
    }

    @Override
    public String toString() {
        return "AgentRun{id=" + id + ", pattern=" + pattern + ", status=" + status() + '}';
    }

    // ------------------------------------------------------------------ internals

    private AgentSpec current(AgentSpec agent) {
        Objects.requireNonNull(agent, "agent");
        ensureActive();
        AgentSpec a = runtime.agent(agent.id()).orElse(agent);
        if (!a.withLifecycle(agent.lifecycle()).equals(agent)) {
            throw new IllegalArgumentException("agent " + agent.id() + " differs from its catalog entry; ask it by id, "
                    + "or change the catalog entry (the catalog is what was approved)");
        }
        if (!a.lifecycle().state().usable()) {
            throw new IllegalStateException("agent " + a.id() + " is " + a.lifecycle().state().name().toLowerCase(
                    java.util.Locale.ROOT) + " in the catalog and may not run");
        }
        return a;
    }

    private void ensureActive() {
        RunStatus s = trace.status();
        if (s.terminal()) {
            throw new IllegalStateException("run " + id + " has ended (" + s + ")");
        }
    }

    private String nextCallId() {
        synchronized (lock) {
            return "call-" + (++callIds);
        }
    }

    private BudgetExceededException budget(String what) {
        return new BudgetExceededException("agents.run:" + id, "run " + id + ": " + what, null);
    }

    /** One model call through the mesh: limits first, then the call with the run's context, then the trace. */
    private MeshResponse call(AgentSpec agent, String purpose, ChatRequest request) {
        ensureActive();
        int step;
        synchronized (lock) {
            if (modelCalls >= limits.maxModelCalls()) {
                throw budget("model-call limit of " + limits.maxModelCalls() + " reached");
            }
            if (limits.maxCostUsd().isPresent()) {
                BigDecimal max = limits.maxCostUsd().get();
                if (!spent.known()) {
                    throw budget("spend is unknown (a model without a price answered) and the run is capped at $"
                            + max.toPlainString());
                }
                if (spent.usd().compareTo(max) >= 0) {
                    throw budget("spent " + spent + " of $" + max.toPlainString());
                }
            }
            step = ++modelCalls;
        }
        CallContext context = contextFor(agent, purpose, step);
        Instant at = runtime.clock().instant();
        long t0 = System.nanoTime();
        MeshResponse r;
        try {
            r = runtime.mesh().chat(request, context);
        } catch (MeshException e) {
            RoutingSummary routing = e instanceof NoRouteException nr
                    ? RoutingSummary.of(Optional.ofNullable(nr.decision()), nr.attempts())
                    : RoutingSummary.of(Optional.empty(), List.of());
            Duration latency = Duration.ofNanos(System.nanoTime() - t0);
            trace.add(seq -> new TraceStep.ModelStep(seq, at, agent.id(), purpose, Optional.empty(), Optional.empty(),
                    0, 0, Cost.ZERO, latency, routing, List.of(), Optional.of(e.kind().code() + ": " + e.getMessage())));
            throw e;
        }
        synchronized (lock) {
            spent = spent.plus(r.cost());
        }
        TokenUsage usage = r.chatResponse().tokenUsage();
        long in = usage == null || usage.inputTokenCount() == null ? 0 : usage.inputTokenCount();
        long out = usage == null || usage.outputTokenCount() == null ? 0 : usage.outputTokenCount();
        AiMessage ai = r.chatResponse().aiMessage();
        List<String> asks = ai != null && ai.hasToolExecutionRequests()
                ? ai.toolExecutionRequests().stream().map(ToolExecutionRequest::name).toList() : List.of();
        MeshResponse done = r;
        trace.add(seq -> new TraceStep.ModelStep(seq, at, agent.id(), purpose, Optional.of(done.requestId()),
                done.modelId(), in, out, done.cost(), done.latency(), RoutingSummary.of(done.decision(), done.attempts()),
                asks, Optional.empty()));
        return r;
    }

    private CallContext contextFor(AgentSpec agent, String purpose, int step) {
        CallContext.Builder b = base.toBuilder()
                .attribute(AgentAttributes.RUN, id)
                .attribute(AgentAttributes.PATTERN, pattern)
                .attribute(AgentAttributes.AGENT, agent.id())
                .attribute(AgentAttributes.STEP, String.valueOf(step))
                .attribute(AgentAttributes.PURPOSE, purpose)
                .tag(AgentAttributes.TAG_AGENT, agent.id())
                .tag(AgentAttributes.TAG_PATTERN, pattern);
        base.requestId().ifPresent(r -> b.requestId(r + "/" + step));
        agent.requirements().capabilities().forEach(c -> b.require(c));
        agent.requirements().maxCostPerCall()
                .ifPresent(c -> b.attribute(AgentAttributes.MAX_CALL_COST_USD, c.toPlainString()));
        return b.build();
    }

    /** One tool call: checks, listeners, execution, trace. Never throws for tool failures. */
    private ToolResult invoke(String actor, Set<String> allowed, String callId, String name, String arguments) {
        ensureActive();
        ToolCall call = new ToolCall(id, actor, callId, name, arguments);
        for (ToolCallListener l : runtime.listeners()) {
            safely(() -> l.toolCallStarted(call));
        }
        Instant at = runtime.clock().instant();
        @Nullable String deniedBy = null;
        @Nullable String reason = null;
        @Nullable AgentTool tool = null;
        boolean human = name.equals(HumanEscalation.TOOL_NAME);
        if (!allowed.contains(name)) {
            deniedBy = "agents.allowedTools";
            reason = "tool " + name + " is not allowed for " + actor;
        } else if (human && !runtime.canEscalate()) {
            deniedBy = "agents.escalation";
            reason = "no human escalation is configured";
        } else if (!human) {
            tool = runtime.tools().find(name).orElse(null);
            if (tool == null) {
                deniedBy = "agents.unknownTool";
                reason = "no tool named " + name;
            }
        }
        @Nullable ToolDescriptor descriptor = null;
        if (deniedBy == null) {
            descriptor = human ? runtime.catalog().find(ToolDescriptor.class, name).orElseGet(() ->
                    ToolDescriptor.of(HumanEscalation.TOOL_NAME, "asks a human and waits", ToolKind.HUMAN, true))
                    : runtime.currentDescriptor(tool);
            if (!descriptor.lifecycle().state().usable()) {
                deniedBy = "catalog.lifecycle";
                reason = "tool " + name + " is " + descriptor.lifecycle().state().name().toLowerCase(java.util.Locale.ROOT);
            }
        }
        if (deniedBy == null) {
            // the mesh's tool-call guards (governance registers its tool rules there), then the runtime's own policies
            Optional<dev.llmmesh.Verdict> meshDenial = runtime.mesh().checkToolCall(name, arguments,
                    base.toBuilder().tag(AgentAttributes.TAG_AGENT, actor).tag(AgentAttributes.TAG_PATTERN, pattern).build());
            if (meshDenial.isPresent()) {
                deniedBy = meshDenial.get().policyId();
                reason = meshDenial.get().detail();
            }
        }
        if (deniedBy == null) {
            for (ToolPolicy p : runtime.policies()) {
                Optional<String> no;
                try {
                    no = p.deny(call, descriptor);
                } catch (RuntimeException e) {
                    no = Optional.of("policy failed (" + e.getClass().getSimpleName() + "); denied by default");
                }
                if (no.isPresent()) {
                    deniedBy = p.policyId();
                    reason = no.get();
                    break;
                }
            }
        }
        ToolResult result;
        ToolCallRecord.Outcome outcome;
        long t0 = System.nanoTime();
        if (deniedBy != null) {
            result = ToolResult.error("denied: " + reason);
            outcome = ToolCallRecord.Outcome.DENIED;
        } else {
            boolean overLimit;
            synchronized (lock) {
                overLimit = toolCalls >= limits.maxToolCalls();
                if (!overLimit) {
                    toolCalls++;
                }
            }
            if (overLimit) {
                String why = "tool-call limit of " + limits.maxToolCalls() + " reached";
                finish(call, at, ToolCallRecord.Outcome.DENIED, "denied: " + why, "agents.runLimits", Duration.ZERO);
                throw budget(why);
            }
            if (human) {
                result = humanTool(actor, arguments);
            } else {
                try {
                    result = Objects.requireNonNull(tool.execute(call), "tool result");
                } catch (RuntimeException e) {
                    LOG.debug("tool {} threw {}", name, e.getClass().getName());
                    result = ToolResult.error("tool " + name + " failed: " + e.getClass().getSimpleName());
                }
            }
            outcome = result.error() ? ToolCallRecord.Outcome.ERROR : ToolCallRecord.Outcome.OK;
        }
        Duration latency = deniedBy == null ? Duration.ofNanos(System.nanoTime() - t0) : Duration.ZERO;
        finish(call, at, outcome, result.text(), deniedBy, latency);
        return result;
    }

    /** Records a tool call's end in the trace and tells the listeners. */
    private void finish(ToolCall call, Instant at, ToolCallRecord.Outcome outcome, String result,
                        @Nullable String deniedBy, Duration latency) {
        ToolCallRecord record = new ToolCallRecord(call, outcome, result, Optional.ofNullable(deniedBy), at, latency);
        trace.add(seq -> new TraceStep.ToolStep(seq, at, call.agentId(), call.toolName(), call.callId(),
                Texts.cut(call.arguments(), TRACE_TEXT), outcome, Texts.cut(result, TRACE_TEXT), record.deniedBy(),
                latency));
        for (ToolCallListener l : runtime.listeners()) {
            safely(() -> l.toolCallEnded(record));
        }
    }

    private ToolResult humanTool(String actor, String arguments) {
        String question;
        try {
            JsonNode q = Json.parseObject(arguments).get("question");
            if (q == null || !q.isTextual() || q.asText().isBlank()) {
                return ToolResult.error("invalid arguments: expected {\"question\": \"...\"}");
            }
            question = q.asText();
        } catch (IllegalArgumentException e) {
            return ToolResult.error("invalid arguments: " + e.getMessage());
        }
        return askHuman(actor, question).map(ToolResult::ok)
                .orElseGet(() -> ToolResult.error("no human answered; decide without or say you could not"));
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("tool call listener threw {}; ignored", e.getClass().getName());
        }
    }
}
