package dev.llmmesh;

import static dev.llmmesh.TestRequests.ask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmmesh.observation.MeshMetricNames;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;

class ObservabilityTest {

    @Test
    void recordsGenAiMetersWithSemanticConventionTags() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FakeClient a = FakeClient.model("a", 0.1, 0.1).thenFail(RetryableException.rateLimited("a", null, "429"));
        Mesh mesh = Mesh.builder().addModel(a).addModel(FakeClient.model("b", 1, 1)).meterRegistry(registry).build();

        mesh.chat(ask("hi"));

        Timer ok = registry.get(MeshMetricNames.OPERATION_DURATION)
                .tags("gen_ai.operation.name", "chat", "gen_ai.provider.name", "openai",
                        "gen_ai.request.model", "b-model", "gen_ai.response.model", "b-model").timer();
        assertThat(ok.count()).isEqualTo(1);
        Timer failed = registry.get(MeshMetricNames.OPERATION_DURATION)
                .tags("gen_ai.request.model", "a-model", "error.type", "rate_limited").timer();
        assertThat(failed.count()).isEqualTo(1);
        assertThat(registry.get(MeshMetricNames.TOKEN_USAGE).tags("gen_ai.token.type", "input").summary().totalAmount())
                .isEqualTo(100);
        assertThat(registry.get(MeshMetricNames.TOKEN_USAGE).tags("gen_ai.token.type", "output").summary().totalAmount())
                .isEqualTo(50);
        assertThat(registry.get(MeshMetricNames.ROUTER_DECISIONS).tags("mesh.router.outcome", "fallback").counter().count())
                .isEqualTo(1);
        assertThat(registry.get(MeshMetricNames.MODEL_HEALTH).tags("mesh.model", "a").gauge().value()).isZero();
        assertThat(registry.get(MeshMetricNames.CLIENT_COST).counter().count()).isGreaterThan(0);
    }

    @Test
    void metricTagsCarryNoUserOrRequestIdentity() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Mesh mesh = Mesh.builder().addModel(FakeClient.model("a", 1, 1)).meterRegistry(registry).build();

        mesh.chat(ask("hi"), CallContext.builder().team("t1").user("alice@example.com").requestId("req-123").build());

        registry.getMeters().forEach(m -> m.getId().getTags().forEach(t ->
                assertThat(t.getValue()).doesNotContain("alice", "req-123", "t1")));
    }

    @Test
    void observesEachCallAndEachAttempt() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        Mesh mesh = Mesh.builder().addModel(FakeClient.model("a", 1, 1)).observationRegistry(observations).build();

        mesh.chat(ask("hi"));

        TestObservationRegistryAssert.assertThat(observations)
                .hasObservationWithNameEqualTo(MeshMetricNames.CALL_OBSERVATION).that().hasBeenStarted().hasBeenStopped();
        TestObservationRegistryAssert.assertThat(observations)
                .hasObservationWithNameEqualTo(MeshMetricNames.ATTEMPT_OBSERVATION).that()
                .hasContextualNameEqualTo("chat a-model")
                .hasLowCardinalityKeyValue("gen_ai.provider.name", "openai")
                .hasHighCardinalityKeyValue("gen_ai.usage.input_tokens", "100");
    }

    @Test
    void providerTagsUseTheOpenTelemetryNames() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FakeClient gemini = new FakeClient(dev.llmmesh.client.ModelDescriptor.builder("g", "gemini", "gemini-2.0-flash")
                .pricing(dev.llmmesh.client.Pricing.perMillion(0.1, 0.4)).build(), "hi");
        Mesh mesh = Mesh.builder().addModel(gemini).meterRegistry(registry).build();

        mesh.chat(ask("hi"));

        assertThat(registry.get(MeshMetricNames.OPERATION_DURATION).tags("gen_ai.provider.name", "gcp.gemini").timer()
                .count()).isEqualTo(1);
        assertThat(MeshMetricNames.otelProviderName("azure")).isEqualTo("azure.ai.openai");
        assertThat(MeshMetricNames.otelProviderName("mistral")).isEqualTo("mistral_ai");
        assertThat(MeshMetricNames.otelProviderName("anthropic")).isEqualTo("anthropic");
    }

    @Test
    void withoutRegistriesNothingIsRecordedAndCallsStillWork() {
        Mesh mesh = Mesh.builder().addModel(FakeClient.model("a", 1, 1)).build();

        assertThat(mesh.chat(ask("hi")).text()).isEqualTo("answer from a");
    }
}
