package dev.llmmesh.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.output.FinishReason;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StreamCollectorTest {
    private static final StreamingHandle NO_HANDLE = new StreamingHandle() {
        @Override
        public void cancel() {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }
    };

    @Test
    void recordsPartialsAndToolCallsInOrderThenTheCompleteResponse() {
        StreamCollector c = new StreamCollector();
        c.onPartialResponse(new PartialResponse("Hel"), new PartialResponseContext(NO_HANDLE));
        c.onPartialResponse(new PartialResponse("lo"), new PartialResponseContext(NO_HANDLE));
        ToolExecutionRequest call = ToolExecutionRequest.builder().id("1").name("weather").arguments("{}").build();
        c.onCompleteToolCall(new CompleteToolCall(0, call));
        assertThat(c.done()).isNotDone();

        ChatResponse response = ChatResponse.builder().aiMessage(AiMessage.from("Hello"))
                .finishReason(FinishReason.STOP).build();
        c.onCompleteResponse(response);
        c.await();

        assertThat(c.partials()).containsExactly("Hel", "lo");
        assertThat(c.toolCalls()).extracting(t -> t.toolExecutionRequest().name()).containsExactly("weather");
        assertThat(c.complete()).isSameAs(response);
        assertThat(c.error()).isNull();
        assertThat(c.terminalCallbacks()).isEqualTo(1);
        assertThat(c.outcome()).isEqualTo("complete STOP");
    }

    @Test
    void countsEveryTerminalCallbackSoADoubleEndIsVisible() {
        StreamCollector c = new StreamCollector();
        IllegalStateException boom = new IllegalStateException("boom");
        c.onError(boom);
        c.onCompleteResponse(ChatResponse.builder().aiMessage(AiMessage.from("late")).build());

        assertThat(c.done()).isDone();
        assertThat(c.error()).isSameAs(boom);
        assertThat(c.terminalCallbacks()).isEqualTo(2);
    }

    @Test
    void errorOutcomeNamesTheError() {
        StreamCollector c = new StreamCollector();
        c.onError(new IllegalStateException("boom"));

        assertThat(c.outcome()).isEqualTo("error java.lang.IllegalStateException: boom");
    }

    @Test
    void awaitFailsWithTheNumberOfPartialsWhenNoTerminalCallbackCame() {
        StreamCollector c = new StreamCollector();
        c.onPartialResponse(new PartialResponse("x"), new PartialResponseContext(NO_HANDLE));

        assertThatThrownBy(() -> c.await(Duration.ofMillis(1)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("did not end")
                .hasMessageContaining("1 partials");
    }
}
