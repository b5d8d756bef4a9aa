package dev.llmmesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.output.TokenUsage;
import dev.llmmesh.Cost;
import dev.llmmesh.FakeClient;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.client.Pricing;
import dev.llmmesh.routing.RouterConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Per-model runtime state that the call path reads concurrently. */
class ModelRuntimeTest {

    @Test
    void aPriceChangeDuringConcurrentCallsNeverBillsAtTheOtherPrice() throws Exception {
        ModelDescriptor old = FakeClient.model("m", 1, 2).descriptor();
        ModelDescriptor repriced = old.toBuilder().pricing(Pricing.perMillion(5, 10)).build();
        ModelRuntime rt = new ModelRuntime(FakeClient.model("m", 1, 2), RouterConfig.defaults(), Clock.systemUTC());
        TokenUsage usage = new TokenUsage(1_000, 1_000);
        Cost atOld = old.pricing().orElseThrow().cost(usage);
        Cost atNew = repriced.pricing().orElseThrow().cost(usage);
        long[] ratesOld = old.pricing().orElseThrow().picoRates().orElseThrow();
        long[] ratesNew = repriced.pricing().orElseThrow().picoRates().orElseThrow();
        AtomicInteger wrongBills = new AtomicInteger();
        AtomicInteger wrongRates = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            // calls that planned before the change carry the old descriptor, later ones the new: both run at once
            ModelDescriptor mine = t % 2 == 0 ? old : repriced;
            Cost expected = t % 2 == 0 ? atOld : atNew;
            long[] expectedRates = t % 2 == 0 ? ratesOld : ratesNew;
            Thread th = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 200_000; i++) {
                    if (rt.bill(mine, usage).usd().compareTo(expected.usd()) != 0) {
                        wrongBills.incrementAndGet();
                    }
                    if (rt.rates(mine)[1] != expectedRates[1]) {
                        wrongRates.incrementAndGet();
                    }
                }
            });
            th.start();
            threads.add(th);
        }
        start.countDown();
        for (Thread th : threads) {
            th.join();
        }

        assertThat(wrongBills).hasValue(0);
        assertThat(wrongRates).hasValue(0);
    }
}
