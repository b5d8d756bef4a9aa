package dev.llmmesh.examples;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.llmmesh.CallContext;
import dev.llmmesh.Mesh;
import dev.llmmesh.RetryableException;
import dev.llmmesh.Secret;
import dev.llmmesh.agents.AgentRuntime;
import dev.llmmesh.agents.AgentSpec;
import dev.llmmesh.agents.AgentsPlugin;
import dev.llmmesh.agents.EscalationRequest;
import dev.llmmesh.agents.HumanInbox;
import dev.llmmesh.agents.RunLimits;
import dev.llmmesh.agents.RunOptions;
import dev.llmmesh.agents.hub.Aggregator;
import dev.llmmesh.agents.hub.Allocation;
import dev.llmmesh.agents.hub.HubResult;
import dev.llmmesh.agents.hub.StarHub;
import dev.llmmesh.agents.hub.Triage;
import dev.llmmesh.agents.tool.EmbeddedH2;
import dev.llmmesh.agents.tool.JavaTools;
import dev.llmmesh.agents.tool.SqlTool;
import dev.llmmesh.agents.tool.Toolbox;
import dev.llmmesh.catalog.Ownership;
import dev.llmmesh.client.Capability;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.client.Pricing;
import dev.llmmesh.providers.openai.OpenAiClient;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The star pattern on a support desk: a triage agent splits a customer's message, the hub allocates each part to a
 * billing or a technical agent by skill, cost and model health (the LLM never decides who works), the billing agent
 * queries an H2 orders database through the read-only SQL tool, asks a human supervisor to approve a refund (the run
 * pauses until the answer comes) and issues it, and a writer aggregates one reply. Every step is a mesh call: the
 * cheap model fails once mid-run and the mesh reroutes that step to the premium model.
 *
 * <p>Offline by default: the models are in-process stand-ins answering from a script that contains real tool calls
 * (including an SQL injection attempt the SQL tool refuses). With {@code OPENAI_API_KEY} set, the same desk runs on
 * gpt-4o-mini and gpt-4o.
 *
 * <p>Run: {@code ./mvnw -q -pl mesh-examples -am package -DskipTests -Prun -Dexample=SupportDesk}
 */
public final class SupportDesk {
    private SupportDesk() {
    }

    /** The refund tool: a Java method the billing agent may call. */
    public static final class Refunds {
        private final AtomicInteger issued = new AtomicInteger();

        @Tool("Issues a refund on an order. Only call it after a human approved the refund.")
        public String issue_refund(@P("the order id") int orderId, @P("the amount in USD") double amountUsd) {
            if (amountUsd <= 0 || amountUsd > 500) {
                throw new IllegalArgumentException("refunds must be between $0 and $500");
            }
            return "refund R-" + orderId + "-" + issued.incrementAndGet() + " issued: $" + amountUsd;
        }
    }

    static final AgentSpec TRIAGER = AgentSpec.builder("triager").description("splits customer messages")
            .systemPrompt("You are the support desk's triage agent. Split the customer's message into the parts "
                    + "each specialist must handle.")
            .requires(Capability.JSON_SCHEMA).owner(Ownership.of("support", "desk")).build();
    static final AgentSpec BILLING = AgentSpec.builder("billing").description("charges, invoices and refunds")
            .skills("billing", "refunds")
            .systemPrompt("You are the billing specialist. Look orders up with orders_sql before answering. "
                    + "Refunds need a supervisor's approval: ask with ask_human, then call issue_refund.")
            .tools("orders_sql", "issue_refund", "ask_human").maxCostPerCall(0.01)
            .owner(Ownership.of("support", "billing")).build();
    static final AgentSpec TECH_L1 = AgentSpec.builder("tech-l1").description("first-line app support")
            .skills("technical", "app").systemPrompt("You are first-line app support. Give short, concrete fixes.")
            .owner(Ownership.of("support", "apps")).build();
    static final AgentSpec TECH_L2 = AgentSpec.builder("tech-l2").description("second-line support; reads screenshots")
            .skills("technical", "app").systemPrompt("You are second-line app support and read screenshots.")
            .requires(Capability.VISION).owner(Ownership.of("support", "apps")).build();
    static final AgentSpec WRITER = AgentSpec.builder("writer").description("writes the reply to the customer")
            .systemPrompt("You write the support desk's reply to the customer from the specialists' answers: warm, "
                    + "short, concrete.").owner(Ownership.of("support", "desk")).build();

    static final String MESSAGE = "Hi, I was charged twice for order 1002, and the app crashes every time I open "
            + "the invoice. Can you help? - Ada";

