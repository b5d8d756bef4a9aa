package dev.llmmesh.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmmesh.MeshResponse;
import dev.llmmesh.bench.internal.BenchFixtures;
import dev.llmmesh.bench.internal.ZeroLatencyClient;
import dev.llmmesh.observation.MeshMetricNames;
import dev.llmmesh.routing.CandidateReport;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Checks that the benchmark's setup measures what it says, by calling the benchmark methods once each. No timing is
 * asserted: figures come from JMH runs only (docs/performance.md).
 */
class BenchmarkSmokeTest {
    private final MeshOverheadBenchmark bench = new MeshOverheadBenchmark();

    @BeforeEach
    void setUp() {
        bench.setUp();
    }

    @AfterEach
    void tearDown() {
        bench.tearDown();
    }

    @Test
    void requestIsAboutOneKilobyteOfSystemAndUserText() {
        assertThat(BenchFixtures.requestChars()).isBetween(900, 1200);
        assertThat(bench.request().messages()).hasSize(2);
    }

    @Test
    void directClientReturnsThePrebuiltResponseWithTokenUsage() {
        assertThat(bench.directClient()).isSameAs(bench.direct().response());
        assertThat(bench.directClient().tokenUsage().inputTokenCount()).isEqualTo(BenchFixtures.INPUT_TOKENS);
    }

    @Test
    void meshScoresAllTenModelsAndAnswersFromTheCheapestOnTheFirstAttempt() {
        MeshResponse r = bench.meshMetrics();

        assertThat(r.decision()).isPresent();
        assertThat(r.decision().orElseThrow().candidates()).hasSize(BenchFixtures.MODEL_COUNT)
                .noneMatch(CandidateReport::rejected);
        assertThat(r.decision().orElseThrow().plan()).hasSize(BenchFixtures.MODEL_COUNT);
        assertThat(r.modelId()).contains("bench-model-000");
        assertThat(r.attempts()).hasSize(1);
        assertThat(r.failedAttempts()).isZero();
        assertThat(r.text()).isEqualTo(bench.direct().response().aiMessage().text());
        assertThat(r.chatResponse().tokenUsage()).isEqualTo(bench.direct().response().tokenUsage());
        assertThat(r.chatResponse().modelName()).isEqualTo(bench.direct().response().modelName());
        assertThat(r.cost().known()).isTrue();
        assertThat(r.cost().usd().signum()).isPositive();
    }

    @Test
    void meteredMeshRecordsOneOperationDurationPerCall() {
        bench.meshMetrics();
        bench.throughputMeshMetrics();

        Timer timer = bench.registry().find(MeshMetricNames.INFERENCE_DURATION).timer();
        assertThat(timer).isNotNull();
        assertThat(timer.count()).isEqualTo(2);
        assertThat(bench.registry().find(MeshMetricNames.ROUTER_DECISIONS).counter()).isNotNull();
    }

    @Test
    void unmeteredMeshAnswersTheSameWayWithoutTouchingTheRegistry() {
        MeshResponse r = bench.meshNoMetrics();
        bench.throughputMeshNoMetrics();

        assertThat(r.modelId()).contains("bench-model-000");
        assertThat(r.text()).isEqualTo(bench.directClient().aiMessage().text());
        assertThat(bench.registry().find(MeshMetricNames.INFERENCE_DURATION).timer()).isNull();
    }

    @Test
    void threadHopMeshAnswersLikeTheOthersThroughTheDefaultTimeBoundedCall() {
        MeshResponse r = bench.meshThreadHop();

        assertThat(r.modelId()).contains("bench-model-000");
        assertThat(r.text()).isEqualTo(bench.direct().response().aiMessage().text());
        assertThat(r.failedAttempts()).isZero();
    }

    @Test
    void bothTimeoutPathsReturnThePrebuiltResponse() {
        assertThat(bench.direct().timeoutPath()).isEqualTo(ZeroLatencyClient.TimeoutPath.CALLER_THREAD);
        assertThat(bench.direct().chat(bench.request(), java.time.Duration.ofSeconds(1)))
                .isSameAs(bench.direct().response());
        ZeroLatencyClient hop = BenchFixtures.tenModels(ZeroLatencyClient.TimeoutPath.INTERFACE_DEFAULT).get(0);
        assertThat(hop.chat(bench.request(), java.time.Duration.ofSeconds(5))).isSameAs(hop.response());
    }

    @Test
    void benchmarkMethodsFailWithAClearMessageWhenSetUpHasNotRun() {
        MeshOverheadBenchmark fresh = new MeshOverheadBenchmark();

        assertThatThrownBy(fresh::meshMetrics).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("setUp()");
    }
}
