package dev.llmmesh.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmmesh.CallContext;
import dev.llmmesh.ErrorKind;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.spring.MeshAutoConfiguration;
import dev.llmmesh.spring.MeshBuilderCustomizer;
import dev.llmmesh.testkit.ScriptedLlmClient;
import dev.llmmesh.testkit.SimulatedOpenAiServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class MeshActuatorTest {

    @Test
    void healthPerModelIsDownWithAnOpenBreakerDegradedWhileCoolingAndTheEndpointShowsDecisionsAndSpend() {
        try (SimulatedOpenAiServer server = SimulatedOpenAiServer.builder().defaultAnswer("steady answer").start()) {
            new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(MeshAutoConfiguration.class,
                            MeshActuatorAutoConfiguration.class))
                    .withPropertyValues("llmmesh.models[0].id=mini", "llmmesh.models[0].provider=openai",
                            "llmmesh.models[0].model=gpt-4o-mini", "llmmesh.models[0].baseUrl=" + server.baseUrl(),
                            "llmmesh.models[0].pricing.input=0.15", "llmmesh.models[0].pricing.output=0.60",
                            "llmmesh.routing.priority[0]=flaky", "llmmesh.routing.priority[1]=limited",
                            "llmmesh.routing.priority[2]=mini", "llmmesh.routing.breaker.windowSize=2",
                            "llmmesh.routing.breaker.minimumCalls=2", "llmmesh.routing.breaker.waitInOpen=1h",
                            "llmmesh.routing.backoff.base=1ms", "llmmesh.routing.backoff.cap=1ms",
                            "management.endpoints.web.exposure.include=health,llmmesh")
                    .withBean(MeshBuilderCustomizer.class, () -> b -> b
                            .addModel(ScriptedLlmClient.builder("flaky")
                                    .byDefault(ScriptedLlmClient.Step.fail(ErrorKind.SERVER_ERROR)).build())
                            .addModel(ScriptedLlmClient.builder("limited")
                                    .byDefault(ScriptedLlmClient.Step.fail(ErrorKind.RATE_LIMITED, Duration.ofHours(1)))
                                    .build()))
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        Mesh mesh = context.getBean(Mesh.class);
                        CompositeHealthContributor health = context.getBean("llmmeshHealthContributor",
                                CompositeHealthContributor.class);
                        assertThat(status(health, "flaky")).isEqualTo(Status.UP);

                        MeshResponse first = mesh.chat(ChatRequests.user("hi"), CallContext.forTeam("search"));
                        MeshResponse second = mesh.chat(ChatRequests.user("again"), CallContext.forTeam("search"));
                        assertThat(first.modelId()).contains("mini");
                        assertThat(second.modelId()).contains("mini");

                        Health flaky = ((HealthIndicator) health.getContributor("flaky")).health();
                        assertThat(flaky.getStatus()).isEqualTo(Status.DOWN);
                        assertThat(flaky.getDetails()).containsEntry("breaker", "OPEN");
                        Health limited = ((HealthIndicator) health.getContributor("limited")).health();
                        assertThat(limited.getStatus()).isEqualTo(ModelHealthIndicator.DEGRADED);
                        assertThat(limited.getDetails()).containsEntry("coolingDown", true).containsKey("cooldownUntil");
                        assertThat(status(health, "mini")).isEqualTo(Status.UP);

                        Map<String, Object> view = context.getBean(MeshEndpoint.class).mesh();
                        @SuppressWarnings("unchecked")
                        List<Map<String, Object>> recent = (List<Map<String, Object>>) view.get("recentDecisions");
                        assertThat(recent).hasSize(2);
                        Map<String, Object> newest = recent.get(0);
                        assertThat(newest).containsEntry("requestId", second.requestId()).containsEntry("model", "mini")
                                .containsEntry("fallback", true).containsEntry("team", "search");
                        assertThat(newest.get("rejected").toString()).contains("limited", "cooling down");
                        assertThat(newest.get("plan")).isEqualTo(List.of("flaky", "mini"));
                        assertThat(view.get("spendByTeam").toString()).contains("search", "calls=2");
                        assertThat(view.get("catalog").toString()).contains("gpt-4o-mini", "breaker=OPEN");
                        Map<String, Object> one = context.getBean(MeshEndpoint.class).call(first.requestId());
                        assertThat(one).isNotNull();
                        assertThat(one.get("table").toString()).contains("flaky", "limited", "mini");
                        assertThat(context.getBean(MeshEndpoint.class).call("no-such-call")).isNull();
                    });
        }
    }

    private static Status status(CompositeHealthContributor health, String model) {
        return ((HealthIndicator) health.getContributor(model)).health().getStatus();
    }

    /** Small helpers for requests. */
    static final class ChatRequests {
        static dev.langchain4j.model.chat.request.ChatRequest user(String text) {
            return dev.langchain4j.model.chat.request.ChatRequest.builder()
                    .messages(dev.langchain4j.data.message.UserMessage.from(text)).build();
        }
    }
}
