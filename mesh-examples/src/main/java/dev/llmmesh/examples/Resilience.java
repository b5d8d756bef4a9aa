package dev.llmmesh.examples;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.llmmesh.ErrorKind;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshException;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.RetryableException;
import dev.llmmesh.client.Capability;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.client.Pricing;
import dev.llmmesh.event.MeshEvent;
import dev.llmmesh.event.MeshListener;
import dev.llmmesh.routing.HedgeConfig;
import dev.llmmesh.routing.RouterConfig;
import dev.llmmesh.routing.RoutingStrategies;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Resilience, offline: (1) a brownout — the cheapest model fails half its calls with 503 — and how the router's
 * fallbacks, breaker and health score keep every call succeeding with few extra upstream calls; (2) a heavy-tailed
 * provider with and without hedging, with p50/p95/p99; (3) the decision log of a few calls.
 *
 * <p>Run: {@code ./mvnw -q -pl mesh-examples -am package -DskipTests -Prun -Dexample=Resilience}
 */
public final class Resilience {
    private Resilience() {
    }

    public static void main(String[] args) throws Exception {
        brownout();
        hedging();
    }

    // ------------------------------------------------------------------ 1. brownout

    static void brownout() {
        System.out.println("== 1. Brownout: the primary returns 503 on 50% of calls; two healthy fallbacks ==");
        SimulatedModel primary = new SimulatedModel("cheap-primary", 0.15, 0.60, () -> Duration.ZERO, 0.5);
        SimulatedModel f1 = new SimulatedModel("fallback-a", 2.50, 10.0, () -> Duration.ZERO, 0);
        SimulatedModel f2 = new SimulatedModel("fallback-b", 3.00, 15.0, () -> Duration.ZERO, 0);
        List<String> log = new ArrayList<>();
        AtomicInteger fallbacks = new AtomicInteger();
        Mesh mesh = Mesh.builder().addModel(primary).addModel(f1).addModel(f2)
                .addListener(new MeshListener() {
                    @Override
                    public void fallbackTaken(MeshEvent.FallbackTaken e) {
                        fallbacks.incrementAndGet();
                    }

                    @Override
                    public void routeSelected(MeshEvent.RouteSelected e) {
                        if (log.size() < 2) {
                            log.add(e.decision().toTable());
                        }
                    }
                })
                .build();
        int calls = 2_000;
        int ok = 0;
        for (int i = 0; i < calls; i++) {
            try {
                mesh.chat(ask("question " + i));
                ok++;
            } catch (MeshException e) {
                System.out.println("failed: " + e.getMessage());
            }
        }
        int upstream = primary.calls.get() + f1.calls.get() + f2.calls.get();
        System.out.printf(Locale.ROOT, "calls %d, succeeded %d (%.1f%%), upstream calls %d (%.3f x calls), fallbacks %d%n",
                calls, ok, 100.0 * ok / calls, upstream, upstream / (double) calls, fallbacks.get());
        System.out.printf(Locale.ROOT, "per model: %s %d, %s %d, %s %d%n", primary.id, primary.calls.get(), f1.id,
                f1.calls.get(), f2.id, f2.calls.get());
        System.out.println("health now: " + mesh.health().stream()
                .map(h -> h.modelId() + " success=" + String.format(Locale.ROOT, "%.2f", h.successRate()) + " breaker=" + h.breaker())
                .toList());
        System.out.println("\nThe first decision (before any failure):\n" + log.get(0));
        System.out.println("After the brownout the primary is demoted or ejected:\n"
                + mesh.chat(ask("one more")).decision().orElseThrow().toTable());
        mesh.close();
    }

    // ------------------------------------------------------------------ 2. hedging

