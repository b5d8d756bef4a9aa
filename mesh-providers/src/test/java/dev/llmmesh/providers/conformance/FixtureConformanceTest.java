package dev.llmmesh.providers.conformance;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.HttpHeaders;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.llmmesh.ErrorKind;
import dev.llmmesh.MeshException;
import dev.llmmesh.Secret;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.client.TokenCounts;
import dev.llmmesh.providers.anthropic.AnthropicClient;
import dev.llmmesh.providers.azure.AzureOpenAiClient;
import dev.llmmesh.providers.conformance.FixtureExpectations.Answer;
import dev.llmmesh.providers.conformance.FixtureExpectations.Call;
import dev.llmmesh.providers.gemini.GeminiClient;
import dev.llmmesh.providers.mistral.MistralClient;
import dev.llmmesh.providers.ollama.OllamaClient;
import dev.llmmesh.providers.ollama.OllamaEmbeddingClient;
import dev.llmmesh.providers.openai.OpenAiClient;
import dev.llmmesh.providers.openai.OpenAiEmbeddingClient;
import dev.llmmesh.testkit.StreamCollector;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite: WireMock serves every recorded exchange in {@code $MESH_FIXTURES} (openai, openai/azure,
 * openai/mistral, anthropic, ollama, gemini; never the folder reserved for acceptance measurement) to the matching client, once whole and once in small
 * chunks split anywhere ({@code withChunkedDribbleDelay}: boundaries fall inside events and lines), and checks the
 * client's result against what the fixture holds ({@link FixtureExpectations}, an independent reading of the body):
 * the text (and, for streams, the partial texts joined), the tool calls, the finish reason, the usage (with cached and
 * reasoning tokens), and for failures the error class ({@link #EXPECTED_ERRORS}, read by hand from each error fixture).
 * Embedding fixtures go to the embedding clients. A fixture passes only if both servings pass. Prints
 * {@code N fixtures checked, N passed}; skipped (and says so) without {@code MESH_FIXTURES}.
 */
class FixtureConformanceTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /**
     * The error class of each error fixture, read from its status and body by hand (the classification under test
     * must not decide its own expectation): kind, and the retry hint where the fixture carries one.
     */
    private static final Map<String, ExpectedError> EXPECTED_ERRORS = Map.ofEntries(
            Map.entry("openai/error-400-bad-request", new ExpectedError(ErrorKind.BAD_REQUEST, null)),
            Map.entry("openai/error-400-no-messages", new ExpectedError(ErrorKind.BAD_REQUEST, null)),
            Map.entry("openai/error-404-model-not-found", new ExpectedError(ErrorKind.NOT_FOUND, null)),
            Map.entry("openai/error-400-embeddings-bad-request", new ExpectedError(ErrorKind.BAD_REQUEST, null)),
            Map.entry("openai/error-404-embeddings-unknown-model", new ExpectedError(ErrorKind.NOT_FOUND, null)),
            Map.entry("anthropic/error-400-invalid-request", new ExpectedError(ErrorKind.BAD_REQUEST, null)),
            Map.entry("anthropic/error-404-not-found", new ExpectedError(ErrorKind.NOT_FOUND, null)),
            // an invalid key is a 400 INVALID_ARGUMENT with ErrorInfo.reason API_KEY_INVALID: an auth failure
            Map.entry("gemini/error-400-api-key-invalid", new ExpectedError(ErrorKind.AUTHENTICATION, null)),
            Map.entry("gemini/error-404-model-not-found", new ExpectedError(ErrorKind.NOT_FOUND, null)),
            // a real 429 with neither Retry-After nor RetryInfo: rate limited, no hint
            Map.entry("gemini/error-429-resource-exhausted", new ExpectedError(ErrorKind.RATE_LIMITED, null)),
            // RetryInfo.retryDelay "34.4s" is the hint
            Map.entry("gemini/vercel-ai-google-429-retry-info",
                    new ExpectedError(ErrorKind.RATE_LIMITED, Duration.ofMillis(34_400))),
            Map.entry("ollama/docs-error", new ExpectedError(ErrorKind.SERVER_ERROR, null)),
            // {"error":"an error was encountered while running the model"} inside a 200 stream
            Map.entry("ollama/docs-error-midstream", new ExpectedError(ErrorKind.SERVER_ERROR, null)));

    private record ExpectedError(ErrorKind kind, @Nullable Duration retryAfter) {
    }

    private static WireMockServer wiremock;

    @BeforeAll
    static void startWireMock() {
        wiremock = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        wiremock.start();
    }

    @AfterAll
    static void stopWireMock() {
        if (wiremock != null) {
            wiremock.stop();
        }
    }

    private static Path fixtures() {
        String dir = System.getenv("MESH_FIXTURES");
        if (dir == null || dir.isBlank()) {
            System.out.println("skipped: MESH_FIXTURES not set");
            Assumptions.abort("MESH_FIXTURES not set");
        }
        return Path.of(dir);
    }

    @Test
    void everyRecordedExchangeParsesTheSameWholeAndInChunksSplitMidEvent() {
        List<Fixture> all = Fixture.load(fixtures());
        List<String> failures = new ArrayList<>();
        int passed = 0;
        for (Fixture f : all) {
            List<String> problems = new ArrayList<>();
            for (boolean chunked : new boolean[]{false, true}) {
                try {
                    serve(f, chunked);
                    problems.addAll(check(f).stream().map(p -> (chunked ? "[chunked] " : "[whole] ") + p).toList());
                } catch (RuntimeException | AssertionError e) {
                    problems.add((chunked ? "[chunked] " : "[whole] ") + e);
                }
            }
            if (problems.isEmpty()) {
                passed++;
            } else {
                failures.add(f + ": " + String.join("; ", problems));
            }
        }
        System.out.println(all.size() + " fixtures checked, " + passed + " passed");
        assertThat(failures).as("fixtures that did not conform").isEmpty();
        assertThat(all.size()).as("fixtures found").isGreaterThanOrEqualTo(50);
    }

    // ------------------------------------------------------------------ serving

    private static void serve(Fixture f, boolean chunked) {
        wiremock.resetAll();
        List<HttpHeader> headers = new ArrayList<>();
        f.headers().forEach((name, values) -> headers.add(new HttpHeader(name, values)));
        headers.add(new HttpHeader("Content-Type", f.contentType()));
        byte[] body = f.body().getBytes(StandardCharsets.UTF_8);
        ResponseDefinitionBuilder response = aResponse().withStatus(f.status()).withHeaders(new HttpHeaders(headers))
                .withBody(body);
        if (chunked) {
            // small chunks, so that boundaries fall inside events, lines and UTF-8 sequences
            response.withChunkedDribbleDelay(Math.max(4, Math.min(200, body.length / 24)), 20);
        }
        wiremock.stubFor(any(anyUrl()).willReturn(response));
    }

    private static String origin() {
        return "http://127.0.0.1:" + wiremock.port();
    }

    private static LlmClient client(Fixture f) {
        String model = f.model().orElse("conformance-model");
        Duration timeout = Duration.ofSeconds(10);
        return switch (f.dialect()) {
            case OPENAI -> OpenAiClient.builder("fx", model).baseUrl(origin() + "/v1").timeout(timeout)
                    .apiKey(Secret.of("sk-conformance")).build();
            case AZURE -> AzureOpenAiClient.builder("fx", "gpt-4o-mini").baseUrl(origin()).deployment("recorded")
                    .timeout(timeout).apiKey(Secret.of("0123456789abcdef0123456789abcdef")).build();
            case MISTRAL -> MistralClient.builder("fx", model).baseUrl(origin() + "/v1").timeout(timeout)
                    .apiKey(Secret.of("mistral-conformance")).build();
            case ANTHROPIC -> AnthropicClient.builder("fx", model).baseUrl(origin() + "/v1").timeout(timeout)
                    .apiKey(Secret.of("sk-ant-conformance")).build();
            case GEMINI -> GeminiClient.builder("fx", model).baseUrl(origin() + "/v1beta").timeout(timeout)
                    .apiKey(Secret.of("AIza-conformance")).build();
            case OLLAMA -> OllamaClient.builder("fx", model).baseUrl(origin()).timeout(timeout).build();
        };
    }

    // ------------------------------------------------------------------ checking

    private static List<String> check(Fixture f) {
        if (f.embedding()) {
            return checkEmbeddings(f);
        }
        List<String> problems = new ArrayList<>();
        try (LlmClient client = client(f)) {
            ChatRequest request = ChatRequest.builder().messages(UserMessage.from("conformance")).build();
            if (f.failed()) {
                ExpectedError expected = EXPECTED_ERRORS.get(f.name());
                if (expected == null) {
                    return List.of("no expected error class for this error fixture");
                }
                // the same classification whether the call was blocking or streaming
                problems.addAll(checkError("chat", chatFailure(client, request), expected));
                StreamCollector streamed = stream(client, request);
                problems.addAll(checkError("stream", streamed.error(), expected));
                if (!streamed.partials().isEmpty()) {
                    problems.add("stream: partial text before an HTTP error");
                }
                return problems;
            }
            Answer expected = FixtureExpectations.read(f);
            if (!f.streaming()) {
                ChatResponse response = client.chat(request);
                problems.addAll(compare("chat", response, expected));
                return problems;
            }
            StreamCollector c = stream(client, request);
            String streamedText = String.join("", c.partials());
            if (expected.failsInStream()) {
                ExpectedError error = EXPECTED_ERRORS.get(f.name());
                if (error == null) {
                    return List.of("no expected error class for this in-stream error");
                }
                problems.addAll(checkError("stream", c.error(), error));
                if (!streamedText.equals(expected.text())) {
                    problems.add("partial text before the error was \"" + streamedText + "\", expected \""
                            + expected.text() + "\"");
                }
                return problems;
            }
            if (expected.finish() == null) {
                if (c.error() == null || ((MeshException) c.error()).kind() != ErrorKind.CONNECTION) {
                    problems.add("a stream without a finish must end in a CONNECTION error, got " + c.outcome());
                }
                return problems;
            }
            if (c.complete() == null) {
                return List.of("stream failed: " + c.outcome());
            }
            if (!streamedText.equals(expected.text())) {
                problems.add("partials joined \"" + abbreviate(streamedText) + "\" != \"" + abbreviate(expected.text())
                        + "\"");
            }
            problems.addAll(compare("stream", c.complete(), expected));
            List<String> streamedCalls = c.toolCalls().stream().map(t -> t.toolExecutionRequest().name()).toList();
            List<String> expectedCalls = expected.calls().stream().map(Call::name).toList();
            if (!streamedCalls.equals(expectedCalls)) {
                problems.add("streamed tool calls " + streamedCalls + " != " + expectedCalls);
            }
            if (c.terminalCallbacks() != 1) {
                problems.add(c.terminalCallbacks() + " terminal callbacks");
            }
        }
        return problems;
    }

    private static List<String> compare(String mode, ChatResponse actual, Answer expected) {
        List<String> problems = new ArrayList<>();
        String text = actual.aiMessage().text() == null ? "" : actual.aiMessage().text();
        if (!text.equals(expected.text())) {
            problems.add(mode + ": text \"" + abbreviate(text) + "\" != \"" + abbreviate(expected.text()) + "\"");
        }
        List<ToolExecutionRequest> calls = actual.aiMessage().hasToolExecutionRequests()
                ? actual.aiMessage().toolExecutionRequests() : List.of();
        if (calls.size() != expected.calls().size()) {
            problems.add(mode + ": " + calls.size() + " tool calls, expected " + expected.calls().size());
        } else {
            for (int i = 0; i < calls.size(); i++) {
                ToolExecutionRequest a = calls.get(i);
                Call e = expected.calls().get(i);
                JsonNode args = FixtureExpectations.json(a.arguments() == null || a.arguments().isBlank() ? "{}"
                        : a.arguments());
                if (!a.name().equals(e.name()) || !args.equals(e.arguments())) {
                    problems.add(mode + ": tool call " + i + " " + a.name() + args + " != " + e.name()
                            + e.arguments());
                }
                if (a.id() == null || a.id().isBlank()) {
                    problems.add(mode + ": tool call " + i + " has no id");
                }
            }
        }
        if (!Objects.equals(actual.finishReason(), expected.finish())) {
            problems.add(mode + ": finish " + actual.finishReason() + " != " + expected.finish());
        }
        TokenCounts usage = TokenCounts.of(actual.tokenUsage());
        TokenCounts wanted = expected.usage() == null ? new TokenCounts(0, 0, 0, 0) : expected.usage();
        if (!usage.equals(wanted)) {
            problems.add(mode + ": usage " + usage + " != " + wanted);
        }
        return problems;
    }

    private static List<String> checkError(String mode, @Nullable Throwable error, ExpectedError expected) {
        if (!(error instanceof MeshException e)) {
            return List.of(mode + ": expected a MeshException of kind " + expected.kind() + ", got " + error);
        }
        List<String> problems = new ArrayList<>();
        if (e.kind() != expected.kind()) {
            problems.add(mode + ": kind " + e.kind() + " != " + expected.kind() + " (" + e.getMessage() + ")");
        }
        if (!Objects.equals(e.retryAfter().orElse(null), expected.retryAfter())) {
            problems.add(mode + ": retry hint " + e.retryAfter() + " != " + Optional.ofNullable(expected.retryAfter()));
        }
        if (e.isRetryable() != expected.kind().retryable()) {
            problems.add(mode + ": retryable " + e.isRetryable());
        }
        return problems;
    }

    private static @Nullable Throwable chatFailure(LlmClient client, ChatRequest request) {
        try {
            client.chat(request);
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    // ------------------------------------------------------------------ embeddings

    private static List<String> checkEmbeddings(Fixture f) {
        EmbeddingModel model = switch (f.dialect()) {
            case OLLAMA -> OllamaEmbeddingClient.builder(f.model().orElse("all-minilm")).baseUrl(URI.create(origin()))
                    .build();
            default -> OpenAiEmbeddingClient.builder(f.model().orElse("text-embedding-3-small"))
                    .baseUrl(URI.create(origin() + "/v1")).apiKey(Secret.of("sk-conformance")).build();
        };
        try {
            List<TextSegment> input = List.of(TextSegment.from("conformance"));
            if (f.failed()) {
                ExpectedError expected = EXPECTED_ERRORS.get(f.name());
                if (expected == null) {
                    return List.of("no expected error class for this error fixture");
                }
                try {
                    model.embedAll(input);
                    return List.of("embeddings: expected a failure");
                } catch (RuntimeException e) {
                    return checkError("embeddings", e, expected);
                }
            }
            Response<List<Embedding>> response = model.embedAll(input);
            JsonNode body = FixtureExpectations.json(f.body());
            List<float[]> vectors = new ArrayList<>();
            body.path("data").forEach(d -> vectors.add(floats(d.path("embedding"))));
            body.path("embeddings").forEach(v -> vectors.add(floats(v)));
            if (body.path("embedding").isArray()) {
                vectors.add(floats(body.path("embedding")));
            }
            List<String> problems = new ArrayList<>();
            if (response.content().size() != vectors.size()) {
                return List.of("embeddings: " + response.content().size() + " vectors, expected " + vectors.size());
            }
            for (int i = 0; i < vectors.size(); i++) {
                float[] actual = response.content().get(i).vector();
                float[] wanted = vectors.get(i);
                if (actual.length != wanted.length) {
                    problems.add("embeddings: vector " + i + " has " + actual.length + " dimensions, expected "
                            + wanted.length);
                    continue;
                }
                for (int j = 0; j < actual.length; j++) {
                    if (Math.abs(actual[j] - wanted[j]) > 1e-6f) {
                        problems.add("embeddings: vector " + i + "[" + j + "] = " + actual[j] + ", expected "
                                + wanted[j]);
                        break;
                    }
                }
            }
            long promptTokens = body.path("usage").path("prompt_tokens").asLong(body.path("prompt_eval_count")
                    .asLong(-1));
            if (promptTokens >= 0 && (response.tokenUsage() == null
                    || response.tokenUsage().inputTokenCount() != promptTokens)) {
                problems.add("embeddings: usage " + response.tokenUsage() + ", expected " + promptTokens + " input");
            }
            return problems;
        } finally {
            if (model instanceof OpenAiEmbeddingClient o) {
                o.close();
            } else if (model instanceof OllamaEmbeddingClient o) {
                o.close();
            }
        }
    }

    /** A JSON array of numbers, or OpenAI's base64 form (little-endian float32s, {@code encoding_format: base64}). */
    private static float[] floats(JsonNode vector) {
        if (vector.isTextual()) {
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(java.util.Base64.getDecoder().decode(vector.asText()))
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN);
            float[] out = new float[bytes.remaining() / 4];
            for (int i = 0; i < out.length; i++) {
                out[i] = bytes.getFloat();
            }
            return out;
        }
        float[] out = new float[vector.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = vector.get(i).floatValue();
        }
        return out;
    }

    // ------------------------------------------------------------------ streaming

    private static StreamCollector stream(LlmClient client, ChatRequest request) {
        StreamCollector c = new StreamCollector();
        client.stream(request, c);
        c.await(WAIT);
        return c;
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "…";
    }
}
