package dev.llmmesh.routing;

import static dev.llmmesh.TestRequests.ask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmmesh.FakeClient;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.event.MeshEvent;
import dev.llmmesh.event.MeshListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HedgingTest {

    /** A model that never answers until interrupted. */
    static final class Stuck extends FakeClient {
        final CountDownLatch interrupted = new CountDownLatch(1);

        Stuck() {
            super(FakeClient.model("stuck", 0.1, 0.1).descriptor(), "late");
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
            super.chat(request);
            try {
                new CountDownLatch(1).await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted.countDown();
                Thread.currentThread().interrupt();
            }
            return response("too late");
        }
    }

    @Test
    void slowPrimaryIsHedgedAndTheLoserCancelled() throws Exception {
        Stuck stuck = new Stuck();
        FakeClient quick = FakeClient.model("quick", 1, 1);
        List<String> hedges = new CopyOnWriteArrayList<>();
        Mesh mesh = Mesh.builder().addModel(stuck).addModel(quick)
                .routing(RouterConfig.builder().strategy(RoutingStrategies.priority(List.of("stuck", "quick")))
                        .hedging(HedgeConfig.after(Duration.ofMillis(50))).build())
                .addListener(new MeshListener() {
                    @Override
                    public void hedgeStarted(MeshEvent.HedgeStarted e) {
                        hedges.add(e.primaryModel() + "->" + e.hedgeModel());
                    }
                })
                .build();

        MeshResponse r = mesh.chat(ask("hi"));

        assertThat(r.modelId()).contains("quick");
        assertThat(r.text()).isEqualTo("answer from quick");
        assertThat(hedges).containsExactly("stuck->quick");
        assertThat(stuck.interrupted.await(10, TimeUnit.SECONDS)).as("loser cancelled").isTrue();
        assertThat(quick.calls()).isEqualTo(1);
    }

    @Test
    void fastPrimaryIsNotHedged() {
        FakeClient fast = FakeClient.model("fast", 0.1, 0.1);
        FakeClient other = FakeClient.model("other", 1, 1);
        Mesh mesh = Mesh.builder().addModel(fast).addModel(other)
                .routing(RouterConfig.builder().hedging(HedgeConfig.after(Duration.ofSeconds(5))).build()).build();

        MeshResponse r = mesh.chat(ask("hi"));

        assertThat(r.modelId()).contains("fast");
        assertThat(other.calls()).isZero();
        assertThat(r.attempts()).hasSize(1);
    }
}
