package dev.llmmesh.examples;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.llmmesh.Mesh;
import dev.llmmesh.Secret;
import dev.llmmesh.agents.AgentRuntime;
import dev.llmmesh.agents.AgentSpec;
import dev.llmmesh.agents.AgentsPlugin;
import dev.llmmesh.agents.RunLimits;
import dev.llmmesh.agents.RunOptions;
import dev.llmmesh.agents.plan.LayeredOrchestrator;
import dev.llmmesh.agents.plan.LayeredResult;
import dev.llmmesh.agents.plan.Plan;
import dev.llmmesh.agents.plan.StepOutcome;
import dev.llmmesh.agents.tool.EmbeddedH2;
import dev.llmmesh.agents.tool.SqlTool;
import dev.llmmesh.agents.tool.Toolbox;
import dev.llmmesh.catalog.Ownership;
import dev.llmmesh.client.Capability;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.client.Pricing;
import dev.llmmesh.examples.SupportDesk.Script;
import dev.llmmesh.examples.SupportDesk.ScriptedModel;
import dev.llmmesh.providers.openai.OpenAiClient;
import java.util.List;

/**
 * The layered pattern on a research brief: a planner writes a typed plan (JSON-schema structured output), executors
 * run its steps through tools (a market-report fetcher, an SQL query over the team's usage statistics in H2) and
 * agents (an analyst, a writer). The report's primary source is down: its step fails twice, the planner is asked to
 * replan with what is done and what failed, and the revised plan reads the archive instead. Replanning is bounded.
 *
 * <p>Offline by default, on in-process stand-in models answering from a script with real tool calls (the stand-ins
 * are {@link SupportDesk}'s). With {@code OPENAI_API_KEY} set, the same plan runs on gpt-4o-mini and gpt-4o.
 *
 * <p>Run: {@code ./mvnw -q -pl mesh-examples -am package -DskipTests -Prun -Dexample=ResearchPlan}
 */
public final class ResearchPlan {
    private ResearchPlan() {
    }

    /** Market reports: the primary source times out; the archive answers. */
    public static final class Reports {
        @Tool("Fetches the market report on a topic from a source: primary (fresh) or archive (last quarter)")
        public String market_report(@P("the topic") String topic, @P("primary or archive") String source) {
            if (source.equals("primary")) {
                throw new IllegalStateException("primary report service timed out after 10 s");
            }
            return "Market report (archive, Q3) on " + topic + ": 38% of mid-size search teams run a vector "
                    + "database; median hosting cost $410/month; hybrid keyword+vector retrieval is the norm.";
        }
    }

    static final AgentSpec PLANNER = AgentSpec.builder("planner").description("plans research")
            .systemPrompt("You plan research briefs as short sequences of tool and agent steps.")
            .requires(Capability.JSON_SCHEMA).owner(Ownership.of("search", "platform")).build();
    static final AgentSpec ANALYST = AgentSpec.builder("analyst").description("analyses our usage data with SQL")
            .skills("analysis", "sql").systemPrompt("You are a data analyst. Query usage_sql and report numbers.")
            .tools("usage_sql").owner(Ownership.of("search", "platform")).build();
    static final AgentSpec WRITER = AgentSpec.builder("writer").description("writes one-paragraph briefs")
            .skills("writing").systemPrompt("You write one-paragraph decision briefs for engineering managers.")
            .owner(Ownership.of("search", "platform")).build();

    static final String GOAL = "Write a one-paragraph brief: should our search team adopt a vector database? "
            + "Use the market report and our own usage statistics.";

    public static void main(String[] args) {
        boolean live = System.getenv("OPENAI_API_KEY") != null;
        try (EmbeddedH2 db = EmbeddedH2.create("usage", """
                CREATE TABLE search_usage(period VARCHAR(7) PRIMARY KEY, queries INT, p95_ms INT, zero_results INT);
                INSERT INTO search_usage VALUES ('2026-07', 410000, 180, 9100), ('2026-08', 455000, 190, 9800),
                                                ('2026-09', 520000, 230, 12400);
                """, "search_usage")) {
            SqlTool usage = SqlTool.builder(db).name("usage_sql").description("Monthly search usage.")
                    .allowTable("search_usage", "period", "queries", "p95_ms", "zero_results").build();
            Mesh mesh = Mesh.builder().addModels(live ? liveModels() : offlineModels())
                    .install(AgentsPlugin.create()).build();
            AgentRuntime runtime = AgentRuntime.builder(mesh)
                    .tools(Toolbox.builder().add(usage).addJava(new Reports()).build())
                    .agent(PLANNER).agent(ANALYST).agent(WRITER).build();
            LayeredOrchestrator research = LayeredOrchestrator.builder(runtime)
                    .planner(PLANNER).executors(ANALYST, WRITER).tools("market_report")
                    .maxSteps(5).stepAttempts(2).maxReplans(2).build();

            System.out.println("== Research plan (layered pattern) " + (live ? "on OpenAI" : "offline, scripted models"));
            System.out.println("Goal: " + GOAL + "\n");
            LayeredResult r = research.run(GOAL, RunOptions.DEFAULTS.withRunId("brief-0042")
                    .withLimits(RunLimits.DEFAULTS.withMaxModelCalls(20).withMaxCost(0.25)));

            for (Plan p : r.plans()) {
                System.out.println("Plan revision " + p.revision() + ": " + p.describe());
            }
            System.out.println("Steps executed:");
            for (StepOutcome s : r.steps()) {
                System.out.println("   " + s.step().describe() + (s.ok() ? " ok" : " FAILED") + " after "
                        + s.attempts() + " attempt(s)");
            }
            System.out.println("\nStatus: " + r.status() + ", replans: " + r.replans());
            System.out.println("Brief:\n" + r.answer());
            System.out.println("\n== Trace\n" + r.trace().toText());
            if (List.of(args).contains("--json")) {
                System.out.println("== Trace as JSON\n" + r.trace().toJson());
            } else {
                System.out.println("(pass --json for the JSON export of the trace)");
            }
            mesh.close();
        }
    }