    public static void main(String[] args) throws Exception {
        boolean live = System.getenv("OPENAI_API_KEY") != null;
        try (EmbeddedH2 orders = EmbeddedH2.create("orders", """
                CREATE TABLE orders(id INT PRIMARY KEY, customer VARCHAR(40), status VARCHAR(20),
                                    total DECIMAL(10,2), charges INT, card_number VARCHAR(20));
                INSERT INTO orders VALUES (1001, 'ada', 'delivered', 20.00, 1, '4111111111111111'),
                                          (1002, 'ada', 'delivered', 49.99, 2, '4111111111111111'),
                                          (1003, 'bob', 'pending',   5.50, 1, '5500000000000004');
                """, "orders")) {
            Refunds refunds = new Refunds();
            SqlTool sql = SqlTool.builder(orders).name("orders_sql").description("The orders database.")
                    .allowTable("orders", "id", "customer", "status", "total", "charges") // card_number stays hidden
                    .maxRows(20).timeout(Duration.ofSeconds(2)).owner(Ownership.of("support", "billing")).build();

            List<LlmClient> models = live ? liveModels() : offlineModels();
            Mesh mesh = Mesh.builder().addModels(models).install(AgentsPlugin.create()).build();

            HumanInbox supervisor = new HumanInbox();
            Thread operator = operator(supervisor);
            AgentRuntime runtime = AgentRuntime.builder(mesh)
                    .tools(Toolbox.builder().add(sql).addJava(refunds).build())
                    .agent(TRIAGER).agent(BILLING).agent(TECH_L1).agent(TECH_L2).agent(WRITER)
                    .escalation(supervisor).escalationTimeout(Duration.ofMinutes(5))
                    .build();
            StarHub desk = StarHub.builder(runtime)
                    .members(BILLING, TECH_L1, TECH_L2)
                    .triage(Triage.llm(TRIAGER, 3))
                    .aggregator(Aggregator.llm(WRITER))
                    .build();

            System.out.println("== Support desk (star pattern) " + (live ? "on OpenAI" : "offline, scripted models"));
            System.out.println("Customer: " + MESSAGE + "\n");
            HubResult result = desk.handle(MESSAGE, RunOptions.DEFAULTS.withRunId("desk-0001")
                    .withContext(CallContext.builder().team("support").user("ada").build())
                    .withLimits(RunLimits.DEFAULTS.withMaxCost(0.50)));
            operator.interrupt();

            for (Allocation a : result.allocations()) {
                System.out.println("Allocation of " + a.subtask().id() + " " + a.subtask().skills() + ": "
                        + a.best().orElse("(none)") + (a.isTie() ? " (tie: " + a.tied() + ")" : ""));
                a.describe().forEach(line -> System.out.println("   " + line));
            }
            System.out.println("\nStatus: " + result.status());
            System.out.println("Reply to the customer:\n" + result.answer());
            System.out.println("\n== Trace\n" + result.trace().toText());
            System.out.println("== Trace as JSON\n" + result.trace().toJson());
            mesh.close();
        }
    }

    /** A supervisor who reads each question and approves it (a real desk would show it in a UI). */
    private static Thread operator(HumanInbox inbox) {
        Thread t = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Optional<EscalationRequest> q = inbox.next(Duration.ofSeconds(1));
                    if (q.isPresent()) {
                        System.out.println("[supervisor] run " + q.get().runId() + " is paused; " + q.get().agentId()
                                + " asks: " + q.get().question());
                        System.out.println("[supervisor] approves\n");
                        inbox.answer(q.get().id(), "Approved: refund one charge of $49.99. - Sam, supervisor");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "supervisor");
        t.setDaemon(true);
        t.start();
        return t;
    }

    // ------------------------------------------------------------------ models

    private static List<LlmClient> liveModels() {
        Secret key = Secret.env("OPENAI_API_KEY");
        return List.of(
                OpenAiClient.builder(ModelDescriptor.builder("budget-mini", "openai", "gpt-4o-mini")
                        .capabilities(Capability.CHAT, Capability.TOOLS, Capability.JSON_SCHEMA)
                        .contextWindow(128_000).maxOutputTokens(16_384).pricing(Pricing.perMillion(0.15, 0.60))
                        .build()).apiKey(key).build(),
                OpenAiClient.builder(ModelDescriptor.builder("premium", "openai", "gpt-4o")
                        .capabilities(Capability.CHAT, Capability.TOOLS, Capability.JSON_SCHEMA, Capability.VISION)
                        .contextWindow(128_000).maxOutputTokens(16_384).pricing(Pricing.perMillion(2.50, 10.00))
                        .build()).apiKey(key).build());
    }

