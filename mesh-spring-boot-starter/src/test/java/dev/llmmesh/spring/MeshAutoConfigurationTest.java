package dev.llmmesh.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmmesh.CallContext;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshClosedException;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.MeshResponseMetadata;
import dev.llmmesh.config.MeshConfig;
import dev.llmmesh.config.MeshConfigException;
import dev.llmmesh.testkit.ScriptedLlmClient;
import dev.llmmesh.testkit.SimulatedOpenAiServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import dev.llmmesh.observation.MeshMetricNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class MeshAutoConfigurationTest {
    private static SimulatedOpenAiServer server;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MeshAutoConfiguration.class));

    @BeforeAll
    static void startServer() {
        server = SimulatedOpenAiServer.builder().defaultAnswer("Hello from the simulator.").start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private String[] model(String prefix) {
        return new String[] {prefix + ".id=mini", prefix + ".provider=openai", prefix + ".model=gpt-4o-mini",
            prefix + ".baseUrl=" + server.baseUrl(), prefix + ".contextWindow=128000",
            prefix + ".maxOutputTokens=4096", prefix + ".pricing.input=0.15", prefix + ".pricing.output=0.60",
            prefix + ".capabilities[0]=chat", prefix + ".capabilities[1]=streaming"};
    }

    @Test
    void propertiesWithTheMeshYamlKeysBuildTheMeshAndItsLangchain4jBeans() {
        runner.withPropertyValues(model("llmmesh.models[0]"))
                .withPropertyValues("llmmesh.routing.maxAttempts=2", "llmmesh.routing.defaultTimeout=20s")
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(Mesh.class).hasSingleBean(ChatModel.class)
                            .hasSingleBean(StreamingChatModel.class).hasSingleBean(MeshLifecycle.class);
                    ChatResponse r = CallContext.forTeam("search").call(() -> context.getBean(ChatModel.class)
                            .chat(ChatRequest.builder().messages(UserMessage.from("hi")).build()));

                    assertThat(r.aiMessage().text()).isEqualTo("Hello from the simulator.");
                    MeshResponse mesh = ((MeshResponseMetadata) r.metadata()).meshResponse();
                    assertThat(mesh.modelId()).contains("mini");
                    assertThat(mesh.cost().known()).isTrue();
                    // meters went to the application's registry
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.getMeters()).anyMatch(m -> m.getId().getName().startsWith("gen_ai.client")
                            && "mini".equals(m.getId().getTag("mesh.model")));
                    // the activity saw the call with its team
                    assertThat(context.getBean(MeshActivity.class).spendByTeam()).containsKey("search");
                });
    }

    @Test
    void meshYamlIsReadFromTheConfiguredLocationWithVariablesFromTheEnvironment(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("mesh.yaml");
        Files.writeString(yaml, """
                models:
                  - id: mini
                    provider: openai
                    model: gpt-4o-mini
                    baseUrl: ${SIM_URL}
                routing:
                  maxAttempts: 1
                """);
        runner.withPropertyValues("llmmesh.config-location=file:" + yaml, "SIM_URL=" + server.baseUrl())
                .withBean(TestObservationRegistry.class, TestObservationRegistry::create)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    Mesh mesh = context.getBean(Mesh.class);
                    assertThat(mesh.chat("hi").text()).isEqualTo("Hello from the simulator.");
                    // observations went to the application's registry
                    TestObservationRegistryAssert.assertThat(context.getBean(TestObservationRegistry.class))
                            .hasObservationWithNameEqualTo(MeshMetricNames.CALL_OBSERVATION).that().hasBeenStopped();
                });
    }

    @Test
    void aBadPropertyFailsStartupWithTheSameMessageAsTheSameKeyInMeshYaml() {
        String yamlMessage = messageOf(() -> MeshConfig.parse("""
                models:
                  - {id: mini, provider: openai, model: gpt-4o-mini, baseUrl: "%s"}
                routing:
                  maxAttempts: 0
                """.formatted(server.baseUrl())));
        assertThat(yamlMessage).isEqualTo("routing.maxAttempts: expected an integer >= 1, got 0 (line 4)");

        runner.withPropertyValues(model("llmmesh.models[0]")).withPropertyValues("llmmesh.routing.maxAttempts=0")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .isInstanceOf(MeshConfigException.class)
                        .hasMessage("routing.maxAttempts: expected an integer >= 1, got 0"));
        runner.withPropertyValues(model("llmmesh.models[0]")).withPropertyValues("llmmesh.rooting.maxAttempts=2")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .isInstanceOf(MeshConfigException.class)
                        .hasMessageStartingWith("rooting: unknown section (did you mean \"routing\"?)"));
        runner.withPropertyValues(model("llmmesh.models[0]")).withPropertyValues("llmmesh.models[0].regoin=eu")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageStartingWith("models[0].regoin: unknown key (did you mean \"region\"?)"));
    }

    @Test
    void neitherOrBothConfigurationsFailStartupSayingWhatToDo() {
        runner.run(context -> assertThat(context).getFailure().rootCause()
                .hasMessageStartingWith("no LLM Mesh configuration: classpath:mesh.yaml does not exist")
                .hasMessageContaining("llmmesh.enabled=false"));
        runner.withPropertyValues(model("llmmesh.models[0]")).withPropertyValues("llmmesh.config-location=file:x.yaml")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageStartingWith("LLM Mesh configuration is set twice"));
        runner.withPropertyValues("llmmesh.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(Mesh.class));
    }

    @Test
    void customizersRunBeforeTheConfigurationAndAnApplicationMeshWins() {
        runner.withPropertyValues(model("llmmesh.models[0]"))
                .withBean("extra", MeshBuilderCustomizer.class,
                        () -> b -> b.addModel(ScriptedLlmClient.builder("scripted").answer("from code").build()))
                .run(context -> assertThat(context.getBean(Mesh.class).health())
                        .extracting(h -> h.modelId()).containsExactly("mini", "scripted"));
        runner.withUserConfiguration(OwnMesh.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(ChatModel.class).chat("hi")).isEqualTo("own");
                });
    }

    @Test
    void stoppingTheApplicationDrainsCallsInFlightAndRefusesNewOnes() throws Exception {
        try (SimulatedOpenAiServer slow = SimulatedOpenAiServer.builder()
                .defaultBehavior(SimulatedOpenAiServer.Behavior.ok("slow answer").withLatency(Duration.ofMillis(400)))
                .start()) {
            runner.withPropertyValues("llmmesh.models[0].id=slow", "llmmesh.models[0].provider=openai",
                    "llmmesh.models[0].model=gpt-4o-mini", "llmmesh.models[0].baseUrl=" + slow.baseUrl(),
                    "llmmesh.routing.drainTimeout=10s").withBean(LaterLifecycle.class).run(context -> {
                        Mesh mesh = context.getBean(Mesh.class);
                        LaterLifecycle later = context.getBean(LaterLifecycle.class);
                        CompletableFuture<String> inFlight = CompletableFuture.supplyAsync(() -> mesh.chat("hi").text());
                        while (slow.requestCount() == 0) {
                            Thread.sleep(5);
                        }
                        ((ConfigurableApplicationContext) context.getSourceApplicationContext()).close();

                        assertThat(inFlight.get(10, TimeUnit.SECONDS)).isEqualTo("slow answer");
                        assertThatThrownBy(() -> mesh.chat("again")).isInstanceOf(MeshClosedException.class);
                        // closed by the lifecycle (before beans are destroyed), so later phases see it closed
                        assertThat(later.sawClosedMesh).isTrue();
                    });
        }
    }

    private static String messageOf(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            return e.getMessage();
        }
        throw new AssertionError("no exception");
    }

    /** Stops after the mesh's lifecycle and records whether the mesh was already closed then. */
    static class LaterLifecycle implements org.springframework.context.SmartLifecycle {
        private final Mesh mesh;
        private volatile boolean running;
        volatile boolean sawClosedMesh;

        LaterLifecycle(Mesh mesh) {
            this.mesh = mesh;
        }

        @Override
        public void start() {
            running = true;
        }

        @Override
        public void stop() {
            running = false;
            try {
                mesh.chat("probe");
            } catch (MeshClosedException e) {
                sawClosedMesh = true;
            }
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public int getPhase() {
            return MeshLifecycle.PHASE - 1;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnMesh {
        @Bean
        Mesh ownMesh() {
            return Mesh.builder().addModel(ScriptedLlmClient.builder("own").answer("own").build()).build();
        }
    }
}
