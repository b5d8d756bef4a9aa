package dev.llmmesh.scenarios;

import static dev.llmmesh.TestRequests.ask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmmesh.ErrorKind;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.RetryableException;
import dev.llmmesh.TestClock;
import dev.llmmesh.routing.RouterConfig;
import dev.llmmesh.scenarios.SimModel.Behavior;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.llmmesh.MeshClosedException;
import dev.llmmesh.MeshException;
import dev.llmmesh.client.Capability;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.event.MeshEvent;
import dev.llmmesh.event.MeshListener;
import dev.llmmesh.intercept.Interceptor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Scenarios 45–46 of SCENARIOS.md: what a service meets in its first week in production. */
class ProductionScenariosTest {
    private final TestClock clock = new TestClock();

    @Test
    void scenario45_aModelDemotedByOneSlowCallAndOne503EarnsItsShareBackWithinTheRecoveryWindow() {
        // the first call is slow (JVM warm-up), the second a 503, every later one fast
        SimModel cheap = new SimModel("cheap", clock, 0.15, 0.6).script((n, t) -> switch (n) {
            case 1 -> Behavior.ok(Duration.ofSeconds(3));
            case 2 -> Behavior.fail(new RetryableException(ErrorKind.OVERLOADED, "cheap: 503", "cheap", null, null),
                    Duration.ofMillis(50));
            default -> Behavior.ok(Duration.ofMillis(200));
        });
        SimModel pricey = new SimModel("pricey", clock, 0.15 * 16, 0.6 * 16); // 16 times the price
        Mesh mesh = Mesh.builder().clock(clock).sleeper(clock).addModel(cheap).addModel(pricey)
                .routing(RouterConfig.builder().recoveryWindow(Duration.ofSeconds(30)).build()).build();

        List<String> answeredBy = new ArrayList<>();
        List<Instant> at = new ArrayList<>();
        for (int i = 0; i < 1000; i++) { // 10 calls a second for 100 s
            Instant before = clock.instant();
            MeshResponse r = mesh.chat(ask("q" + i));
            answeredBy.add(r.modelId().orElse(""));
            at.add(before);
            Duration gap = Duration.ofMillis(100).minus(Duration.between(before, clock.instant()));
            if (!gap.isNegative()) {
                clock.advance(gap);
            }
        }

        Instant failedAt = cheap.callTimes.get(1);
        Instant recovered = failedAt.plus(Duration.ofSeconds(30)).plusMillis(500);
        long later = 0;
        long toCheap = 0;
        for (int i = 0; i < answeredBy.size(); i++) {
            if (at.get(i).isAfter(recovered)) {
                later++;
                toCheap += answeredBy.get(i).equals("cheap") ? 1 : 0;
            }
        }
        assertThat(later).isGreaterThan(500);
        assertThat(toCheap).as("calls to the cheap model after the recovery window").isGreaterThanOrEqualTo((long) Math.ceil(later * 0.95));
    }

    /** Answers "quick" requests after {@code quickRelease} opens; the others hang until the client is closed. */
    static final class HoldingClient implements LlmClient {
        final CountDownLatch quickRelease = new CountDownLatch(1);
        final CountDownLatch closed = new CountDownLatch(1);
        final AtomicInteger inside = new AtomicInteger();

        @Override
        public ModelDescriptor descriptor() {
            return ModelDescriptor.builder("held", "openai", "held").capabilities(Capability.CHAT).build();
        }

        @Override
        public ChatResponse chat(ChatRequest request, Duration timeout) {
            return chat(request);
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
            inside.incrementAndGet();
            String text = ((UserMessage) request.messages().get(request.messages().size() - 1)).singleText();
            try {
                if (text.startsWith("quick")) {
                    quickRelease.await();
                } else {
                    closed.await();
                    // what an HTTP client does to an exchange when it is closed under it
                    throw new IllegalStateException("connection pool shut down");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
            return ChatResponse.builder().aiMessage(AiMessage.from("done " + text)).modelName("held")
                    .tokenUsage(new TokenUsage(10, 5)).build();
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }

    @Test
    void scenario46_closeDrainsCallsInFlightAbandonsTheRestWithAClearErrorAndRefusesNewCalls() throws Exception {
        HoldingClient client = new HoldingClient();
        AtomicInteger reserved = new AtomicInteger(); // what a budget interceptor holds
        List<MeshEvent.CallEnded> ended = java.util.Collections.synchronizedList(new ArrayList<>());
        Mesh mesh = Mesh.builder().addModel(client)
                .routing(RouterConfig.builder().drainTimeout(Duration.ofMillis(800)).build())
                .addCallInterceptor(Interceptor.named("reservation", chain -> {
                    reserved.incrementAndGet();
                    try {
                        return chain.proceed(chain.request());
                    } finally {
                        reserved.decrementAndGet();
                    }
                }))
                .addListener(new MeshListener() {
                    @Override
                    public void callEnded(MeshEvent.CallEnded event) {
                        ended.add(event);
                    }
                })
                .build();
        ExecutorService callers = Executors.newFixedThreadPool(100);
        List<CompletableFuture<Object>> calls = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String text = (i % 2 == 0 ? "quick " : "stuck ") + i;
            calls.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return mesh.chat(ChatRequest.builder().messages(UserMessage.from(text)).build());
                } catch (RuntimeException e) {
                    return e;
                }
            }, callers));
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (client.inside.get() < 100 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertThat(client.inside.get()).isEqualTo(100);

        CompletableFuture<Void> closing = CompletableFuture.runAsync(mesh::close);
        Thread.sleep(100);
        assertThat(closing).isNotDone(); // close waits for the calls in flight
        assertThatClosedRefusal(() -> mesh.chat("a new call while closing"));
        client.quickRelease.countDown(); // half of them finish within the drain timeout
        closing.get(10, TimeUnit.SECONDS);

        int answered = 0;
        for (CompletableFuture<Object> c : calls) {
            Object outcome = c.get(5, TimeUnit.SECONDS);
            if (outcome instanceof MeshResponse r) {
                answered++;
                assertThat(r.text()).startsWith("done quick");
            } else {
                assertThat(outcome).as("a call abandoned at the drain timeout").isInstanceOf(MeshClosedException.class);
                assertThat(((MeshException) outcome).getMessage()).contains("drain timeout");
            }
        }
        assertThat(answered).isEqualTo(50);
        assertThat(reserved.get()).as("reservations still held").isZero();
        assertThat(ended).hasSize(100);
        assertThat(ended.stream().filter(e -> e.error().isPresent())
                .allMatch(e -> e.error().get() instanceof MeshClosedException)).isTrue();
        assertThatClosedRefusal(() -> mesh.chat("a new call after close"));
        callers.shutdownNow();
    }

    private static void assertThatClosedRefusal(Runnable call) {
        org.assertj.core.api.Assertions.assertThatThrownBy(call::run).isInstanceOf(MeshClosedException.class)
                .hasMessageContaining("closed");
    }
}