    static void hedging() throws Exception {
        System.out.println("== 2. Heavy-tailed provider: 90% of calls take ~10 ms, 10% take ~300 ms ==");
        int calls = 200;
        Stats without = run(calls, null);
        Stats with = run(calls, HedgeConfig.after(Duration.ofMillis(40)));
        System.out.printf(Locale.ROOT, "%-22s %8s %8s %8s %14s%n", "", "p50", "p95", "p99", "upstream calls");
        System.out.printf(Locale.ROOT, "%-22s %6d ms %6d ms %6d ms %14d%n", "without hedging", without.p(50), without.p(95),
                without.p(99), without.upstream);
        System.out.printf(Locale.ROOT, "%-22s %6d ms %6d ms %6d ms %14d%n", "hedge after 40 ms", with.p(50), with.p(95),
                with.p(99), with.upstream);
        System.out.println("(hedges are billed and count against the retry budget; the slower attempt is cancelled)");
    }

    record Stats(List<Long> millis, int upstream) {
        long p(int percentile) {
            List<Long> sorted = new ArrayList<>(millis);
            Collections.sort(sorted);
            return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1));
        }
    }

    static Stats run(int calls, HedgeConfig hedge) throws Exception {
        java.util.function.Supplier<Duration> heavyTail = () -> ThreadLocalRandom.current().nextDouble() < 0.9
                ? Duration.ofMillis(8 + ThreadLocalRandom.current().nextInt(5))
                : Duration.ofMillis(250 + ThreadLocalRandom.current().nextInt(100));
        SimulatedModel a = new SimulatedModel("replica-a", 1, 2, heavyTail, 0);
        SimulatedModel b = new SimulatedModel("replica-b", 1, 2, heavyTail, 0);
        RouterConfig.Builder routing = RouterConfig.builder().strategy(RoutingStrategies.priority(List.of("replica-a", "replica-b")))
                .retryBudget(0.2, 10);
        if (hedge != null) {
            routing.hedging(hedge);
        }
        Mesh mesh = Mesh.builder().addModel(a).addModel(b).routing(routing.build()).build();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Long>> futures = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            futures.add(pool.submit(() -> {
                long t0 = System.nanoTime();
                MeshResponse r = mesh.chat(ask("q"));
                return r.text().isEmpty() ? -1L : (System.nanoTime() - t0) / 1_000_000;
            }));
        }
        List<Long> millis = new ArrayList<>();
        for (Future<Long> f : futures) {
            millis.add(f.get());
        }
        pool.shutdown();
        mesh.close();
        return new Stats(millis, a.calls.get() + b.calls.get());
    }

    // ------------------------------------------------------------------ helpers

    static ChatRequest ask(String text) {
        return ChatRequest.builder().messages(UserMessage.from(text)).build();
    }

    /** An in-process model with a latency distribution and a failure rate; real sleeps, for a demo. */
    static final class SimulatedModel implements LlmClient {
        final String id;
        final AtomicInteger calls = new AtomicInteger();
        private final ModelDescriptor descriptor;
        private final java.util.function.Supplier<Duration> latency;
        private final double failureRate;

        SimulatedModel(String id, double in, double out, java.util.function.Supplier<Duration> latency, double failureRate) {
            this.id = id;
            this.latency = latency;
            this.failureRate = failureRate;
            this.descriptor = ModelDescriptor.builder(id, "openai", id)
                    .capabilities(Capability.CHAT, Capability.STREAMING).contextWindow(128_000).maxOutputTokens(4096)
                    .pricing(Pricing.perMillion(in, out)).build();
        }

        @Override
        public ModelDescriptor descriptor() {
            return descriptor;
        }

        @Override
        public ChatResponse chat(ChatRequest request, Duration timeout) {
            return chat(request);
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
            calls.incrementAndGet();
            Duration d = latency.get();
            if (!d.isZero()) {
                try {
                    Thread.sleep(d.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new dev.llmmesh.MeshInternalException(ErrorKind.CANCELLED, "cancelled", e);
                }
            }
            if (ThreadLocalRandom.current().nextDouble() < failureRate) {
                throw new RetryableException(ErrorKind.OVERLOADED, id + ": HTTP 503", id, null, null);
            }
            return ChatResponse.builder().aiMessage(AiMessage.from("answer from " + id)).modelName(id)
                    .tokenUsage(new TokenUsage(120, 80)).finishReason(FinishReason.STOP).build();
        }
    }
}