    private static List<LlmClient> offlineModels() {
        Script script = new Script()
                .add(TRIAGER, AiMessage.from("{\"subtasks\": ["
                        + "{\"skill\": \"refunds\", \"instruction\": \"Order 1002 seems to have been charged twice: "
                        + "check it and refund the duplicate charge.\"},"
                        + "{\"skill\": \"app\", \"instruction\": \"The app crashes when the customer opens an "
                        + "invoice: give a fix.\"}]}"))
                .add(BILLING,
                        call("orders_sql", "{\"sql\": \"SELECT * FROM orders WHERE id = 1002; "
                                + "UPDATE orders SET status = 'refunded'\"}"),
                        call("orders_sql", "{\"sql\": \"SELECT id, customer, status, total, charges FROM orders "
                                + "WHERE id = 1002\"}"),
                        call("ask_human", "{\"question\": \"Order 1002 (ada) was charged twice, $49.99 each. "
                                + "Approve refunding one charge of $49.99?\"}"),
                        call("issue_refund", "{\"orderId\": 1002, \"amountUsd\": 49.99}"),
                        AiMessage.from("Order 1002 was charged twice. The supervisor approved a refund of one "
                                + "charge, and refund R-1002-1 of $49.99 is issued; it shows in 3-5 business days."))
                .add(TECH_L1, AiMessage.from("App 4.2 crashes on PDF invoices. Update to 4.2.1 from the app store; "
                        + "until then, invoices open on the website under Orders."))
                .add(WRITER, AiMessage.from("Hi Ada, sorry about both problems. Order 1002 was indeed charged "
                        + "twice: we refunded $49.99 (refund R-1002-1, 3-5 business days). The invoice crash is "
                        + "fixed in app 4.2.1; until you update, invoices open on the website under Orders. "
                        + "- The support desk"));
        ScriptedModel mini = new ScriptedModel(ModelDescriptor.builder("budget-mini", "scripted", "gpt-4o-mini")
                .capabilities(Capability.CHAT, Capability.TOOLS, Capability.JSON_SCHEMA).contextWindow(128_000)
                .maxOutputTokens(16_384).pricing(Pricing.perMillion(0.15, 0.60)).build(), script);
        ScriptedModel premium = new ScriptedModel(ModelDescriptor.builder("premium", "scripted", "gpt-4o")
                .capabilities(Capability.CHAT, Capability.TOOLS, Capability.JSON_SCHEMA, Capability.VISION)
                .contextWindow(128_000).maxOutputTokens(16_384).pricing(Pricing.perMillion(2.50, 10.00)).build(),
                script);
        mini.failCall(6); // a 503 in the middle of the run: the mesh reroutes that step to the premium model
        return List.of(mini, premium);
    }

    private static AiMessage call(String tool, String arguments) {
        return AiMessage.from(ToolExecutionRequest.builder().id("call-" + tool + "-" + arguments.hashCode())
                .name(tool).arguments(arguments).build());
    }

    /** The scripted answers of each agent, shared by the offline models: whichever model serves a step answers it. */
    static final class Script {
        private final Map<String, Deque<AiMessage>> byPrompt = new ConcurrentHashMap<>();

        Script add(AgentSpec agent, AiMessage... answers) {
            byPrompt.computeIfAbsent(agent.systemPrompt(), k -> new ArrayDeque<>()).addAll(List.of(answers));
            return this;
        }

        synchronized AiMessage next(ChatRequest request) {
            String system = request.messages().stream().filter(m -> m instanceof SystemMessage)
                    .map(m -> ((SystemMessage) m).text()).findFirst().orElse("");
            Deque<AiMessage> answers = byPrompt.get(system);
            if (answers == null || answers.isEmpty()) {
                throw new IllegalStateException("the script has no more answers for: " + system);
            }
            return answers.poll();
        }
    }

    /** An offline model: answers from the script, can fail a given call with a 503, counts tokens by words. */
    static final class ScriptedModel implements LlmClient {
        private final ModelDescriptor descriptor;
        private final Script script;
        private final AtomicInteger calls = new AtomicInteger();
        private volatile int failCall = -1;

        ScriptedModel(ModelDescriptor descriptor, Script script) {
            this.descriptor = descriptor;
            this.script = script;
        }

        void failCall(int n) {
            this.failCall = n;
        }

        @Override
        public ModelDescriptor descriptor() {
            return descriptor;
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
            if (calls.incrementAndGet() == failCall) {
                throw RetryableException.serverError(descriptor.id(), descriptor.id() + ": 503 service unavailable");
            }
            AiMessage answer = script.next(request);
            int in = 0;
            for (ChatMessage m : request.messages()) {
                in += m.toString().split("\\s+").length;
            }
            int out = answer.hasToolExecutionRequests() ? 12 : answer.text().split("\\s+").length;
            return ChatResponse.builder().aiMessage(answer).modelName(descriptor.modelName())
                    .tokenUsage(new TokenUsage(in, out))
                    .finishReason(answer.hasToolExecutionRequests() ? FinishReason.TOOL_EXECUTION : FinishReason.STOP)
                    .build();
        }
    }
}
