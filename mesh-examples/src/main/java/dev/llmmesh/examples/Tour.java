package dev.llmmesh.examples;

import static dev.llmmesh.observation.MeshMetricNames.CLIENT_COST;
import static dev.llmmesh.observation.MeshMetricNames.INFERENCE_DURATION;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.service.AiServices;
import dev.llmmesh.CallContext;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.MeshResponseMetadata;
import dev.llmmesh.client.Capability;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.client.Pricing;
import dev.llmmesh.event.MeshEvent;
import dev.llmmesh.event.MeshListener;
import dev.llmmesh.providers.openai.OpenAiClient;
import dev.llmmesh.testkit.SimulatedOpenAiServer;
import dev.llmmesh.testkit.SimulatedOpenAiServer.Behavior;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The offline tour: a mesh over three simulated OpenAI-compatible providers on 127.0.0.1 (real HTTP, real wire
 * format), each with its own price and latency. It routes requests and prints the decision table, takes the primary
 * down and shows the fallback, answers through a langchain4j AiService, and ends with calls, cost and latency per
 * model from the Micrometer meters.
 *
 * <p>Run: {@code ./mvnw -q -pl mesh-examples -am package -DskipTests -Prun}
 */
public final class Tour {
    private Tour() {
    }

    /** A langchain4j AI service, answered by the mesh. */
    interface Assistant {
        String answer(String question);
    }

