package dev.llmmesh.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmmesh.ContextLengthExceededException;
import dev.llmmesh.ErrorKind;
import dev.llmmesh.MeshException;
import dev.llmmesh.NonRetryableException;
import dev.llmmesh.RetryableException;
import dev.llmmesh.Secret;
import dev.llmmesh.testkit.ManualClock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The classification table: status, headers and body of a provider answer → the mesh exception type, its kind and its
 * retry hint, per the protocol facts of the fixtures' README (vendor SDK semantics) and the providers' error envelopes.
 */
class ProviderErrorsTableTest {
    private static final ManualClock CLOCK = new ManualClock();
    private static final String KEY = "sk-table-Zq8wX2vR7tY4uI1oP6aS3dF9";
    private static final String IN_45_S = DateTimeFormatter.RFC_1123_DATE_TIME.format(
            ZonedDateTime.ofInstant(CLOCK.instant().plusSeconds(45), ZoneOffset.UTC));

    private static final WireProtocol OPENAI = WireProtocol.OPENAI;
    private static final WireProtocol ANTHROPIC = WireProtocol.ANTHROPIC;
    private static final WireProtocol GEMINI = WireProtocol.GEMINI;
    private static final WireProtocol OLLAMA = WireProtocol.OLLAMA;

    /** One row: what the provider answered and what the mesh must make of it. */
    record Row(String what, WireProtocol protocol, int status, Map<String, String> headers, String body,
               Class<? extends MeshException> type, ErrorKind kind, @Nullable Duration hint) {
        @Override
        public String toString() {
            return what;
        }
    }

