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

        Timer ok = registry.get(MeshMetricNames.INFERENCE_DURATION)
                .tags("gen_ai.operation.name", "chat", "gen_ai.provider.name", "openai",
                        "gen_ai.request.model", "b-model", "gen_ai.response.model", "b-model").timer();
        assertThat(ok.count()).isEqualTo(1);
        Timer failed = registry.get(MeshMetricNames.INFERENCE_DURATION)
                .tags("gen_ai.request.model", "a-model", "error.type", "rate_limited").timer();
        assertThat(failed.count()).isEqualTo(1);
        assertThat(registry.get(MeshMetricNames.USAGE_INPUT_TOKENS_COUNTER).tags("mesh.model", "b").counter().count())
                .isEqualTo(100);
        assertThat(registry.get(MeshMetricNames.USAGE_OUTPUT_TOKENS_COUNTER).tags("mesh.model", "b").counter().count())
                .isEqualTo(50);
        // the names of the older conventions only with the legacy switch
        assertThat(registry.find(MeshMetricNames.OPERATION_DURATION).meters()).isEmpty();
        assertThat(registry.find(MeshMetricNames.TOKEN_USAGE).meters()).isEmpty();
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

        assertThat(registry.get(MeshMetricNames.INFERENCE_DURATION).tags("gen_ai.provider.name", "gcp.gemini").timer()
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

    @Test
    void twoDeploymentsOfOneModelNameAreTwoSeries() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        dev.llmmesh.client.ModelDescriptor.Builder gpt = dev.llmmesh.client.ModelDescriptor.builder("gpt-eu", "azure", "gpt-4o")
                .pricing(dev.llmmesh.client.Pricing.perMillion(2.5, 10));
        FakeClient eu = new FakeClient(gpt.build(), "eu");
        FakeClient us = new FakeClient(dev.llmmesh.client.ModelDescriptor.builder("gpt-us", "azure", "gpt-4o")
                .pricing(dev.llmmesh.client.Pricing.perMillion(2.5, 10)).build(), "us");
        Mesh mesh = Mesh.builder().addModel(eu).addModel(us).meterRegistry(registry)
                .routing(dev.llmmesh.routing.RouterConfig.builder()
                        .strategy(dev.llmmesh.routing.RoutingStrategies.priority(java.util.List.of("gpt-eu", "gpt-us"))).build())
                .build();

        mesh.chat(ask("one"));
        mesh.chat(ask("two"), CallContext.EMPTY);
        mesh.chat(dev.langchain4j.model.chat.request.ChatRequest.builder()
                .messages(dev.langchain4j.data.message.UserMessage.from("pinned")).modelName("gpt-us").build());

        assertThat(registry.get(MeshMetricNames.INFERENCE_DURATION).tags("mesh.model", "gpt-eu").timer().count()).isEqualTo(2);
        assertThat(registry.get(MeshMetricNames.INFERENCE_DURATION).tags("mesh.model", "gpt-us").timer().count()).isEqualTo(1);
        assertThat(registry.get(MeshMetricNames.CLIENT_COST).tags("mesh.model", "gpt-eu").counter().count())
                .isGreaterThan(registry.get(MeshMetricNames.CLIENT_COST).tags("mesh.model", "gpt-us").counter().count());
        assertThat(registry.get(MeshMetricNames.USAGE_INPUT_TOKENS_COUNTER).tags("mesh.model", "gpt-us").counter().count())
                .isEqualTo(100);
    }

    @Test
    void streamsRecordTimeToFirstChunkAndTimePerOutputChunk() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Mesh mesh = Mesh.builder().addModel(FakeClient.model("a", 1, 1)).meterRegistry(registry)
                .legacyGenAiMetrics(true).build();
        mesh.chat(ask("not streamed"));
        assertThat(registry.find(MeshMetricNames.INFERENCE_TIME_TO_FIRST_CHUNK).meters()).isEmpty();

        // "answer from a" streams as three chunks: one first chunk, two gaps between chunks
        mesh.stream(ask("hi"), CallContext.EMPTY, new dev.langchain4j.model.chat.response.StreamingChatResponseHandler() {
            @Override
            public void onCompleteResponse(dev.langchain4j.model.chat.response.ChatResponse response) {
            }

            @Override
            public void onError(Throwable error) {
            }
        }).get(10, java.util.concurrent.TimeUnit.SECONDS);

        Timer first = registry.get(MeshMetricNames.INFERENCE_TIME_TO_FIRST_CHUNK)
                .tags("gen_ai.operation.name", "chat", "gen_ai.provider.name", "openai", "gen_ai.request.model",
                        "a-model", "mesh.model", "a").timer();
        assertThat(first.count()).isEqualTo(1);
        Timer perChunk = registry.get(MeshMetricNames.INFERENCE_TIME_PER_OUTPUT_CHUNK).tags("mesh.model", "a").timer();
        assertThat(perChunk.count()).isEqualTo(2);
        boolean legacyOn = MeshMetricNames.legacyNamesEmitted(true, System.getenv(MeshMetricNames.SEMCONV_OPT_IN_ENV));
        assertThat(registry.find(MeshMetricNames.TIME_TO_FIRST_CHUNK).tags("mesh.model", "a").timers())
                .hasSize(legacyOn ? 1 : 0);
        assertThat(registry.find(MeshMetricNames.TIME_PER_OUTPUT_CHUNK).tags("mesh.model", "a").timers())
                .hasSize(legacyOn ? 1 : 0);
    }

    @Test
    void theLegacySwitchAlsoEmitsTheOlderNamesUnlessOpenTelemetrysOptInSaysLatest() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Mesh mesh = Mesh.builder().addModel(FakeClient.model("a", 1, 1)).meterRegistry(registry)
                .legacyGenAiMetrics(true).build();

        mesh.chat(ask("hi"));

        boolean legacyOn = MeshMetricNames.legacyNamesEmitted(true, System.getenv(MeshMetricNames.SEMCONV_OPT_IN_ENV));
        assertThat(registry.find(MeshMetricNames.OPERATION_DURATION).tags("mesh.model", "a").timers())
                .hasSize(legacyOn ? 1 : 0);
        assertThat(registry.find(MeshMetricNames.TOKEN_USAGE).tags("gen_ai.token.type", "input").summaries())
                .hasSize(legacyOn ? 1 : 0);
        assertThat(registry.get(MeshMetricNames.INFERENCE_DURATION).tags("mesh.model", "a").timer().count()).isEqualTo(1);

        assertThat(MeshMetricNames.legacyNamesEmitted(true, null)).isTrue();
        assertThat(MeshMetricNames.legacyNamesEmitted(true, "http, gen_ai_latest_experimental")).isFalse();
        assertThat(MeshMetricNames.legacyNamesEmitted(true, "http")).isTrue();
        assertThat(MeshMetricNames.legacyNamesEmitted(false, null)).isFalse();
    }

    @Test
    void theLegacySwitchIsReachableFromMeshYaml() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        String model = "models:\n  - id: m1\n    provider: test\n    model: tiny\n";
        MeshBuilder b = Mesh.builder().meterRegistry(registry);
        dev.llmmesh.config.MeshConfig.apply(dev.llmmesh.config.ConfigNode.fromYaml(
                model + "observability:\n  legacyGenAiMetrics: true\n"), b);
        b.build().chat(ask("hi"));
        if (MeshMetricNames.legacyNamesEmitted(true, System.getenv(MeshMetricNames.SEMCONV_OPT_IN_ENV))) {
            assertThat(registry.find(MeshMetricNames.OPERATION_DURATION).timers()).hasSize(1);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> dev.llmmesh.config.MeshConfig.apply(
                        dev.llmmesh.config.ConfigNode.fromYaml(model + "observability:\n  legacyGenAiMetric: true\n"),
                        Mesh.builder()))
                .hasMessageContaining("observability.legacyGenAiMetric");
    }
}
