package dev.llmmesh.providers.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmmesh.ContextLengthExceededException;
import dev.llmmesh.ErrorKind;
import dev.llmmesh.MeshException;
import dev.llmmesh.NonRetryableException;
import dev.llmmesh.RetryableException;
import dev.llmmesh.Secret;
import dev.llmmesh.SecretMask;
import dev.llmmesh.client.ErrorClassifier;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Classifies provider failures into the mesh's hierarchy, following the vendors' SDKs and the protocol facts in the
 * fixtures' README:
 * <ul>
 *   <li>{@code x-should-retry: true|false} decides first, when present;</li>
 *   <li>then the body: OpenAI {@code insufficient_quota}, Anthropic {@code billing_error} and "credit balance" errors
 *       are {@link ErrorKind#QUOTA_EXHAUSTED} (a 429 that does not clear with time); {@code context_length_exceeded} and
 *       "prompt is too long" are {@link ContextLengthExceededException}; content-filter codes are
 *       {@link ErrorKind#CONTENT_POLICY}; Gemini {@code API_KEY_INVALID} (a 400) and {@code UNAUTHENTICATED} /
 *       {@code PERMISSION_DENIED} are {@link ErrorKind#AUTHENTICATION};</li>
 *   <li>then the status: 408 timeout, 409 conflict (retried, as the SDKs do), 429 rate limited, 503 and Anthropic's
 *       529 overloaded, other 5xx server error, 401/403 authentication, 404 not found, other 4xx bad request;</li>
 *   <li>an error object inside a 200 stream stands for the status its type implies (Anthropic {@code overloaded_error}
 *       is 529, an Ollama error line is 500 unless it says the model was not found);</li>
 *   <li>the retry hint of a retryable error comes from {@code retry-after-ms}, then {@code retry-after} (seconds or an
 *       HTTP date), then Gemini's {@code RetryInfo.retryDelay}. A hint on a non-retryable answer is ignored
 *       (Anthropic sends {@code retry-after} on successes too).</li>
 * </ul>
 * Messages carry the model id, the status, what the classification rests on, and identifier-like fields of the
 * envelope (type, code, param, status, reason, request id) when they share no 8-character run with the key and do
 * not look like credentials: never the provider's free text, the body or the key. The cause chain is
 * {@linkplain Scrubbed scrubbed} the same way. Stateless and thread-safe.
 */
public final class ProviderErrors {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Error types and codes: snake case or SCREAMING_SNAKE, e.g. {@code context_length_exceeded}, {@code NOT_FOUND}. */
    private static final Pattern CODE = Pattern.compile("[A-Za-z][A-Za-z0-9_.]{0,47}");
    /** Parameter paths, e.g. {@code messages[0].content}. */
    private static final Pattern PARAM = Pattern.compile("[A-Za-z0-9_.\\[\\]]{1,64}");
    /** Request ids, e.g. {@code req_ff7b0a8af7a14d1bbe00df50025271ca}. */
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9_\\-]{1,64}");
    /** Google duration strings, e.g. {@code 34.4s}. */
    private static final Pattern GOOGLE_DURATION = Pattern.compile("(\\d{1,9})(?:\\.(\\d{1,9}))?s");
    /** Prefixes of well-known credential formats; a detail starting with one is never repeated. */
    private static final List<String> KEY_PREFIXES = List.of("sk-", "sk_", "gsk_", "xai-", "akia", "asia", "aiza",
            "pk-", "rk-", "hf_", "ghp_", "eyj");
    /** Shortest run of key characters that counts as leaking the key (as the canary scan of scenario 34). */
    private static final int LEAK_WINDOW = 8;
    /** Anthropic answers 529 when overloaded; no HTTP library knows the number. */
    private static final int OVERLOADED_529 = 529;

    private ProviderErrors() {
    }

    /**
     * The mesh exception for {@code error}, raised while calling {@code modelId} with {@code apiKey} over
     * {@code protocol}. {@code call} (when given) tells whether a successful response had arrived, so that a failure to
     * read it is {@link ErrorKind#MALFORMED_RESPONSE}.
     */
    public static MeshException classify(Throwable error, String modelId, Clock clock, Optional<Secret> apiKey,
                                         WireProtocol protocol, @Nullable ProviderCall call) {
        if (error instanceof MeshException m) {
            return m;
        }
        ProviderHttpException http = find(error, ProviderHttpException.class);
        if (http != null) {
            return fromHttp(http.statusCode(), http::header, http.body(), modelId, clock, apiKey, protocol,
                    Scrubbed.of(http));
        }
        if (find(error, HttpTimeoutException.class) != null
                || find(error, dev.langchain4j.exception.TimeoutException.class) != null) {
            return new RetryableException(ErrorKind.TIMEOUT, modelId + ": no answer within the timeout", modelId, null,
                    Scrubbed.of(error));
        }
        MeshException mesh = find(error, MeshException.class);
        if (mesh != null) {
            return mesh;
        }
        if (find(error, JsonProcessingException.class) != null) {
            return new RetryableException(ErrorKind.MALFORMED_RESPONSE, modelId + ": the response is not valid JSON",
                    modelId, null, Scrubbed.of(error));
        }
        IOException io = find(error, IOException.class);
        if (io != null) {
            return new RetryableException(ErrorKind.CONNECTION, modelId + ": connection failed ("
                    + io.getClass().getSimpleName() + ")", modelId, null, Scrubbed.of(error));
        }
        if (call != null && call.responded()) {
            return new RetryableException(ErrorKind.MALFORMED_RESPONSE, modelId + ": the response could not be read ("
                    + error.getClass().getSimpleName() + ")", modelId, null, Scrubbed.of(error));
        }
        MeshException fallback = ErrorClassifier.classify(error, modelId);
        return rebuild(fallback, fallback.getMessage(), fallback.retryAfter().orElse(null), Scrubbed.of(error));
    }

    /**
     * The mesh exception for an HTTP answer with {@code status} (200 for an error object inside a stream), the response
     * headers (by lower-case name) and the body.
     */
    public static MeshException fromHttp(int status, Function<String, Optional<String>> headers, String body,
                                         String modelId, Clock clock, Optional<Secret> apiKey, WireProtocol protocol,
                                         @Nullable Throwable cause) {
        if (status >= 300 && status < 400) {
            // redirects are never followed (the key must not travel to another address); the base URL is wrong
            return new NonRetryableException(ErrorKind.BAD_REQUEST, modelId + ": HTTP " + status + " redirect not "
                    + "followed (the mesh never follows redirects); set baseUrl to the address the server redirects "
                    + "to", modelId, cause);
        }
        String key = apiKey.map(Secret::reveal).orElse("");
        Envelope envelope = Envelope.parse(protocol, body, key);
        String lowerBody = body.toLowerCase(Locale.ROOT);
        int effective = status >= 400 ? status : envelope.impliedStatus(protocol, lowerBody);
        List<String> details = new ArrayList<>(envelope.details);
        headers.apply("x-request-id").or(() -> headers.apply("request-id"))
                .filter(r -> safe(r, REQUEST_ID, key))
                .or(() -> envelope.requestId)
                .ifPresent(r -> details.add("request-id=" + r));
        String where = status < 300 ? " in the stream" : "";
        String prefix = modelId + ": HTTP " + status + where;
        String suffix = details.isEmpty() ? "" : " [" + String.join(", ", details) + "]";

        Verdict verdict = verdict(effective, envelope, lowerBody, protocol);
        Optional<String> shouldRetry = headers.apply("x-should-retry").map(v -> v.trim().toLowerCase(Locale.ROOT));
        if (shouldRetry.isPresent() && shouldRetry.get().equals("true") && !verdict.kind.retryable()) {
            verdict = new Verdict(ErrorKind.SERVER_ERROR, verdict.reason + ", x-should-retry: true");
        } else if (shouldRetry.isPresent() && shouldRetry.get().equals("false") && verdict.kind.retryable()) {
            verdict = new Verdict(effective == 429 ? ErrorKind.QUOTA_EXHAUSTED : ErrorKind.BAD_REQUEST,
                    verdict.reason + ", x-should-retry: false");
        }
        String message = prefix + " (" + verdict.reason + ")" + suffix;
        if (verdict.kind == ErrorKind.CONTEXT_LENGTH) {
            return new ContextLengthExceededException(message, modelId, cause);
        }
        if (verdict.kind.retryable()) {
            Duration hint = RetryAfter.parse(headers, clock).orElse(envelope.retryDelay.orElse(null));
            return new RetryableException(verdict.kind, message, modelId, hint, cause);
        }
        return new NonRetryableException(verdict.kind, message, modelId, cause);
    }

    private record Verdict(ErrorKind kind, String reason) {
    }

    private static Verdict verdict(int status, Envelope e, String lowerBody, WireProtocol protocol) {
        String ids = e.identifiers();
        if (ids.contains("insufficient_quota") || ids.contains("billing_error")
                || lowerBody.contains("credit balance is too low") || lowerBody.contains("spend limit")) {
            return new Verdict(ErrorKind.QUOTA_EXHAUSTED, "quota exhausted");
        }
        if (ids.contains("api_key_invalid") || ids.contains("api_key_expired") || ids.contains("unauthenticated")
                || ids.contains("permission_denied") || ids.contains("invalid_api_key")
                || ids.contains("authentication_error") || ids.contains("permission_error")) {
            return new Verdict(ErrorKind.AUTHENTICATION, "authentication failed");
        }
        if (ids.contains("context_length_exceeded") || ids.contains("string_above_max_length")
                || lowerBody.contains("maximum context length") || lowerBody.contains("prompt is too long")
                || lowerBody.contains("context window") || lowerBody.contains("input token count")
                && lowerBody.contains("exceeds the maximum")) {
            return new Verdict(ErrorKind.CONTEXT_LENGTH, "context length exceeded");
        }
        if (ids.contains("content_filter") || ids.contains("content_policy_violation")
                || ids.contains("responsibleaipolicyviolation")) {
            return new Verdict(ErrorKind.CONTENT_POLICY, "content policy");
        }
        if (protocol == WireProtocol.OLLAMA && status == 404) {
            return new Verdict(ErrorKind.NOT_FOUND, "model not found");
        }
        if (status == 408) {
            return new Verdict(ErrorKind.TIMEOUT, "request timeout");
        }
        if (status == 409) {
            return new Verdict(ErrorKind.SERVER_ERROR, "conflict, retryable");
        }
        if (status == 429) {
            return new Verdict(ErrorKind.RATE_LIMITED, "rate limited");
        }
        if (status == 503 || status == OVERLOADED_529) {
            return new Verdict(ErrorKind.OVERLOADED, "overloaded");
        }
        if (status == 504 && ids.contains("timeout_error")) {
            return new Verdict(ErrorKind.TIMEOUT, "provider timeout");
        }
        if (status >= 500) {
            return new Verdict(ErrorKind.SERVER_ERROR, "server error");
        }
        if (status == 401 || status == 403) {
            return new Verdict(ErrorKind.AUTHENTICATION, "authentication failed");
        }
        if (status == 404) {
            return new Verdict(ErrorKind.NOT_FOUND, "not found");
        }
        if (status == 413) {
            return new Verdict(ErrorKind.BAD_REQUEST, "request too large");
        }
        return new Verdict(ErrorKind.BAD_REQUEST, "bad request");
    }

    /** Rebuilds {@code e} with another message, hint or cause, keeping its type and kind. */
    private static MeshException rebuild(MeshException e, String message, @Nullable Duration retryAfter,
                                         @Nullable Throwable cause) {
        String modelId = e.modelId().orElse(null);
        if (e instanceof ContextLengthExceededException) {
            return new ContextLengthExceededException(message, modelId, cause);
        }
        if (e instanceof RetryableException) {
            return new RetryableException(e.kind(), message, modelId, retryAfter, cause);
        }
        if (e instanceof NonRetryableException) {
            return new NonRetryableException(e.kind(), message, modelId, cause);
        }
        return e;
    }

    /** Whether {@code value} has {@code shape}, does not look like a credential and shares no run with {@code key}. */
    static boolean safe(String value, Pattern shape, String key) {
        if (!shape.matcher(value).matches()) {
            return false;
        }
        String lower = value.toLowerCase(Locale.ROOT);
        for (String prefix : KEY_PREFIXES) {
            if (lower.startsWith(prefix)) {
                return false;
            }
        }
        if (key.length() >= LEAK_WINDOW) {
            String lowerKey = key.toLowerCase(Locale.ROOT); // an upstream may echo the key in another letter case
            for (int i = 0; i + LEAK_WINDOW <= lower.length(); i++) {
                if (lowerKey.contains(lower.substring(i, i + LEAK_WINDOW))) {
                    return false;
                }
            }
        }
        return !SecretMask.containsSecret(value) && !value.contains(SecretMask.MASK);
    }

    static <T extends Throwable> @Nullable T find(Throwable error, Class<T> type) {
        Throwable t = error;
        for (int depth = 0; t != null && depth < 16; depth++) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t.getCause() == t) {
                break;
            }
            t = t.getCause();
        }
        return null;
    }

    /** Parses a Google duration such as {@code 34.4s}; empty when it is not one. */
    static Optional<Duration> googleDuration(String text) {
        Matcher m = GOOGLE_DURATION.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        long seconds = Long.parseLong(m.group(1));
        long nanos = 0;
        if (m.group(2) != null) {
            String fraction = (m.group(2) + "000000000").substring(0, 9);
            nanos = Long.parseLong(fraction);
        }
        return Optional.of(Duration.ofSeconds(seconds, nanos));
    }

    /** The identifier-like fields of an error envelope, in any of the dialects. */
    private static final class Envelope {
        final List<String> details = new ArrayList<>();
        final List<String> identifiers = new ArrayList<>();
        Optional<String> requestId = Optional.empty();
        Optional<Duration> retryDelay = Optional.empty();

        static Envelope parse(WireProtocol protocol, String body, String key) {
            Envelope e = new Envelope();
            JsonNode root;
            try {
                root = JSON.readTree(body);
            } catch (IOException | RuntimeException x) {
                return e;
            }
            if (root == null || !root.isObject()) {
                return e;
            }
            JsonNode error = root.path("error");
            switch (protocol) {
                case OPENAI -> {
                    JsonNode fields = error.isObject() ? error : root; // Mistral puts them at the top level
                    e.add("type", fields.path("type"), CODE, key);
                    e.add("code", fields.path("code"), CODE, key);
                    e.add("param", fields.path("param"), PARAM, key);
                }
                case ANTHROPIC -> {
                    e.add("type", error.path("type"), CODE, key);
                    e.requestId = text(root.path("request_id")).filter(r -> safe(r, REQUEST_ID, key));
                }
                case GEMINI -> {
                    e.add("status", error.path("status"), CODE, key);
                    for (JsonNode d : error.path("details")) {
                        String type = d.path("@type").asText("");
                        if (type.endsWith("google.rpc.ErrorInfo")) {
                            e.add("reason", d.path("reason"), CODE, key);
                        } else if (type.endsWith("google.rpc.RetryInfo")) {
                            e.retryDelay = text(d.path("retryDelay")).flatMap(ProviderErrors::googleDuration);
                        }
                    }
                }
                case OLLAMA -> {
                    // {"error":"<free text>"}: nothing identifier-like to repeat; classification reads the text
                }
            }
            return e;
        }

        private void add(String name, JsonNode node, Pattern shape, String key) {
            text(node).filter(s -> safe(s, shape, key)).ifPresent(s -> {
                details.add(name + "=" + s);
                identifiers.add(s.toLowerCase(Locale.ROOT));
            });
        }

        private static Optional<String> text(JsonNode node) {
            if (node == null || !node.isValueNode() || node.isNull() || node.asText().isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(node.asText());
        }

        /** The type/code/status/reason values, lower-cased and space-separated, for matching. */
        String identifiers() {
            return String.join(" ", identifiers);
        }

        /** The status an error object in a 200 stream stands for. */
        int impliedStatus(WireProtocol protocol, String lowerBody) {
            String t = identifiers();
            if (protocol == WireProtocol.OLLAMA) {
                return lowerBody.contains("not found") ? 404 : 500;
            }
            if (t.contains("insufficient_quota")) {
                return 429;
            }
            if (t.contains("overloaded")) {
                return OVERLOADED_529;
            }
            if (t.contains("rate_limit") || t.contains("resource_exhausted") || t.contains("requests")
                    || t.contains("tokens")) {
                return 429;
            }
            if (t.contains("context_length") || t.contains("invalid_request") || t.contains("invalid_argument")) {
                return 400;
            }
            if (t.contains("authentication") || t.contains("invalid_api_key") || t.contains("unauthenticated")) {
                return 401;
            }
            if (t.contains("permission")) {
                return 403;
            }
            if (t.contains("not_found")) {
                return 404;
            }
            if (t.contains("timeout") || t.contains("deadline_exceeded")) {
                return 504;
            }
            if (t.contains("unavailable")) {
                return 503;
            }
            return 500;
        }
    }

    /**
     * A stand-in for a provider-side exception in a cause chain: the original's class name and stack trace, without its
     * message (which may quote the provider's body, and with it an echoed key or prompt text). Exceptions the mesh
     * itself wrote keep their message.
     */
    static final class Scrubbed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private Scrubbed(String message, @Nullable Throwable cause) {
            super(message, cause, false, true);
        }

        static @Nullable Throwable of(@Nullable Throwable t) {
            return of(t, 0);
        }

        private static @Nullable Throwable of(@Nullable Throwable t, int depth) {
            if (t == null || depth > 8) {
                return null;
            }
            Throwable cause = t.getCause() == t ? null : of(t.getCause(), depth + 1);
            String own = t.getClass().getName().startsWith("dev.llmmesh.") ? ": " + t.getMessage() : "";
            Scrubbed s = new Scrubbed(t.getClass().getName() + own, cause);
            s.setStackTrace(t.getStackTrace());
            return s;
        }
    }
}
