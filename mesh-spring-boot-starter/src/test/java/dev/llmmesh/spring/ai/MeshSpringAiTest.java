package dev.llmmesh.spring.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmmesh.routing.RoutingDecision;
import dev.llmmesh.spring.MeshActivity;
import dev.llmmesh.spring.MeshAutoConfiguration;
import dev.llmmesh.testkit.SimulatedOpenAiServer;
import dev.llmmesh.testkit.SimulatedOpenAiServer.Behavior;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.ChatClientCustomizer;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.function.FunctionToolCallback;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

class MeshSpringAiTest {
    private SimulatedOpenAiServer down;
    private SimulatedOpenAiServer up;
    private ApplicationContextRunner runner;

    @BeforeEach
    void start() {
        down = SimulatedOpenAiServer.builder().defaultBehavior(Behavior.status(500)).start();
        up = SimulatedOpenAiServer.builder().defaultAnswer("Answered through the mesh.").start();
        runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(MeshAutoConfiguration.class,
                        MeshSpringAiAutoConfiguration.class))
                .withPropertyValues("llmmesh.models[0].id=primary", "llmmesh.models[0].provider=openai",
                        "llmmesh.models[0].model=gpt-4o", "llmmesh.models[0].baseUrl=" + down.baseUrl(),
                        "llmmesh.models[0].capabilities[0]=chat", "llmmesh.models[0].capabilities[1]=streaming",
                        "llmmesh.models[0].capabilities[2]=tools",
                        "llmmesh.models[1].id=backup", "llmmesh.models[1].provider=openai",
                        "llmmesh.models[1].model=gpt-4o-mini", "llmmesh.models[1].baseUrl=" + up.baseUrl(),
                        "llmmesh.models[1].capabilities[0]=chat", "llmmesh.models[1].capabilities[1]=streaming",
                        "llmmesh.models[1].capabilities[2]=tools", "llmmesh.models[1].pricing.input=0.15",
                        "llmmesh.models[1].pricing.output=0.60", "llmmesh.routing.priority[0]=primary",
                        "llmmesh.routing.priority[1]=backup", "llmmesh.routing.backoff.base=1ms",
                        "llmmesh.routing.backoff.cap=1ms");
    }

    @AfterEach
    void stop() {
        down.close();
        up.close();
    }

    private static ChatClient client(ApplicationContext context) {
        ChatClient.Builder builder = ChatClient.builder(context.getBean(ChatModel.class));
        context.getBeansOfType(ChatClientCustomizer.class).values().forEach(c -> c.customize(builder));
        return builder.build();
    }

    @Test
    void aChatClientCallShowsTheRoutingDecisionAndCarriesTeamAndUserFromAdvisorParams() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(MeshSpringAiChatModel.class);
            ChatResponse r = client(context).prompt().user("hi")
                    .advisors(a -> a.param(MeshSpringAi.TEAM, "search").param(MeshSpringAi.USER, "u-17"))
                    .call().chatResponse();

            assertThat(r.getResult().getOutput().getText()).isEqualTo("Answered through the mesh.");
            RoutingDecision decision = MeshSpringAi.decision(r).orElseThrow();
            assertThat(decision.plan()).containsExactly("primary", "backup");
            assertThat((RoutingDecision) r.getMetadata().get(MeshSpringAi.DECISION)).isEqualTo(decision);
            assertThat((String) r.getMetadata().get(MeshSpringAi.MODEL_ID)).isEqualTo("backup");
            assertThat(MeshSpringAi.meshResponse(r).orElseThrow().failedAttempts()).isEqualTo(1);
            assertThat(r.getMetadata().getUsage().getTotalTokens()).isPositive();
            assertThat(down.requestCount()).isEqualTo(1);
            assertThat(context.getBean(MeshActivity.class).spendByTeam()).containsOnlyKeys("search");
        });
    }

    @Test
    void chatClientToolsRunThroughTheMeshOneMeshCallPerStep() {
        up.enqueue(Behavior.toolCall("weather", "{\"city\":\"Paris\"}"), Behavior.ok("Sunny in Paris."));
        runner.run(context -> {
            String answer = client(context).prompt().user("Weather in Paris?").tools(new WeatherTools())
                    .advisors(a -> a.param(MeshSpringAi.TEAM, "travel")).call().content();

            List<SimulatedOpenAiServer.RecordedRequest> sent = up.chatRequests();
            assertThat(sent).extracting(SimulatedOpenAiServer.RecordedRequest::body).hasSize(2);
            assertThat(answer).isEqualTo("Sunny in Paris.");
            assertThat(sent.get(0).json().path("tools").get(0).path("function").path("name").asText())
                    .isEqualTo("weather");
            assertThat(sent.get(0).json().path("tools").get(0).path("function").path("parameters").path("properties")
                    .has("city")).isTrue();
            assertThat(sent.get(1).body()).contains("sunny, 21C");
            MeshActivity activity = context.getBean(MeshActivity.class);
            assertThat(activity.recentCalls()).hasSize(2);
            assertThat(activity.spendByTeam().get("travel").calls()).isEqualTo(2);
        });
    }

    @Test
    void aStreamFallsBackAndItsLastResponseCarriesTheDecision() {
        runner.run(context -> {
            List<ChatResponse> chunks = client(context).prompt().user("hi")
                    .advisors(a -> a.param(MeshSpringAi.TEAM, "stream-team")).stream().chatResponse()
                    .collectList().block();

            assertThat(chunks).isNotNull().isNotEmpty();
            String text = chunks.stream().map(c -> c.getResult() == null ? "" : c.getResult().getOutput().getText())
                    .filter(t -> t != null).collect(Collectors.joining());
            assertThat(text).isEqualTo("Answered through the mesh.");
            ChatResponse last = chunks.get(chunks.size() - 1);
            assertThat(MeshSpringAi.decision(last).orElseThrow().plan()).containsExactly("primary", "backup");
            assertThat((String) last.getMetadata().get(MeshSpringAi.MODEL_ID)).isEqualTo("backup");
            assertThat(context.getBean(MeshActivity.class).spendByTeam()).containsOnlyKeys("stream-team");
        });
    }

    @Test
    void aToolSchemaTheAdapterCannotMapIsRefusedNamingTheToolAndKeyword() {
        runner.run(context -> {
            FunctionToolCallback<String, String> odd = FunctionToolCallback.builder("odd", (String s) -> s)
                    .inputType(String.class)
                    .inputSchema("{\"type\":\"object\",\"properties\":{\"x\":{\"anyOf\":[{\"type\":\"string\"}]}}}")
                    .build();
            Prompt prompt = new Prompt("hi", ToolCallingChatOptions.builder().toolCallbacks(odd).build());
            assertThatThrownBy(() -> context.getBean(ChatModel.class).call(prompt))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("tool \"odd\": schema keyword anyOf at .x is not supported by the mesh's Spring AI "
                            + "adapter");
        });
    }

    static class WeatherTools {
        @Tool(description = "The weather in a city")
        String weather(String city) {
            return city + ": sunny, 21C";
        }
    }
}
