package dev.llmmesh.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.image.Image;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.llmmesh.client.TokenCounts;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class OllamaWireTest {
    private final OllamaWire wire = new OllamaWire();

    private JsonNode body(ChatRequest request, boolean stream) {
        return OllamaWire.parse(wire.requestBody(request, stream, null, null));
    }

    @Test
    void mapsEveryMessageKindToOllamasRoles() {
        ToolExecutionRequest call = ToolExecutionRequest.builder().id("call_1").name("get_weather")
                .arguments("{\"city\":\"Oslo\"}").build();
        ChatRequest request = ChatRequest.builder().modelName("llama3.1").messages(
                SystemMessage.from("be brief"),
                UserMessage.from(TextContent.from("what is this?"),
                        ImageContent.from(Image.builder().base64Data("aGVsbG8=").mimeType("image/png").build())),
                AiMessage.from(List.of(call)),
                ToolExecutionResultMessage.from(call, "12 degrees")).build();

        JsonNode messages = body(request, false).path("messages");

        assertThat(messages.get(0).path("role").asText()).isEqualTo("system");
        assertThat(messages.get(1).path("content").asText()).isEqualTo("what is this?");
        assertThat(messages.get(1).path("images").get(0).asText()).isEqualTo("aGVsbG8=");
        assertThat(messages.get(2).path("role").asText()).isEqualTo("assistant");
        assertThat(messages.get(2).path("tool_calls").get(0).path("function").path("arguments").path("city").asText())
                .as("arguments travel as a JSON object").isEqualTo("Oslo");
        assertThat(messages.get(3).path("role").asText()).isEqualTo("tool");
        assertThat(messages.get(3).path("tool_name").asText()).isEqualTo("get_weather");
        assertThat(messages.get(3).path("content").asText()).isEqualTo("12 degrees");
    }

    @Test
    void sendsToolsFormatOptionsAndTheStreamFlag() {
        ChatRequest request = ChatRequest.builder().modelName("llama3.1").messages(UserMessage.from("x"))
                .toolSpecifications(ToolSpecification.builder().name("get_weather").description("weather")
                        .parameters(JsonObjectSchema.builder().addStringProperty("city").required("city").build())
                        .build())
                .responseFormat(ResponseFormat.builder().type(dev.langchain4j.model.chat.request.ResponseFormatType.JSON)
                        .jsonSchema(JsonSchema.builder().name("p").rootElement(JsonObjectSchema.builder()
                                .addIntegerProperty("age").build()).build()).build())
                .temperature(0.2).topP(0.9).topK(40).maxOutputTokens(128).stopSequences(List.of("END")).build();

        JsonNode body = OllamaWire.parse(wire.requestBody(request, true, true, "5m"));

        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.path("tools").get(0).path("function").path("parameters").path("required").get(0).asText())
                .isEqualTo("city");
        assertThat(body.path("format").path("properties").path("age").path("type").asText()).isEqualTo("integer");
        assertThat(body.path("options").path("num_predict").asInt()).isEqualTo(128);
        assertThat(body.path("options").path("top_k").asInt()).isEqualTo(40);
        assertThat(body.path("options").path("stop").get(0).asText()).isEqualTo("END");
        assertThat(body.path("think").asBoolean()).isTrue();
        assertThat(body.path("keep_alive").asText()).isEqualTo("5m");
    }

    @Test
    void plainJsonModeIsFormatJson() {
        ChatRequest request = ChatRequest.builder().modelName("m").messages(UserMessage.from("x"))
                .responseFormat(ResponseFormat.JSON).build();

        assertThat(body(request, false).path("format").asText()).isEqualTo("json");
    }

    @Test
    void refusesWhatOllamaCannotDo() {
        ChatRequest imageUrl = ChatRequest.builder().modelName("m").messages(UserMessage.from(
                ImageContent.from(URI.create("https://example.com/cat.png")))).build();
        ChatRequest forced = ChatRequest.builder().modelName("m").messages(UserMessage.from("x"))
                .toolSpecifications(ToolSpecification.builder().name("t").build()).toolChoice(ToolChoice.REQUIRED)
                .build();

        assertThatThrownBy(() -> wire.requestBody(imageUrl, false, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("base64");
        assertThatThrownBy(() -> wire.requestBody(forced, false, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("REQUIRED");
    }

    @Test
    void readsAnswersWithMadeUpToolIdsAndAbsentCountsAsZero() {
        JsonNode done = OllamaWire.parse("{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"\","
                + "\"tool_calls\":[{\"function\":{\"name\":\"a\",\"arguments\":{\"x\":1}}},"
                + "{\"function\":{\"name\":\"b\",\"arguments\":{}}}]},\"done\":true,\"done_reason\":\"stop\"}");

        ChatResponse response = OllamaWire.response(done, "", "", wire.toolCalls(done, 7, 0));

        assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
        assertThat(response.aiMessage().text()).isNull();
        assertThat(response.aiMessage().toolExecutionRequests()).extracting(ToolExecutionRequest::id)
                .containsExactly("call_7_0", "call_7_1");
        assertThat(response.aiMessage().toolExecutionRequests().get(0).arguments()).isEqualTo("{\"x\":1}");
        assertThat(TokenCounts.of(response.tokenUsage())).isEqualTo(new TokenCounts(0, 0, 0, 0));
    }

    @Test
    void lengthIsLengthAndGenerateShapedLinesCountAsContent() {
        JsonNode done = OllamaWire.parse("{\"model\":\"m\",\"response\":\"tail\",\"done\":true,"
                + "\"done_reason\":\"length\",\"prompt_eval_count\":5,\"eval_count\":9}");

        assertThat(OllamaWire.content(done)).isEqualTo("tail");
        assertThat(OllamaWire.finishReason(done, false)).isEqualTo(FinishReason.LENGTH);
        assertThat(TokenCounts.of(OllamaWire.usage(done))).isEqualTo(new TokenCounts(5, 9, 0, 0));
    }
}