    private static String step(String id, String kind, String target, String input) {
        return "{\"id\": \"" + id + "\", \"kind\": \"" + kind + "\", \"target\": \"" + target + "\", \"input\": "
                + JsonNodeFactory.instance.textNode(input) + "}";
    }

    private static List<LlmClient> offlineModels() {
        String report = "{\"topic\": \"vector databases\", \"source\": \"primary\"}";
        String first = "{\"steps\": [" + step("s1", "tool", "market_report", report) + ", "
                + step("s2", "agent", "analyst", "Summarize our monthly query growth, p95 latency and "
                + "zero-result queries.") + ", "
                + step("s3", "agent", "writer", "Write the brief from the report and the usage numbers.") + "]}";
        String revised = "{\"steps\": [" + step("s4", "tool", "market_report", report.replace("primary", "archive"))
                + ", " + step("s5", "agent", "analyst", "Summarize our monthly query growth, p95 latency and "
                + "zero-result queries.") + ", "
                + step("s6", "agent", "writer", "Write the brief; say the market data is from last quarter's "
                + "archive.") + "]}";
        Script script = new Script()
                .add(PLANNER, AiMessage.from(first), AiMessage.from(revised))
                .add(ANALYST, AiMessage.from(ToolExecutionRequest.builder().id("q1").name("usage_sql")
                                .arguments("{\"sql\": \"SELECT period, queries, p95_ms, zero_results FROM search_usage "
                                        + "ORDER BY period\"}").build()),
                        AiMessage.from("Queries grew 27% from July to September (410k to 520k a month); p95 latency "
                                + "rose from 180 to 230 ms; zero-result queries rose 36% (9.1k to 12.4k)."))
                .add(WRITER, AiMessage.from("Adopt a vector database, in hybrid mode. Our query volume grew 27% in "
                        + "a quarter while zero-result queries grew 36% and p95 latency reached 230 ms: keyword "
                        + "search alone is falling behind. Last quarter's market report (the current one was "
                        + "unavailable) shows 38% of comparable teams already run one, at a median $410 a month, "
                        + "mostly alongside keyword search. Start with a hybrid pilot on the zero-result queries."));
        ScriptedModel mini = new ScriptedModel(ModelDescriptor.builder("budget-mini", "scripted", "gpt-4o-mini")
                .capabilities(Capability.CHAT, Capability.TOOLS, Capability.JSON_SCHEMA).contextWindow(128_000)
                .maxOutputTokens(16_384).pricing(Pricing.perMillion(0.15, 0.60)).build(), script);
        ScriptedModel premium = new ScriptedModel(ModelDescriptor.builder("premium", "scripted", "gpt-4o")
                .capabilities(Capability.CHAT, Capability.TOOLS, Capability.JSON_SCHEMA).contextWindow(128_000)
                .maxOutputTokens(16_384).pricing(Pricing.perMillion(2.50, 10.00)).build(), script);
        mini.failCall(2); // the replanning call hits a 503: the mesh reroutes it to the premium model
        return List.of(mini, premium);
    }

    private static List<LlmClient> liveModels() {
        Secret key = Secret.env("OPENAI_API_KEY");
        return List.of(
                OpenAiClient.builder(ModelDescriptor.builder("budget-mini", "openai", "gpt-4o-mini")
                        .capabilities(Capability.CHAT, Capability.TOOLS, Capability.JSON_SCHEMA)
                        .contextWindow(128_000).maxOutputTokens(16_384).pricing(Pricing.perMillion(0.15, 0.60))
                        .build()).apiKey(key).build(),
                OpenAiClient.builder(ModelDescriptor.builder("premium", "openai", "gpt-4o")
                        .capabilities(Capability.CHAT, Capability.TOOLS, Capability.JSON_SCHEMA)
                        .contextWindow(128_000).maxOutputTokens(16_384).pricing(Pricing.perMillion(2.50, 10.00))
                        .build()).apiKey(key).build());
    }
}
