package dev.llmmesh.providers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.Attempt;
import dev.llmmesh.CallContext;
import dev.llmmesh.Cost;
import dev.llmmesh.ErrorKind;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshException;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.Secret;
import dev.llmmesh.client.Capability;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.client.Pricing;
import dev.llmmesh.event.MeshEvent;
import dev.llmmesh.event.MeshListener;
import dev.llmmesh.observation.MeshMetricNames;
import dev.llmmesh.providers.openai.OpenAiClient;
import dev.llmmesh.testkit.SimulatedOpenAiServer;
import dev.llmmesh.testkit.SimulatedOpenAiServer.Behavior;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** Cancelling an async call aborts the provider's HTTP exchange, over real HTTP against a simulated provider. */
class CancellationScenarioTest {

    private static OpenAiClient client(SimulatedOpenAiServer server, String id, double inputPrice) {
        ModelDescriptor d = ModelDescriptor.builder(id, "openai", "gpt-4o-mini")
                .capabilities(Capability.CHAT, Capability.STREAMING)
                .contextWindow(128_000).maxOutputTokens(16_000)
                .pricing(Pricing.perMillion(inputPrice, inputPrice * 4))
                .build();
        return OpenAiClient.builder(d).baseUrl(server.baseUrl()).apiKey(Secret.of("sk-" + id))
                .timeout(Duration.ofSeconds(30)).build();
    }

    private static void await(BooleanSupplier condition, Duration max) throws InterruptedException {
        long until = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < until) {
            Thread.sleep(10);
        }
    }

    @Test
    void scenario47_cancellingAnAsyncCallAbortsTheHttpExchangeAndBillsNothing() throws Exception {
        try (SimulatedOpenAiServer slow = SimulatedOpenAiServer.builder().apiKey("sk-slow").start();
             SimulatedOpenAiServer other = SimulatedOpenAiServer.builder().apiKey("sk-other").start()) {
            // the slow model answers after 5 s, keeping the exchange alive so the server sees the client leave
            slow.enqueue(Behavior.ok("too late").withLatency(Duration.ofSeconds(5)).withHeartbeat());
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            AtomicReference<MeshEvent.CallEnded> ended = new AtomicReference<>();
            CountDownLatch endedLatch = new CountDownLatch(1);
            try (Mesh mesh = Mesh.builder()
                    .addModel(client(slow, "slow", 0.15))   // cheaper, so planned first
                    .addModel(client(other, "other", 2.50))
                    .meterRegistry(meters)
                    .addListener(new MeshListener() {
                        @Override
                        public void callEnded(MeshEvent.CallEnded event) {
                            ended.set(event);
                            endedLatch.countDown();
                        }
                    })
                    .build()) {

                CompletableFuture<MeshResponse> future = mesh.chatAsync(
                        ChatRequest.builder().messages(UserMessage.from("hello")).build(), CallContext.EMPTY);
                await(() -> slow.chatRequests().size() == 1, Duration.ofSeconds(10));
                assertThat(slow.chatRequests()).as("the request reached the provider").hasSize(1);

                assertThat(future.cancel(true)).isTrue();

                // well inside the 5 s the answer would take: the server saw the connection close
                await(() -> slow.clientDisconnects() == 1, Duration.ofSeconds(3));
                assertThat(slow.clientDisconnects()).as("the HTTP exchange was aborted").isEqualTo(1);
                assertThat(endedLatch.await(10, TimeUnit.SECONDS)).isTrue();

                MeshEvent.CallEnded call = ended.get();
                assertThat(call.response()).isEmpty();
                assertThat(call.error()).get().extracting(MeshException::kind).isEqualTo(ErrorKind.CANCELLED);
                assertThat(call.billed()).isEqualTo(Cost.ZERO);
                assertThat(call.attempts()).hasSize(1);
                Attempt attempt = call.attempts().get(0);
                assertThat(attempt.modelId()).isEqualTo("slow");
                assertThat(attempt.error()).contains(ErrorKind.CANCELLED);
                assertThat(attempt.cost()).isEqualTo(Cost.ZERO);
                assertThat(other.chatRequests()).as("a cancelled call never falls back").isEmpty();
                assertThat(meters.find(MeshMetricNames.CLIENT_COST).counters())
                        .allSatisfy(c -> assertThat(c.count()).isZero());
                assertThat(meters.find(MeshMetricNames.CLIENT_COST).counters().stream().mapToDouble(Counter::count)
                        .sum()).isZero();

                // the worker thread went back to the pool without the cancel's interrupt: the next call works
                other.enqueue(Behavior.ok("next"));
                slow.enqueue(Behavior.ok("next"));
                assertThat(mesh.chatAsync(ChatRequest.builder().messages(UserMessage.from("again")).build(),
                        CallContext.EMPTY).get(10, TimeUnit.SECONDS).text()).isEqualTo("next");
            }
        }
    }
}
