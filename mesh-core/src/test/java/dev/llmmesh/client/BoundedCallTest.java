package dev.llmmesh.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmmesh.ErrorKind;
import dev.llmmesh.RetryableException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The default bounded {@code chat(request, timeout)} with a client that ignores interrupts. */
class BoundedCallTest {

    /** A custom client whose blocking call waits for a latch and swallows every interrupt. */
    private static final class Stubborn implements LlmClient {
        private final ModelDescriptor descriptor;
        private final CountDownLatch release;

        Stubborn(String id, CountDownLatch release) {
            this.descriptor = ModelDescriptor.builder(id, "custom", id).build();
            this.release = release;
        }

        @Override
        public ModelDescriptor descriptor() {
            return descriptor;
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
            while (true) {
                try {
                    release.await();
                    return ChatResponse.builder().aiMessage(AiMessage.from("late")).build();
                } catch (InterruptedException ignored) {
                    // a client that does not stop when interrupted
                }
            }
        }
    }

    private static long liveBoundedThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("llm-mesh-bounded-") && t.isAlive()
                        && t.getState() != Thread.State.TIMED_WAITING) // idle pool threads wait with a timeout
                .count();
    }

    @Test
    void clientsIgnoringInterruptsHoldAtMostSixteenThreadsAndLaterCallsFailFastUntilOneEnds() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Stubborn client = new Stubborn("stubborn-" + System.nanoTime(), release);
        ChatRequest ask = ChatRequest.builder().messages(UserMessage.from("hi")).build();
        long before = liveBoundedThreads();
        int timedOut = 0;
        int refused = 0;
        for (int i = 0; i < 300; i++) {
            try {
                client.chat(ask, Duration.ofMillis(20));
            } catch (RetryableException e) {
                if (e.kind() == ErrorKind.TIMEOUT) {
                    timedOut++;
                } else {
                    assertThat(e.kind()).isEqualTo(ErrorKind.OVERLOADED);
                    assertThat(e).hasMessageContaining("16 earlier calls are still running past their timeout");
                    refused++;
                }
            }
        }
        assertThat(timedOut).isEqualTo(BoundedCall.MAX_ABANDONED_PER_MODEL);
        assertThat(refused).isEqualTo(300 - BoundedCall.MAX_ABANDONED_PER_MODEL);
        assertThat(liveBoundedThreads() - before).as("threads held by abandoned calls")
                .isLessThanOrEqualTo(BoundedCall.MAX_ABANDONED_PER_MODEL);
        assertThat(BoundedCall.abandoned(client)).isEqualTo(16);

        release.countDown(); // the stuck calls end
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (BoundedCall.abandoned(client) > 0 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(BoundedCall.abandoned(client)).isZero();
        assertThat(client.chat(ask, Duration.ofSeconds(60)).aiMessage().text()).isEqualTo("late");
    }

    @Test
    void abandonedCallsAreCountedPerClientNotPerModelId() {
        CountDownLatch never = new CountDownLatch(1);
        Stubborn stuck = new Stubborn("same-id", never);
        Stubborn fresh = new Stubborn("same-id", new CountDownLatch(0));
        ChatRequest ask = ChatRequest.builder().messages(UserMessage.from("hi")).build();
        for (int i = 0; i < BoundedCall.MAX_ABANDONED_PER_MODEL; i++) {
            assertThatThrownBy(() -> stuck.chat(ask, Duration.ofMillis(10))).isInstanceOf(RetryableException.class);
        }
        assertThat(BoundedCall.abandoned(stuck)).isEqualTo(16);
        assertThat(fresh.chat(ask, Duration.ofSeconds(60)).aiMessage().text()).as("another client, same id").isEqualTo("late");
        never.countDown();
    }

    @Test
    void aCallAnsweringInTimeIsNotCountedAsAbandoned() {
        CountDownLatch open = new CountDownLatch(0);
        Stubborn client = new Stubborn("prompt-" + System.nanoTime(), open);
        ChatRequest ask = ChatRequest.builder().messages(UserMessage.from("hi")).build();
        for (int i = 0; i < 50; i++) {
            assertThat(client.chat(ask, Duration.ofSeconds(60)).aiMessage().text()).isEqualTo("late");
        }
        assertThat(BoundedCall.abandoned(client)).isZero();
        assertThatThrownBy(() -> BoundedCall.call(() -> {
            throw new IllegalStateException("boom");
        }, Duration.ofSeconds(1), client.descriptor().id(), client)).isInstanceOf(IllegalStateException.class);
        assertThat(BoundedCall.abandoned(client)).isZero();
    }
}
