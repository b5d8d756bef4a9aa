package dev.llmmesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Malformed requests fail at the edge, naming the field, and never reach a listener, interceptor or provider. */
class RequestValidationTest {

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("parameters.maxOutputTokens", (UnaryOperator<ChatRequest.Builder>) b -> b.maxOutputTokens(-5)),
                Arguments.of("parameters.maxOutputTokens", (UnaryOperator<ChatRequest.Builder>) b -> b.maxOutputTokens(0)),
                Arguments.of("parameters.temperature", (UnaryOperator<ChatRequest.Builder>) b -> b.temperature(Double.NaN)),
                Arguments.of("parameters.temperature",
                        (UnaryOperator<ChatRequest.Builder>) b -> b.temperature(Double.POSITIVE_INFINITY)),
                Arguments.of("parameters.temperature", (UnaryOperator<ChatRequest.Builder>) b -> b.temperature(-0.5)),
                Arguments.of("parameters.topP", (UnaryOperator<ChatRequest.Builder>) b -> b.topP(1.5)),
                Arguments.of("parameters.topP", (UnaryOperator<ChatRequest.Builder>) b -> b.topP(Double.NaN)),
                Arguments.of("parameters.topK", (UnaryOperator<ChatRequest.Builder>) b -> b.topK(0)),
                Arguments.of("parameters.presencePenalty",
                        (UnaryOperator<ChatRequest.Builder>) b -> b.presencePenalty(Double.NaN)),
                Arguments.of("messages[1]", (UnaryOperator<ChatRequest.Builder>) b -> {
                    List<ChatMessage> withNull = new ArrayList<>();
                    withNull.add(UserMessage.from("hello"));
                    withNull.add(null);
                    return b.messages(withNull);
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void malformedRequestsFailAtTheEdgeNamingTheFieldAndAreNeverSent(String field, UnaryOperator<ChatRequest.Builder> bad)
            throws Exception {
        ChatRequest request = bad.apply(ChatRequest.builder().messages(UserMessage.from("hello"))).build();
        FakeClient model = FakeClient.model("m", 1, 1);
        List<String> events = new ArrayList<>();
        try (Mesh mesh = Mesh.builder().addModel(model).addListener(new dev.llmmesh.event.MeshListener() {
            @Override
            public void callStarted(dev.llmmesh.event.MeshEvent.CallStarted event) {
                events.add("started");
            }
        }).build()) {
            assertThatThrownBy(() -> mesh.chat(request)).isInstanceOf(InvalidRequestException.class)
                    .isInstanceOf(NonRetryableException.class)
                    .hasMessageStartingWith("invalid request: " + field + ": ")
                    .satisfies(e -> assertThat(((InvalidRequestException) e).field()).isEqualTo(field))
                    .satisfies(e -> assertThat(((MeshException) e).kind()).isEqualTo(ErrorKind.BAD_REQUEST));
            assertThatThrownBy(() -> mesh.chatAsync(request, CallContext.EMPTY))
                    .isInstanceOf(InvalidRequestException.class);
            assertThatThrownBy(() -> mesh.stream(request, CallContext.EMPTY, new StreamingChatResponseHandler() {
                @Override
                public void onCompleteResponse(ChatResponse r) {
                }

                @Override
                public void onError(Throwable error) {
                }
            })).isInstanceOf(InvalidRequestException.class);
            ChatModel facade = mesh.asChatModel();
            assertThatThrownBy(() -> facade.chat(request)).isInstanceOf(InvalidRequestException.class);
        }
        assertThat(model.calls()).as("requests sent upstream").isZero();
        assertThat(events).as("listener events").isEmpty();
    }

    @Test
    void wellFormedEdgeValuesPass() {
        FakeClient model = FakeClient.model("m", 1, 1);
        try (Mesh mesh = Mesh.builder().addModel(model).build()) {
            mesh.chat(ChatRequest.builder().messages(UserMessage.from("hello")).maxOutputTokens(1).temperature(0.0)
                    .topP(1.0).topK(1).build());
        }
        assertThat(model.calls()).isEqualTo(1);
    }
}
