package dev.llmmesh.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.openai.OpenAiTokenUsage;
import dev.langchain4j.model.output.FinishReason;
import dev.llmmesh.testkit.SimulatedOpenAiServer.Behavior;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** langchain4j's own OpenAI client against the simulator: if it parses, the wire format is real. */
class SimulatedOpenAiServerLangchain4jTest {
    private static final String KEY = "sk-simulated-key-for-langchain4j";

    private SimulatedOpenAiServer server;

    @BeforeEach
    void start() {
        server = SimulatedOpenAiServer.builder().apiKey(KEY).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private OpenAiChatModel chatModel() {
        return OpenAiChatModel.builder().baseUrl(server.baseUrl().toString()).apiKey(KEY).modelName("gpt-4o-mini")
                .maxRetries(0).timeout(Duration.ofSeconds(10)).build();
    }

    private OpenAiStreamingChatModel streamingModel() {
        return OpenAiStreamingChatModel.builder().baseUrl(server.baseUrl().toString()).apiKey(KEY)
                .modelName("gpt-4o-mini").timeout(Duration.ofSeconds(10)).build();
    }

    private static ToolSpecification weatherTool() {
        return ToolSpecification.builder().name("get_weather").description("weather in a city")
                .parameters(JsonObjectSchema.builder().addStringProperty("city").required("city").build())
                .build();
    }

    @Test
    void openAiChatModelParsesTextFinishReasonAndDetailedUsage() {
        server.enqueue(Behavior.ok("Paris is the capital.").cachedTokens(1).reasoningTokens(4));

        ChatResponse response = chatModel().chat(ChatRequest.builder()
                .messages(UserMessage.from("capital of France?")).build());

        assertThat(response.aiMessage().text()).isEqualTo("Paris is the capital.");
        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(response.id()).startsWith("chatcmpl-");
        assertThat(response.modelName()).isEqualTo("gpt-4o-mini");
        assertThat(response.tokenUsage()).isInstanceOfSatisfying(OpenAiTokenUsage.class, usage -> {
            assertThat(usage.inputTokenCount()).isEqualTo(3);
            assertThat(usage.outputTokenCount()).isEqualTo(8);
            assertThat(usage.inputTokensDetails().cachedTokens()).isEqualTo(1);
            assertThat(usage.outputTokensDetails().reasoningTokens()).isEqualTo(4);
        });
        assertThat(server.lastRequest().orElseThrow().bearerTokenEquals(KEY)).isTrue();
    }

    @Test
    void openAiChatModelParsesToolCalls() {
        server.enqueue(Behavior.toolCall("get_weather", "{\"city\":\"Paris\"}"));

        ChatResponse response = chatModel().chat(ChatRequest.builder()
                .messages(UserMessage.from("weather in Paris?")).toolSpecifications(weatherTool()).build());

        assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
        assertThat(response.aiMessage().toolExecutionRequests()).singleElement().satisfies(call -> {
            assertThat(call.name()).isEqualTo("get_weather");
            assertThat(call.arguments()).isEqualTo("{\"city\":\"Paris\"}");
            assertThat(call.id()).startsWith("call_");
        });
        assertThat(server.lastRequest().orElseThrow().json().at("/tools/0/function/name").asText())
                .isEqualTo("get_weather");
    }

    @Test
    void openAiStreamingChatModelAssemblesChunksAndUsage() throws Exception {
        server.enqueue(Behavior.ok("streamed answer in five words").chunks(3));
        List<String> partials = new CopyOnWriteArrayList<>();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();

        streamingModel().chat(ChatRequest.builder().messages(UserMessage.from("hello")).build(),
                new StreamingChatResponseHandler() {
                    @Override
                    public void onPartialResponse(String partial) {
                        partials.add(partial);
                    }

                    @Override
                    public void onCompleteResponse(ChatResponse response) {
                        done.complete(response);
                    }

                    @Override
                    public void onError(Throwable error) {
                        done.completeExceptionally(error);
                    }
                });
        ChatResponse response = done.get(10, TimeUnit.SECONDS);

        assertThat(partials).hasSize(3);
        assertThat(String.join("", partials)).isEqualTo("streamed answer in five words");
        assertThat(response.aiMessage().text()).isEqualTo("streamed answer in five words");
        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(1);
        assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(5);
        assertThat(server.lastRequest().orElseThrow().json().at("/stream_options/include_usage").asBoolean()).isTrue();
    }

    @Test
    void openAiStreamingChatModelAssemblesStreamedToolCalls() throws Exception {
        server.enqueue(Behavior.toolCall("get_weather", "{\"city\":\"Rome\"}"));
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();

        streamingModel().chat(ChatRequest.builder().messages(UserMessage.from("weather?"))
                .toolSpecifications(weatherTool()).build(), new StreamingChatResponseHandler() {
                    @Override
                    public void onCompleteResponse(ChatResponse response) {
                        done.complete(response);
                    }

                    @Override
                    public void onError(Throwable error) {
                        done.completeExceptionally(error);
                    }
                });
        ChatResponse response = done.get(10, TimeUnit.SECONDS);

        assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
        assertThat(response.aiMessage().toolExecutionRequests()).singleElement()
                .satisfies(call -> assertThat(call.arguments()).isEqualTo("{\"city\":\"Rome\"}"));
    }

    @Test
    void errorStatusesMapToLangchain4jExceptionsWithoutRetriesWhenMaxRetriesIsZero() {
        server.enqueue(Behavior.rateLimited(Duration.ofSeconds(5)), Behavior.status(500));
        OpenAiChatModel model = chatModel();
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from("x")).build();

        assertThatThrownBy(() -> model.chat(request)).isInstanceOf(RateLimitException.class);
        assertThatThrownBy(() -> model.chat(request)).isInstanceOf(InternalServerException.class);
        assertThat(server.chatRequests()).hasSize(2);
    }

    @Test
    void wrongKeyIsAnAuthenticationFailure() {
        OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(server.baseUrl().toString()).apiKey("sk-wrong")
                .modelName("gpt-4o-mini").maxRetries(0).build();

        assertThatThrownBy(() -> model.chat(ChatRequest.builder().messages(UserMessage.from("x")).build()))
                .isInstanceOf(AuthenticationException.class);
    }
}
