package dev.llmmesh.examples;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.llmmesh.CallContext;
import dev.llmmesh.Mesh;
import dev.llmmesh.Secret;
import dev.llmmesh.agents.AgentRuntime;
import dev.llmmesh.agents.AgentSpec;
import dev.llmmesh.agents.AgentsPlugin;
import dev.llmmesh.agents.RunLimits;
import dev.llmmesh.agents.RunOptions;
import dev.llmmesh.agents.collab.Collaboration;
import dev.llmmesh.agents.collab.CollaborationResult;
import dev.llmmesh.agents.collab.GoalCheck;
import dev.llmmesh.agents.collab.Post;
import dev.llmmesh.agents.collab.TurnTaking;
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
import java.util.Map;

/**
 * The collaboration network on a design review: the design's author, a security reviewer and an SRE take turns (round
 * robin) on a shared blackboard until the SRE writes APPROVED, for at most three rounds and within a run budget. The
 * SRE checks the latency budget with a tool; in round one it requests changes, the author revises, and round two
 * ends with approval. Every turn is a mesh call with the run id, agent and step in its context.
 *
 * <p>Offline by default, on in-process stand-in models answering from a script with real tool calls (the stand-ins
 * are {@link SupportDesk}'s). With {@code OPENAI_API_KEY} set, the same review runs on gpt-4o-mini.
 *
 * <p>Run: {@code ./mvnw -q -pl mesh-examples -am package -DskipTests -Prun -Dexample=DesignReview}
 */
public final class DesignReview {
    private DesignReview() {
    }

    /** Service-level objectives the SRE checks designs against. */
    public static final class Slos {
        private static final Map<String, Integer> P99_MS = Map.of("checkout", 300, "sessions", 25, "search", 400);

        @Tool("Returns the p99 latency budget of a service in milliseconds")
        public String latency_budget(@P("the service name") String service) {
            Integer ms = P99_MS.get(service);
            if (ms == null) {
                throw new IllegalArgumentException("no SLO for service " + service + "; known: " + P99_MS.keySet());
            }
            return service + ": p99 budget " + ms + " ms";
        }
    }

    static final AgentSpec AUTHOR = AgentSpec.builder("author").description("wrote the design; revises it")
            .systemPrompt("You wrote the design under review. Answer the reviewers and revise the design.")
            .owner(Ownership.of("platform", "sessions")).build();
    static final AgentSpec SECURITY = AgentSpec.builder("security").description("reviews security and privacy")
            .systemPrompt("You review designs for security and privacy risks. Be specific.")
            .owner(Ownership.of("platform", "security")).build();
    static final AgentSpec SRE = AgentSpec.builder("sre").description("reviews operability; writes APPROVED when "
                    + "satisfied").systemPrompt("You are the SRE reviewer. Check latency budgets with "
                    + "latency_budget. Write CHANGES REQUESTED or APPROVED.")
            .tools("latency_budget").owner(Ownership.of("platform", "sre")).build();

    static final String DESIGN = "Design: move user sessions from the monolith's Postgres table to a Redis "
            + "cluster (3 shards, 1 replica each) behind the session service; sessions expire after 30 days.";

    public static void main(String[] args) {
        boolean live = System.getenv("OPENAI_API_KEY") != null;
        Mesh mesh = Mesh.builder().addModels(live ? liveModels() : offlineModels())
                .install(AgentsPlugin.create()).build();
        AgentRuntime runtime = AgentRuntime.builder(mesh)
                .tools(Toolbox.builder().addJava(new Slos()).build())
                .agent(AUTHOR).agent(SECURITY).agent(SRE).build();
        Collaboration review = Collaboration.builder(runtime)
                .participants(AUTHOR, SECURITY, SRE)
                .turnTaking(TurnTaking.roundRobin())
                .goal(GoalCheck.markerFrom("sre", "APPROVED"))
                .maxRounds(3)
                .build();

        System.out.println("== Design review (collaboration network) " + (live ? "on OpenAI" : "offline, scripted models"));
        System.out.println(DESIGN + "\n");
        CollaborationResult r = review.run(DESIGN, RunOptions.DEFAULTS.withRunId("review-0007")
                .withContext(CallContext.builder().team("platform").build())
                .withLimits(RunLimits.DEFAULTS.withMaxModelCalls(15).withMaxCost(0.20)));

        System.out.println("Blackboard:");
        for (Post p : r.posts()) {
            System.out.println("   [round " + p.round() + "] " + p.agentId() + ": " + p.text());
        }
        System.out.println("\nStatus: " + r.status() + " after " + r.rounds() + " round(s); goal reached: "
                + r.goalReached());
        System.out.println("\n== Trace\n" + r.trace().toText());
        if (List.of(args).contains("--json")) {
            System.out.println("== Trace as JSON\n" + r.trace().toJson());
        } else {
            System.out.println("(pass --json for the JSON export of the trace)");
        }
        mesh.close();
    }

    private static List<LlmClient> offlineModels() {
        Script script = new Script()
                .add(AUTHOR,
                        AiMessage.from("Sessions move to Redis: 3 shards with a replica each, 30-day expiry, the "
                                + "session service is the only client. Reads drop from ~20 ms to ~2 ms."),
                        AiMessage.from("Revised: TLS between the service and Redis, AUTH with per-service ACLs, "
                                + "session data encrypted with a KMS key before it is written; expiry cut to 7 "
                                + "days. Load test: p99 14 ms at 3x peak, failover to replica in 4 s."))
                .add(SECURITY,
                        AiMessage.from("Session tokens would sit in Redis unencrypted, without TLS or ACLs. "
                                + "Required: TLS, per-service ACLs, encryption at rest. 30 days is too long."),
                        AiMessage.from("TLS, ACLs and client-side encryption address my findings. OK from security."))
                .add(SRE,
                        AiMessage.from(ToolExecutionRequest.builder().id("slo-1").name("latency_budget")
                                .arguments("{\"service\": \"sessions\"}").build()),
                        AiMessage.from("The sessions p99 budget is 25 ms; the design has no load test and no "
                                + "failover plan. CHANGES REQUESTED."),
                        AiMessage.from("p99 14 ms at 3x peak is inside the 25 ms budget and failover is tested. "
                                + "APPROVED."));
        ScriptedModel mini = new ScriptedModel(ModelDescriptor.builder("budget-mini", "scripted", "gpt-4o-mini")
                .capabilities(Capability.CHAT, Capability.TOOLS, Capability.JSON_SCHEMA).contextWindow(128_000)
                .maxOutputTokens(16_384).pricing(Pricing.perMillion(0.15, 0.60)).build(), script);
        ScriptedModel premium = new ScriptedModel(ModelDescriptor.builder("premium", "scripted", "gpt-4o")
                .capabilities(Capability.CHAT, Capability.TOOLS, Capability.JSON_SCHEMA).contextWindow(128_000)
                .maxOutputTokens(16_384).pricing(Pricing.perMillion(2.50, 10.00)).build(), script);
        mini.failCall(4); // the SRE's first verdict hits a 503: the mesh reroutes that turn to the premium model
        return List.of(mini, premium);
    }

    private static List<LlmClient> liveModels() {
        Secret key = Secret.env("OPENAI_API_KEY");
        return List.of(OpenAiClient.builder(ModelDescriptor.builder("budget-mini", "openai", "gpt-4o-mini")
                .capabilities(Capability.CHAT, Capability.TOOLS, Capability.JSON_SCHEMA)
                .contextWindow(128_000).maxOutputTokens(16_384).pricing(Pricing.perMillion(0.15, 0.60))
                .build()).apiKey(key).build());
    }
}
