package dev.llmmesh.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.Attempt;
import dev.llmmesh.CallContext;
import dev.llmmesh.ErrorKind;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.NoRouteException;
import dev.llmmesh.Secret;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.client.Pricing;
import dev.llmmesh.providers.anthropic.AnthropicClient;
import dev.llmmesh.providers.gemini.GeminiClient;
import dev.llmmesh.providers.ollama.OllamaClient;
import dev.llmmesh.providers.openai.OpenAiClient;
import dev.llmmesh.testkit.SimulatedAnthropicServer;
import dev.llmmesh.testkit.SimulatedGeminiServer;
import dev.llmmesh.testkit.SimulatedOllamaServer;
import dev.llmmesh.testkit.SimulatedOpenAiServer;
import dev.llmmesh.testkit.SimulatedOpenAiServer.Behavior;
import dev.llmmesh.testkit.SimulatedProvider;
import dev.llmmesh.testkit.StreamCollector;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A stream whose primary answers an HTTP 500 before any byte falls back exactly like the same call without
 * streaming, for every pair of provider protocols: the primary is called once, the fallback once, and the answer is
 * the fallback's. A request pinned to the failing model does not fall back either way (both end in the same
 * {@link NoRouteException}, whose attempts all name the pinned model).
 */
class StreamFallbackBeforeFirstByteTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private record Protocol(String name, Supplier<SimulatedProvider> server,
                            BiFunction<SimulatedProvider, String, LlmClient> client) {
        LlmClient client(SimulatedProvider s, String id, double inputPrice) {
            return client.apply(s, id);
        }
    }

    private static List<Protocol> protocols() {
        return List.of(
                new Protocol("openai", () -> SimulatedOpenAiServer.builder().apiKey("sk-sim")
                        .defaultAnswer("from the fallback").start(),
                        (s, id) -> OpenAiClient.builder(id, "gpt-4o-mini").baseUrl(s.baseUrl())
                                .apiKey(Secret.of("sk-sim")).timeout(TIMEOUT).pricing(price(id)).build()),
                new Protocol("anthropic", () -> SimulatedAnthropicServer.builder().apiKey("sk-ant-sim")
                        .defaultAnswer("from the fallback").start(),
                        (s, id) -> AnthropicClient.builder(id, "claude-sonnet-4-5").baseUrl(s.baseUrl())
                                .apiKey(Secret.of("sk-ant-sim")).timeout(TIMEOUT).pricing(price(id)).build()),
                new Protocol("gemini", () -> SimulatedGeminiServer.builder().apiKey("AIzaSim")
                        .defaultAnswer("from the fallback").start(),
                        (s, id) -> GeminiClient.builder(id, "gemini-2.5-flash").baseUrl(s.baseUrl())
                                .apiKey(Secret.of("AIzaSim")).timeout(TIMEOUT).pricing(price(id)).build()),
                new Protocol("ollama", () -> SimulatedOllamaServer.builder().defaultAnswer("from the fallback").start(),
                        (s, id) -> OllamaClient.builder(id, "llama3.1").baseUrl(s.baseUrl()).timeout(TIMEOUT)
                                .pricing(price(id)).build()));
    }

    /** The primary is the cheaper model, so it is planned first. */
    private static Pricing price(String id) {
        return id.equals("primary") ? Pricing.perMillion(0.1, 0.4) : Pricing.perMillion(2, 8);
    }

    private static ChatRequest hello() {
        return ChatRequest.builder().messages(UserMessage.from("hello")).build();
    }

    @Test
    void aStreamWhosePrimaryAnswers500BeforeAnyByteFallsBackLikeTheCallWithoutStreaming() throws Exception {
        for (Protocol p : protocols()) {
            for (Protocol f : protocols()) {
                for (boolean streamed : new boolean[] {true, false}) {
                    String what = p.name() + " -> " + f.name() + (streamed ? " streamed" : " not streamed");
                    try (SimulatedProvider primary = p.server().get(); SimulatedProvider fallback = f.server().get()) {
                        primary.setDefault(Behavior.status(500));
                        try (Mesh mesh = Mesh.builder().addModel(p.client(primary, "primary", 0.1))
                                .addModel(f.client(fallback, "fallback", 2)).build()) {
                            StreamCollector collector = new StreamCollector();
                            MeshResponse r = streamed
                                    ? mesh.stream(hello(), CallContext.EMPTY, collector).get(20, TimeUnit.SECONDS)
                                    : mesh.chat(hello());
                            assertThat(r.text()).as(what).isEqualTo("from the fallback");
                            assertThat(r.attempts()).as(what).extracting(Attempt::modelId)
                                    .containsExactly("primary", "fallback");
                            assertThat(r.attempts().get(0).error()).as(what).contains(ErrorKind.SERVER_ERROR);
                            if (streamed) {
                                assertThat(String.join("", collector.partials())).as(what).isEqualTo("from the fallback");
                            }
                        }
                        assertThat(primary.chatRequests()).as(what).hasSize(1);
                        assertThat(fallback.chatRequests()).as(what).hasSize(1);
                    }
                }
            }
        }
    }

    @Test
    void aRequestPinnedToTheFailingModelEndsAlikeStreamedOrNot() {
        Protocol openai = protocols().get(0);
        for (boolean streamed : new boolean[] {true, false}) {
            try (SimulatedProvider primary = openai.server().get(); SimulatedProvider fallback = openai.server().get()) {
                primary.setDefault(Behavior.status(500));
                try (Mesh mesh = Mesh.builder().addModel(openai.client(primary, "primary", 0.1))
                        .addModel(openai.client(fallback, "fallback", 2)).build()) {
                    ChatRequest pinned = hello().toBuilder().modelName("primary").build();
                    assertThatThrownBy(() -> {
                        if (streamed) {
                            try {
                                mesh.stream(pinned, CallContext.EMPTY, new StreamCollector()).get(20, TimeUnit.SECONDS);
                            } catch (ExecutionException e) {
                                throw e.getCause();
                            }
                        } else {
                            mesh.chat(pinned);
                        }
                    }).isInstanceOfSatisfying(NoRouteException.class, e -> {
                        assertThat(e.getMessage()).isEqualTo("3 attempt(s) failed, last on primary: server_error");
                        assertThat(e.attempts()).extracting(Attempt::modelId)
                                .containsExactly("primary", "primary", "primary");
                        assertThat(e.decision().candidate("fallback").orElseThrow().rejection())
                                .hasValueSatisfying(why -> assertThat(why).contains("asks for model \"primary\""));
                    });
                }
                assertThat(fallback.chatRequests()).isEmpty();
            }
        }
    }
}
