package dev.llmmesh.governance.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.llmmesh.CallContext;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshException;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.RetryableException;
import dev.llmmesh.event.MeshEvent;
import dev.llmmesh.event.MeshListener;
import dev.llmmesh.routing.RouterConfig;
import dev.llmmesh.testkit.ManualClock;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DriftTest {

    @Test
    void scenario21_thousandCancelsInFlightAndThousandProviderErrorsLeaveTheCounterEqualToBilledActuals()
            throws Exception {
        FakeModel streamer = FakeModel.priced("streamer", 3, 15);
        FakeModel broken = FakeModel.priced("broken", 3, 15)
                .failing(() -> RetryableException.serverError("broken", "HTTP 500 from upstream"));
        FakeModel good = FakeModel.priced("good", 0.15, 0.6).usage(137, 59);
        BudgetPlugin budgets = BudgetPlugin.of(BudgetConfig.builder()
                .limit(BudgetLimit.each(Scope.TEAM, BudgetWindow.DAY, new BigDecimal("1000")))
                .limit(BudgetLimit.org(BudgetWindow.MONTH, new BigDecimal("5000"))).build());
        AtomicInteger ended = new AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<BigDecimal> billedByMesh = new java.util.concurrent.atomic.AtomicReference<>(BigDecimal.ZERO);
        Mesh mesh = Mesh.builder().clock(new ManualClock()).addModel(streamer).addModel(broken).addModel(good)
                .routing(RouterConfig.builder().noBreaker().build()) // every 500 reaches the provider
                .install(budgets)
                .addListener(new MeshListener() {
                    @Override
                    public void callEnded(MeshEvent.CallEnded event) {
                        billedByMesh.accumulateAndGet(event.billed().usd(), BigDecimal::add);
                        ended.incrementAndGet();
                    }
                }).build();
        CallContext ctx = CallContext.builder().team("search").disableFallbacks().build();
        ChatRequest base = ChatRequest.builder().messages(UserMessage.from("a question of some length"))
                .maxOutputTokens(800).build();

        // 1000 streams cancelled after their first chunk, 50 at a time
        for (int batch = 0; batch < 20; batch++) {
            CountDownLatch started = new CountDownLatch(50);
            streamer.hangStreams(started);
            List<CompletableFuture<MeshResponse>> streams = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                streams.add(mesh.stream(base.toBuilder().modelName("streamer").build(), ctx, new Ignore()));
            }
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            streams.forEach(f -> f.cancel(true));
        }
        // 1000 provider 500s and 500 answers, concurrently
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<BigDecimal>> costs = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            String pin = i % 3 == 2 ? "good" : "broken";
            costs.add(pool.submit(() -> {
                try {
                    return mesh.chat(base.toBuilder().modelName(pin).build(), ctx).cost().usd();
                } catch (MeshException e) {
                    return BigDecimal.ZERO;
                }
            }));
        }
        BigDecimal billed = BigDecimal.ZERO;
        for (Future<BigDecimal> f : costs) {
            billed = billed.add(f.get(30, TimeUnit.SECONDS));
        }
        pool.shutdown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ended.get() < 2500 && System.nanoTime() < deadline) {
            Thread.onSpinWait(); // cancelled streams settle on their worker threads
        }
        assertThat(ended.get()).isEqualTo(2500);

        assertThat(broken.calls()).isEqualTo(1000);
        assertThat(streamer.calls()).isEqualTo(1000);
        assertThat(billed).isEqualByComparingTo(new BigDecimal("0.00005595").multiply(BigDecimal.valueOf(500)));
        // the mesh also bills what the cancelled streams had produced (their partial usage)
        BigDecimal actuals = billedByMesh.get();
        assertThat(actuals).isGreaterThan(billed);
        for (BudgetStatus s : budgets.status(ctx)) {
            assertThat(s.reservedUsd()).as("open reservations in " + s.scope()).isEqualByComparingTo("0");
            assertThat(s.usedUsd().subtract(actuals).abs()).as("drift in " + s.scope())
                    .isLessThanOrEqualTo(new BigDecimal("0.000001"));
        }
        mesh.close();
    }

    private static final class Ignore implements StreamingChatResponseHandler {
        @Override
        public void onPartialResponse(String partialResponse) {
        }

        @Override
        public void onCompleteResponse(ChatResponse completeResponse) {
        }

        @Override
        public void onError(Throwable error) {
        }
    }
}