    private static Map<String, String> headers(String... pairs) {
        Map<String, String> h = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            h.put(pairs[i], pairs[i + 1]);
        }
        return h;
    }

    private static String openAi(String type, @Nullable String code, String message) {
        return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\",\"param\":null,\"code\":"
                + (code == null ? "null" : "\"" + code + "\"") + "}}";
    }

    private static String anthropic(String type, String message) {
        return "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message
                + "\"},\"request_id\":\"req_011CTable\"}";
    }

    private static String gemini(int code, String status, String message, String... details) {
        return "{\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\",\"status\":\"" + status
                + "\",\"details\":[" + String.join(",", details) + "]}}";
    }

    private static final String API_KEY_INVALID = "{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\","
            + "\"reason\":\"API_KEY_INVALID\",\"domain\":\"googleapis.com\"}";
    private static final String RETRY_34_4 = "{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\","
            + "\"retryDelay\":\"34.4s\"}";

    private static Row row(String what, WireProtocol p, int status, Map<String, String> h, String body,
                           Class<? extends MeshException> type, ErrorKind kind, @Nullable Duration hint) {
        return new Row(what, p, status, h, body, type, kind, hint);
    }

    static Stream<Row> table() {
        Class<RetryableException> retry = RetryableException.class;
        Class<NonRetryableException> fail = NonRetryableException.class;
        return Stream.of(
                // ---- OpenAI (and Azure, Mistral, OpenAI-compatible servers)
                row("openai 429 with retry-after seconds", OPENAI, 429, headers("retry-after", "30"),
                        openAi("requests", "rate_limit_exceeded", "Rate limit reached"), retry,
                        ErrorKind.RATE_LIMITED, Duration.ofSeconds(30)),
                row("openai 429: retry-after-ms wins over retry-after", OPENAI, 429,
                        headers("retry-after", "30", "retry-after-ms", "1500"), openAi("requests", null, "slow down"),
                        retry, ErrorKind.RATE_LIMITED, Duration.ofMillis(1500)),
                row("openai 429 with fractional retry-after", OPENAI, 429, headers("retry-after", "2.5"),
                        openAi("tokens", null, "TPM"), retry, ErrorKind.RATE_LIMITED, Duration.ofMillis(2500)),
                row("openai 429 with an HTTP-date retry-after", OPENAI, 429, headers("retry-after", IN_45_S),
                        openAi("requests", null, "later"), retry, ErrorKind.RATE_LIMITED, Duration.ofSeconds(45)),
                row("openai 429 with an unparseable retry-after", OPENAI, 429, headers("retry-after", "soon"),
                        openAi("requests", null, "later"), retry, ErrorKind.RATE_LIMITED, null),
                row("openai 429 insufficient_quota is not transient", OPENAI, 429, headers("retry-after", "30"),
                        openAi("insufficient_quota", "insufficient_quota", "You exceeded your current quota"), fail,
                        ErrorKind.QUOTA_EXHAUSTED, null),
                row("openai 400 context_length_exceeded", OPENAI, 400, headers(),
                        openAi("invalid_request_error", "context_length_exceeded", "maximum context length is 8192"),
                        ContextLengthExceededException.class, ErrorKind.CONTEXT_LENGTH, null),
                row("openai 400 unsupported_parameter", OPENAI, 400, headers(),
                        openAi("invalid_request_error", "unsupported_parameter", "Unsupported parameter"), fail,
                        ErrorKind.BAD_REQUEST, null),
                row("openai 401 invalid_api_key", OPENAI, 401, headers(),
                        openAi("invalid_request_error", "invalid_api_key", "Incorrect API key provided"), fail,
                        ErrorKind.AUTHENTICATION, null),
                row("openai 403", OPENAI, 403, headers(), openAi("invalid_request_error", null, "not allowed"), fail,
                        ErrorKind.AUTHENTICATION, null),
                row("openai 404 model_not_found", OPENAI, 404, headers(),
                        openAi("invalid_request_error", "model_not_found", "does not exist"), fail,
                        ErrorKind.NOT_FOUND, null),
                row("openai 408 is a retryable timeout", OPENAI, 408, headers(), openAi("timeout", null, "timed out"),
                        retry, ErrorKind.TIMEOUT, null),
                row("409 conflict is retried, as the SDKs do", OPENAI, 409, headers("retry-after", "1"),
                        openAi("conflict", null, "lock timeout"), retry, ErrorKind.SERVER_ERROR, Duration.ofSeconds(1)),
                row("413 request too large", OPENAI, 413, headers(), openAi("invalid_request_error", null, "too large"),
                        fail, ErrorKind.BAD_REQUEST, null),
                row("422 unprocessable", OPENAI, 422, headers(), openAi("invalid_request_error", null, "bad field"),
                        fail, ErrorKind.BAD_REQUEST, null),
                row("openai 500", OPENAI, 500, headers(), openAi("server_error", null, "Sorry about that"), retry,
                        ErrorKind.SERVER_ERROR, null),
                row("502 with an HTML body from a proxy", OPENAI, 502, headers(), "<html>Bad Gateway</html>", retry,
                        ErrorKind.SERVER_ERROR, null),
                row("503 with retry-after is overloaded", OPENAI, 503, headers("retry-after", "20"),
                        openAi("server_error", null, "overloaded"), retry, ErrorKind.OVERLOADED, Duration.ofSeconds(20)),
                row("x-should-retry: false makes a 500 final", OPENAI, 500, headers("x-should-retry", "false"),
                        openAi("server_error", null, "no"), fail, ErrorKind.BAD_REQUEST, null),
                row("x-should-retry: true makes a 400 retryable", OPENAI, 400,
                        headers("x-should-retry", "true", "retry-after", "3"), openAi("invalid_request_error", null, "?"),
                        retry, ErrorKind.SERVER_ERROR, Duration.ofSeconds(3)),
                row("x-should-retry: false makes a 429 a quota", OPENAI, 429,
                        headers("x-should-retry", "false", "retry-after", "30"), openAi("requests", null, "limit"), fail,
                        ErrorKind.QUOTA_EXHAUSTED, null),
                row("azure 400 content_filter", OPENAI, 400, headers(),
                        openAi("invalid_request_error", "content_filter", "The response was filtered"), fail,
                        ErrorKind.CONTENT_POLICY, null),
                row("openai error object inside a 200 stream", OPENAI, 200, headers(),
                        openAi("server_error", null, "The server had an error"), retry, ErrorKind.SERVER_ERROR, null),
                row("mistral 422 with the fields at the top level", OPENAI, 422, headers(),
                        "{\"object\":\"error\",\"message\":{\"detail\":[]},\"type\":\"invalid_request_error\","
                                + "\"param\":null,\"code\":null}", fail, ErrorKind.BAD_REQUEST, null),
                // ---- Anthropic
                row("anthropic 529 overloaded_error", ANTHROPIC, 529, headers("retry-after", "10"),
                        anthropic("overloaded_error", "Overloaded"), retry, ErrorKind.OVERLOADED, Duration.ofSeconds(10)),
                row("anthropic event: error overloaded_error inside a 200 stream", ANTHROPIC, 200, headers(),
                        anthropic("overloaded_error", "Overloaded"), retry, ErrorKind.OVERLOADED, null),
                row("anthropic 429 rate_limit_error", ANTHROPIC, 429, headers("retry-after", "5", "x-should-retry", "true"),
                        anthropic("rate_limit_error", "Number of request tokens has exceeded"), retry,
                        ErrorKind.RATE_LIMITED, Duration.ofSeconds(5)),
                row("anthropic 400 prompt is too long", ANTHROPIC, 400, headers(),
                        anthropic("invalid_request_error", "prompt is too long: 210000 tokens > 200000 maximum"),
                        ContextLengthExceededException.class, ErrorKind.CONTEXT_LENGTH, null),
                row("anthropic 400 credit balance too low", ANTHROPIC, 400, headers(),
                        anthropic("invalid_request_error", "Your credit balance is too low to access the API"), fail,
                        ErrorKind.QUOTA_EXHAUSTED, null),
                row("anthropic billing_error", ANTHROPIC, 402, headers(), anthropic("billing_error", "billing"), fail,
                        ErrorKind.QUOTA_EXHAUSTED, null),
                row("anthropic 401 authentication_error", ANTHROPIC, 401, headers(),
                        anthropic("authentication_error", "invalid x-api-key"), fail, ErrorKind.AUTHENTICATION, null),
                row("anthropic 504 timeout_error", ANTHROPIC, 504, headers(), anthropic("timeout_error", "timeout"),
                        retry, ErrorKind.TIMEOUT, null),
                // ---- Gemini
                row("gemini 400 API_KEY_INVALID is an auth failure", GEMINI, 400, headers(),
                        gemini(400, "INVALID_ARGUMENT", "API key not valid.", API_KEY_INVALID), fail,
                        ErrorKind.AUTHENTICATION, null),
                row("gemini 429 with RetryInfo 34.4s", GEMINI, 429, headers(),
                        gemini(429, "RESOURCE_EXHAUSTED", "Quota exceeded", RETRY_34_4), retry,
                        ErrorKind.RATE_LIMITED, Duration.ofMillis(34_400)),
                row("gemini 429 without any hint", GEMINI, 429, headers(),
                        gemini(429, "RESOURCE_EXHAUSTED", "Resource exhausted."), retry, ErrorKind.RATE_LIMITED, null),
                row("gemini 429: a retry-after header wins over RetryInfo", GEMINI, 429, headers("retry-after", "10"),
                        gemini(429, "RESOURCE_EXHAUSTED", "Quota exceeded", RETRY_34_4), retry,
                        ErrorKind.RATE_LIMITED, Duration.ofSeconds(10)),
                row("gemini 404 NOT_FOUND", GEMINI, 404, headers(), gemini(404, "NOT_FOUND", "models/x is not found"),
                        fail, ErrorKind.NOT_FOUND, null),
                row("gemini 403 PERMISSION_DENIED", GEMINI, 403, headers(),
                        gemini(403, "PERMISSION_DENIED", "denied"), fail, ErrorKind.AUTHENTICATION, null),
                row("gemini 400 input token count exceeds the maximum", GEMINI, 400, headers(),
                        gemini(400, "INVALID_ARGUMENT", "The input token count (1200000) exceeds the maximum number of "
                                + "tokens allowed (1048576)."), ContextLengthExceededException.class,
                        ErrorKind.CONTEXT_LENGTH, null),
                row("gemini 503 UNAVAILABLE", GEMINI, 503, headers(), gemini(503, "UNAVAILABLE", "overloaded"), retry,
                        ErrorKind.OVERLOADED, null),
                // ---- Ollama
                row("ollama 404 model not found", OLLAMA, 404, headers(), "{\"error\":\"model 'llama9' not found\"}",
                        fail, ErrorKind.NOT_FOUND, null),
                row("ollama 500", OLLAMA, 500, headers(), "{\"error\":\"the model failed to generate a response\"}",
                        retry, ErrorKind.SERVER_ERROR, null),
                row("ollama error line inside a 200 stream", OLLAMA, 200, headers(),
                        "{\"error\":\"an error was encountered while running the model\"}", retry,
                        ErrorKind.SERVER_ERROR, null),
                row("ollama not-found error line inside a 200 stream", OLLAMA, 200, headers(),
                        "{\"error\":\"model 'llama9' not found, try pulling it first\"}", fail, ErrorKind.NOT_FOUND,
                        null),
                row("ollama 429 server busy", OLLAMA, 429, headers(),
                        "{\"error\":\"server busy, please try again.  maximum pending requests exceeded\"}", retry,
                        ErrorKind.RATE_LIMITED, null));
    }

    private static MeshException classify(Row r) {
        Map<String, String> lower = new LinkedHashMap<>();
        r.headers().forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        return ProviderErrors.fromHttp(r.status(), name -> Optional.ofNullable(lower.get(name)), r.body(), "model-a",
                CLOCK, Optional.of(Secret.of(KEY)), r.protocol(), null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void classifiesByStatusHeadersAndBody(Row r) {
        MeshException e = classify(r);

        assertThat(e).isInstanceOf(r.type());
        assertThat(e.kind()).isEqualTo(r.kind());
        assertThat(e.isRetryable()).isEqualTo(r.kind().retryable());
        assertThat(e.retryAfter()).isEqualTo(Optional.ofNullable(r.hint()));
        assertThat(e.modelId()).contains("model-a");
        assertThat(e.getMessage()).startsWith("model-a: HTTP " + r.status());
    }

    @Test
    void theTableHasAtLeast25Cases() {
        assertThat(table().count()).isGreaterThanOrEqualTo(25);
        List<WireProtocol> covered = table().map(Row::protocol).distinct().toList();
        assertThat(covered).containsExactlyInAnyOrder(WireProtocol.values());
    }

    @Test
    void messagesNameTypeCodeAndRequestIdButNeverTheProvidersFreeText() {
        MeshException e = ProviderErrors.fromHttp(429, name -> name.equals("x-request-id")
                        ? Optional.of("req_ff7b0a8af7a14d1b") : Optional.empty(),
                openAi("requests", "rate_limit_exceeded", "Rate limit reached for gpt-4o in organization org-secret"),
                "model-a", CLOCK, Optional.empty(), OPENAI, null);

        assertThat(e.getMessage()).contains("type=requests", "code=rate_limit_exceeded",
                "request-id=req_ff7b0a8af7a14d1b").doesNotContain("org-secret").doesNotContain("Rate limit reached");
    }

    @Test
    void scenario34_aKeyEchoedInTheEnvelopeOrHeadersIsNeverRepeated() {
        MeshException e = ProviderErrors.fromHttp(401, name -> Optional.of(KEY),
                openAi(KEY, KEY, "Incorrect API key provided: " + KEY), "model-a", CLOCK,
                Optional.of(Secret.of(KEY)), OPENAI, null);

        assertThat(e.getMessage()).doesNotContain(KEY).doesNotContain(KEY.substring(9, 17));
        assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
    }

    @Test
    void googleDurationsParseWithFractions() {
        assertThat(ProviderErrors.googleDuration("34.4s")).contains(Duration.ofMillis(34_400));
        assertThat(ProviderErrors.googleDuration("2s")).contains(Duration.ofSeconds(2));
        assertThat(ProviderErrors.googleDuration("0.000000001s")).contains(Duration.ofNanos(1));
        assertThat(ProviderErrors.googleDuration("soon")).isEmpty();
    }
}
