package dev.llmmesh.providers.conformance;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.HttpHeaders;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.FinishReason;
import dev.llmmesh.Secret;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.client.TokenCounts;
import dev.llmmesh.providers.anthropic.AnthropicClient;
import dev.llmmesh.providers.azure.AzureOpenAiClient;
import dev.llmmesh.providers.gemini.GeminiClient;
import dev.llmmesh.providers.mistral.MistralClient;
import dev.llmmesh.providers.ollama.OllamaClient;
import dev.llmmesh.providers.openai.OpenAiClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Protocol facts from the fixtures' README, pinned by hand on the recordings that show them (the conformance suite
 * derives its expectations from the bodies; these numbers were read by a person). Skipped without
 * {@code MESH_FIXTURES}.
 */
class RecordedFactsTest {
    private static WireMockServer wiremock;
    private static List<Fixture> fixtures;

    @BeforeAll
    static void start() {
        String dir = System.getenv("MESH_FIXTURES");
        if (dir == null || dir.isBlank()) {
            System.out.println("skipped: MESH_FIXTURES not set");
            Assumptions.abort("MESH_FIXTURES not set");
        }
        fixtures = Fixture.load(Path.of(dir));
        wiremock = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        wiremock.start();
    }

    @AfterAll
    static void stop() {
        if (wiremock != null) {
            wiremock.stop();
        }
    }

    private static String base() {
        return "http://127.0.0.1:" + wiremock.port();
    }

