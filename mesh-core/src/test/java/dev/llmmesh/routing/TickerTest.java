package dev.llmmesh.routing;

import static dev.llmmesh.TestRequests.ask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmmesh.CallContext;
import dev.llmmesh.FakeClient;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.TestClock;
import dev.llmmesh.event.MeshEvent;
import dev.llmmesh.event.MeshListener;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The mesh's monotonic time comes from the ticker given to the builder. */
class TickerTest {

    @Test
    void callLatencyIsMeasuredOnTheMeshTicker() {
        TestClock ticker = new TestClock();
        FakeClient slow = new FakeClient(FakeClient.model("m", 1, 1).descriptor(), "ok") {
            @Override
            public ChatResponse chat(ChatRequest request) {
                ticker.advance(Duration.ofMillis(1_250)); // a simulated second and a quarter upstream
                return super.chat(request);
            }
        };
        AtomicReference<Duration> ended = new AtomicReference<>();
        Mesh mesh = Mesh.builder().addModel(slow).ticker(ticker)
                .addListener(new MeshListener() {
                    @Override
                    public void callEnded(MeshEvent.CallEnded e) {
                        ended.set(e.duration());
                    }
                })
                .build();

        MeshResponse r = mesh.chat(ask("hi"), CallContext.EMPTY);

        assertThat(r.latency()).isEqualTo(Duration.ofMillis(1_250));
        assertThat(ended.get()).isEqualTo(Duration.ofMillis(1_250));
    }
}