    public static void main(String[] args) throws Exception {
        try (SimulatedOpenAiServer budget = SimulatedOpenAiServer.builder().defaultAnswer("Budget says: a mesh routes calls.")
                .defaultBehavior(Behavior.latency(Duration.ofMillis(15))).start();
             SimulatedOpenAiServer balanced = SimulatedOpenAiServer.builder().defaultAnswer("Balanced says: a mesh routes calls.")
                     .defaultBehavior(Behavior.latency(Duration.ofMillis(40))).start();
             SimulatedOpenAiServer premium = SimulatedOpenAiServer.builder().defaultAnswer("Premium says: a mesh routes calls.")
                     .defaultBehavior(Behavior.latency(Duration.ofMillis(80))).start()) {

            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            // fallbacks are counted and printed once per route, not once per call
            Map<String, AtomicInteger> fallbacks = new ConcurrentHashMap<>();
            Mesh mesh = Mesh.builder()
                    .addModel(client("budget-mini", "gpt-4o-mini", Pricing.perMillion(0.15, 0.60, 0.075), budget))
                    .addModel(client("balanced-4o", "gpt-4o", Pricing.perMillion(2.50, 10.00, 1.25), balanced))
                    .addModel(client("premium-4.1", "gpt-4.1", Pricing.perMillion(2.00, 8.00, 0.50), premium))
                    .meterRegistry(meters)
                    .addListener(new MeshListener() {
                        @Override
                        public void fallbackTaken(MeshEvent.FallbackTaken e) {
                            fallbacks.computeIfAbsent(e.fromModel() + " -> " + e.toModel() + " (" + e.reason().code() + ")",
                                    k -> new AtomicInteger()).incrementAndGet();
                        }
                    })
                    .build();

            section("1. Three providers on 127.0.0.1 with different prices and latencies");
            System.out.printf("   budget-mini  %s  $0.15/$0.60 per M tokens, ~15 ms%n", budget.baseUrl());
            System.out.printf("   balanced-4o  %s  $2.50/$10.00 per M tokens, ~40 ms%n", balanced.baseUrl());
            System.out.printf("   premium-4.1  %s  $2.00/$8.00 per M tokens, ~80 ms%n", premium.baseUrl());

            section("2. A request is routed: every candidate is scored or its rejection explained");
            MeshResponse first = mesh.chat(question("What does a mesh do?"), CallContext.forTeam("search"));
            System.out.println("   answer: " + first.text());
            System.out.print(indent(first.decision().orElseThrow().toTable()));
            System.out.printf("   cost %s, latency %d ms, model %s%n", first.cost(), first.latency().toMillis(),
                    first.modelId().orElseThrow());
            System.out.print(indent("""
                       How to read the table: rank 1* is the primary, the others are fallbacks in order, "-" rejected.
                       score is the strategy's total (balanced: the weighted mean of the five terms); every term is
                       0..1, higher is better: cost = cheapest estimate / this model's, latency = fastest latency
                       average / this model's (1 before any measurement), success = recent success rate, load = spare
                       capacity, pref = has a preferred tag. est. cost is the estimated price of this request.
                       """));

            for (int i = 0; i < 20; i++) {
                mesh.chat(question("warm-up question " + i), CallContext.forTeam("search"));
            }

            section("3. The primary goes down (HTTP 503): calls fall back, nothing fails");
            budget.setDefault(Behavior.status(503));
            int ok = 0;
            for (int i = 0; i < 20; i++) {
                MeshResponse r = mesh.chat(question("question during the outage " + i), CallContext.forTeam("search"));
                ok += r.text().isEmpty() ? 0 : 1;
                if (i == 0) {
                    System.out.println("   attempts of the first call: " + r.attempts().stream()
                            .map(a -> a.modelId() + (a.succeeded() ? " ok" : " " + a.error().orElseThrow().code())).toList());
                }
            }
            System.out.printf("   %d of 20 calls answered during the outage%n", ok);
            fallbacks.forEach((route, n) -> System.out.printf("   fallback: %s, %d call(s)%n", route, n.get()));
            fallbacks.clear();
            System.out.print(indent(mesh.chat(question("and now?"), CallContext.forTeam("search"))
                    .decision().orElseThrow().toTable()));

            section("4. Requests that need more than some models have");
            ChatRequest big = ChatRequest.builder().messages(UserMessage.from("x".repeat(600_000))).build();
            System.out.print(indent(mesh.chat(big, CallContext.forTeam("search")).decision().orElseThrow().toTable()));

            section("5. langchain4j code adopts the mesh by swapping one object");
            budget.setDefault(Behavior.latency(Duration.ofMillis(15)));
            Assistant assistant = AiServices.create(Assistant.class, mesh.asChatModel(CallContext.forTeam("support")));
            System.out.println("   Assistant.answer(..) -> " + assistant.answer("Explain the mesh in one line."));
            dev.langchain4j.model.chat.response.ChatResponse lc = mesh.asChatModel().chat(question("hi"));
            System.out.println("   the langchain4j ChatResponse carries the routing decision: primary = "
                    + ((MeshResponseMetadata) lc.metadata()).meshResponse().decision().orElseThrow().primary().orElseThrow());

            section("6. Summary per model (from the gen_ai.client.* and mesh.* meters)");
            System.out.printf("   %-13s %6s %6s %10s %12s%n", "model", "calls", "errors", "mean ms", "cost USD");
            for (String model : List.of("gpt-4o-mini", "gpt-4o", "gpt-4.1")) {
                long calls = 0;
                long errors = 0;
                double totalMs = 0;
                for (Timer t : meters.find(INFERENCE_DURATION).tag("gen_ai.request.model", model).timers()) {
                    calls += t.count();
                    totalMs += t.totalTime(TimeUnit.MILLISECONDS);
                    if (t.getId().getTag("error.type") != null) {
                        errors += t.count();
                    }
                }
                double cost = meters.find(CLIENT_COST).tag("gen_ai.request.model", model).counters().stream()
                        .mapToDouble(Counter::count).sum();
                System.out.printf(Locale.ROOT, "   %-13s %6d %6d %10.1f %12.6f%n", model, calls, errors,
                        calls == 0 ? 0 : totalMs / calls, cost);
            }
            mesh.close();
        }
    }

    private static OpenAiClient client(String id, String modelName, Pricing pricing, SimulatedOpenAiServer server) {
        ModelDescriptor d = ModelDescriptor.builder(id, "openai", modelName)
                .capabilities(Capability.CHAT, Capability.STREAMING, Capability.TOOLS, Capability.JSON_SCHEMA)
                .contextWindow(modelName.equals("gpt-4.1") ? 1_000_000 : 128_000).maxOutputTokens(16_384)
                .pricing(pricing).build();
        return OpenAiClient.builder(d).baseUrl(server.baseUrl()).timeout(Duration.ofSeconds(10)).build();
    }

    private static ChatRequest question(String text) {
        return ChatRequest.builder().messages(SystemMessage.from("Answer briefly."), UserMessage.from(text)).build();
    }

    private static void section(String title) {
        System.out.println();
        System.out.println("== " + title);
    }

    private static String indent(String table) {
        return table.lines().map(l -> "   " + l).reduce("", (a, b) -> a + b + "\n");
    }
}