    private static void serve(String name) {
        Fixture f = fixtures.stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no fixture " + name));
        List<HttpHeader> headers = new ArrayList<>();
        f.headers().forEach((k, v) -> headers.add(new HttpHeader(k, v)));
        headers.add(new HttpHeader("Content-Type", f.contentType()));
        wiremock.resetAll();
        wiremock.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(f.status())
                .withHeaders(new HttpHeaders(headers)).withBody(f.body())));
    }

    private static ChatResponse chat(String fixture, Function<String, LlmClient> client) {
        serve(fixture);
        try (LlmClient c = client.apply(base())) {
            return c.chat(ChatRequest.builder().messages(UserMessage.from("x")).build());
        }
    }

    private static ChatResponse stream(String fixture, Function<String, LlmClient> client) throws Exception {
        serve(fixture);
        try (LlmClient c = client.apply(base())) {
            CompletableFuture<ChatResponse> done = new CompletableFuture<>();
            c.stream(ChatRequest.builder().messages(UserMessage.from("x")).build(),
                    new StreamingChatResponseHandler() {
                        @Override
                        public void onCompleteResponse(ChatResponse response) {
                            done.complete(response);
                        }

                        @Override
                        public void onError(Throwable error) {
                            done.completeExceptionally(error);
                        }
                    });
            return done.get(10, TimeUnit.SECONDS);
        }
    }

    private static LlmClient openAi(String base) {
        return OpenAiClient.builder("fx", "gpt-5-nano").baseUrl(base + "/v1").apiKey(Secret.of("sk-x")).build();
    }

    @Test
    void reasoningTokensHiddenInCompletionTokensAreCounted() {
        ChatResponse r = chat("openai/chat-nonstream-tool-call", RecordedFactsTest::openAi);

        // 287 completion tokens, 256 of them reasoning; the call is get_current_weather for Boston
        assertThat(TokenCounts.of(r.tokenUsage())).isEqualTo(new TokenCounts(162, 287, 0, 256));
        assertThat(r.aiMessage().toolExecutionRequests().get(0).name()).isEqualTo("get_current_weather");
        assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
    }

    @Test
    void allTokensSpentOnReasoningSurfaceAsLengthWithEmptyContentNotAsASilentSuccess() throws Exception {
        ChatResponse r = stream("openai/chat-stream-include-usage", RecordedFactsTest::openAi);

        assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(r.aiMessage().text()).isNullOrEmpty();
        assertThat(TokenCounts.of(r.tokenUsage())).isEqualTo(new TokenCounts(12, 100, 0, 100));
    }

    @Test
    void usageInTheExtraChunkWithEmptyChoicesIsRead() throws Exception {
        ChatResponse r = stream("openai/chat-stream-tool-call-include-usage", RecordedFactsTest::openAi);

        assertThat(TokenCounts.of(r.tokenUsage())).isEqualTo(new TokenCounts(53, 15, 0, 0));
        assertThat(r.aiMessage().toolExecutionRequests().get(0).arguments()).isEqualTo("{\"country\":\"UK\"}");
    }

    @Test
    void azureContentFilteredAnswerWithoutAMessageKeepsItsFinishReasonAndUsage() {
        ChatResponse r = chat("openai/azure/azure-chat-nonstream-finish-content-filter",
                base -> AzureOpenAiClient.builder("fx", "gpt-35-turbo").baseUrl(base).apiKey(Secret.of("0a1b"))
                        .build());

        assertThat(r.finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
        assertThat(r.aiMessage().text()).isNullOrEmpty();
        assertThat(TokenCounts.of(r.tokenUsage())).isEqualTo(new TokenCounts(15, 19, 0, 0));
    }

    @Test
    void mistralNumCachedTokensBecomeCachedInput() {
        ChatResponse r = chat("openai/mistral/mistral-chat-nonstream-tool-call",
                base -> MistralClient.builder("fx", "mistral-large-latest").baseUrl(base + "/v1")
                        .apiKey(Secret.of("m")).build());

        assertThat(TokenCounts.of(r.tokenUsage())).isEqualTo(new TokenCounts(77, 12, 76, 0));
        assertThat(r.aiMessage().toolExecutionRequests().get(0).id()).isEqualTo("KikbB849t");
        assertThat(r.aiMessage().text()).isNullOrEmpty();
    }

    @Test
    void mistralUsageInTheFinishChunkIsRead() throws Exception {
        ChatResponse r = stream("openai/mistral/mistral-chat-stream-text",
                base -> MistralClient.builder("fx", "mistral-tiny").baseUrl(base + "/v1").apiKey(Secret.of("m"))
                        .build());

        assertThat(TokenCounts.of(r.tokenUsage())).isEqualTo(new TokenCounts(11, 80, 0, 0));
    }

    @Test
    void anthropicCacheReadsCountAsInputAndAsCachedInput() throws Exception {
        ChatResponse r = stream("anthropic/messages-stream-prompt-cache-read",
                base -> AnthropicClient.builder("fx", "claude-3-5-sonnet-20240620").baseUrl(base + "/v1")
                        .apiKey(Secret.of("sk-ant-x")).build());

        // input_tokens 4 + cache_read_input_tokens 1165; output_tokens 221 (cumulative, from message_delta)
        assertThat(TokenCounts.of(r.tokenUsage())).isEqualTo(new TokenCounts(1169, 221, 1165, 0));
    }

    @Test
    void anthropicToolWithoutArgumentsYieldsAnEmptyObject() throws Exception {
        ChatResponse r = stream("anthropic/messages-stream-tool-use-2025",
                base -> AnthropicClient.builder("fx", "claude-haiku-4-5-20251001").baseUrl(base + "/v1")
                        .apiKey(Secret.of("sk-ant-x")).build());

        assertThat(r.aiMessage().toolExecutionRequests().get(0).name()).isEqualTo("pelican_name_generator");
        assertThat(r.aiMessage().toolExecutionRequests().get(0).arguments()).isEqualTo("{}");
    }

    @Test
    void anthropicThinkingIsKeptApartFromTheAnswer() throws Exception {
        ChatResponse r = stream("anthropic/messages-stream-thinking",
                base -> AnthropicClient.builder("fx", "claude-3-7-sonnet-20250219").baseUrl(base + "/v1")
                        .apiKey(Secret.of("sk-ant-x")).build());

        assertThat(r.aiMessage().text()).isEqualTo("The letter 'r' appears 3 times in the word \"strawberry\".");
        assertThat(r.aiMessage().thinking()).isNotBlank();
    }

    @Test
    void anthropicRetryAfterOnASuccessIsNotAnError() {
        ChatResponse r = chat("anthropic/messages-nonstream-tool-use-2025-retry-after-on-200",
                base -> AnthropicClient.builder("fx", "claude-sonnet-4-5").baseUrl(base + "/v1")
                        .apiKey(Secret.of("sk-ant-x")).build());

        assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
    }

    @Test
    void geminiTotalIncludesThoughtsWhichCountAsReasoningOutput() {
        ChatResponse r = chat("gemini/generateContent-function-call",
                base -> GeminiClient.builder("fx", "gemini-2.5-flash").baseUrl(base + "/v1beta")
                        .apiKey(Secret.of("AIza-x")).build());

        // promptTokenCount 115, candidatesTokenCount 17, thoughtsTokenCount 95: 115 + 17 + 95 = 227
        assertThat(TokenCounts.of(r.tokenUsage())).isEqualTo(new TokenCounts(115, 112, 0, 95));
        assertThat(r.tokenUsage().totalTokenCount()).isEqualTo(227);
        assertThat(r.aiMessage().toolExecutionRequests().get(0).id()).as("an id is made up").isNotBlank();
    }

    @Test
    void geminiCrlfStreamTakesTheLastUsageEvenWhenItShrinks() throws Exception {
        ChatResponse r = stream("gemini/streamGenerateContent-sse-text",
                base -> GeminiClient.builder("fx", "gemini-2.0-flash-exp").baseUrl(base + "/v1beta")
                        .apiKey(Secret.of("AIza-x")).build());

        assertThat(r.aiMessage().text()).isEqualTo("The capital of France is Paris.\n");
        assertThat(TokenCounts.of(r.tokenUsage()).input()).isEqualTo(13);
    }

    @Test
    void ollamaStreamedToolCallComesWholeWithAMadeUpId() throws Exception {
        ChatResponse r = stream("ollama/docs-api-chat-stream-tool-call",
                base -> OllamaClient.builder("fx", "llama3.2").baseUrl(base).build());

        assertThat(r.aiMessage().toolExecutionRequests()).singleElement().satisfies(t -> {
            assertThat(t.name()).isEqualTo("get_weather");
            assertThat(t.arguments()).isEqualTo("{\"city\":\"Tokyo\"}");
            assertThat(t.id()).isNotBlank();
        });
        assertThat(TokenCounts.of(r.tokenUsage())).isEqualTo(new TokenCounts(169, 15, 0, 0));
    }
}
