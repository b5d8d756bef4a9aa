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
import dev.llmmesh.client.ErrorClassifier;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Classifies failures of OpenAI-compatible calls into the mesh's hierarchy. For HTTP errors it reads what core's
 * {@link ErrorClassifier} cannot see: the {@code Retry-After} headers, the OpenAI error envelope's {@code type} and
 * {@code code}, and the {@code x-request-id}. Messages carry only the status, the envelope's type/code/param (when
 * they look like identifiers) and the request id: never the provider's free-text message, the body or a key.
 * Stateless and thread-safe.
 */
public final class OpenAiErrors {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** OpenAI error types and codes: lower-case snake case, e.g. {@code context_length_exceeded}. */
    private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9_.]{0,47}");
    /** Parameter paths, e.g. {@code messages[0].content}. */
    private static final Pattern PARAM = Pattern.compile("[A-Za-z0-9_.\\[\\]]{1,64}");
    /** Request ids, e.g. {@code req_ff7b0a8af7a14d1bbe00df50025271ca}. */
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9_\\-]{1,64}");
    /** Prefixes of well-known credential formats; a detail starting with one is never repeated. */
    private static final List<String> KEY_PREFIXES = List.of("sk-", "sk_", "gsk_", "xai-", "akia", "asia", "aiza",
            "pk-", "rk-", "hf_", "ghp_", "eyj");
    /** Shortest run of key characters that counts as leaking the key (as the canary scan of scenario 34). */
    private static final int LEAK_WINDOW = 8;

    private OpenAiErrors() {
    }

    /**
     * The mesh exception for {@code error} raised while calling {@code modelId} with {@code apiKey}. Details echoed by
     * the provider that contain any 8-character run of the key, or that look like a credential,
     * are left out of the message.
     */
    public static MeshException classify(Throwable error, String modelId, Clock clock, Optional<Secret> apiKey) {
        if (error instanceof MeshException m) {
            return m;
        }
        ProviderHttpException http = find(error, ProviderHttpException.class);
        if (http != null) {
            return fromHttp(http, error, modelId, clock, apiKey);
        }
        if (find(error, HttpTimeoutException.class) != null
                || find(error, dev.langchain4j.exception.TimeoutException.class) != null) {
            return new RetryableException(ErrorKind.TIMEOUT, modelId + ": no answer within the timeout", modelId, null,
                    error);
        }
        MeshException mesh = find(error, MeshException.class);
        if (mesh != null) {
            return mesh;
        }
        if (find(error, JsonProcessingException.class) != null) {
            return new RetryableException(ErrorKind.MALFORMED_RESPONSE, modelId + ": the response is not valid JSON",
                    modelId, null, error);
        }
        if (find(error, IOException.class) != null) {
            return new RetryableException(ErrorKind.CONNECTION, modelId + ": connection failed ("
                    + find(error, IOException.class).getClass().getSimpleName() + ")", modelId, null, error);
        }
        return ErrorClassifier.classify(error, modelId);
    }

    private static MeshException fromHttp(ProviderHttpException http, Throwable error, String modelId, Clock clock,
                                          Optional<Secret> apiKey) {
        String key = apiKey.map(Secret::reveal).orElse("");
        Envelope envelope = Envelope.parse(http.body(), key);
        int status = http.statusCode();
        if (status < 400) {
            status = envelope.impliedStatus(); // an error object inside a 200 stream
        }
        MeshException base = ErrorClassifier.fromStatus(status, modelId, http.body().toLowerCase(Locale.ROOT), error);
        List<String> details = new ArrayList<>();
        envelope.type.ifPresent(t -> details.add("type=" + t));
        envelope.code.ifPresent(c -> details.add("code=" + c));
        envelope.param.ifPresent(p -> details.add("param=" + p));
        http.header("x-request-id").filter(r -> safe(r, REQUEST_ID, key))
                .ifPresent(r -> details.add("request-id=" + r));
        String where = http.statusCode() < 400 ? " in the stream" : "";
        String message = base.getMessage() + where + (details.isEmpty() ? "" : " [" + String.join(", ", details) + "]");
        if (base instanceof ContextLengthExceededException) {
            return new ContextLengthExceededException(message, modelId, error);
        }
        if (base instanceof RetryableException) {
            Duration retryAfter = RetryAfter.parse(http::header, clock).orElse(null);
            return new RetryableException(base.kind(), message, modelId, retryAfter, error);
        }
        if (base instanceof NonRetryableException) {
            return new NonRetryableException(base.kind(), message, modelId, error);
        }
        return base;
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
            for (int i = 0; i + LEAK_WINDOW <= value.length(); i++) {
                if (key.contains(value.substring(i, i + LEAK_WINDOW))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static <T extends Throwable> @Nullable T find(Throwable error, Class<T> type) {
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

    /** The identifier-like fields of an OpenAI error envelope. */
    private record Envelope(Optional<String> type, Optional<String> code, Optional<String> param) {
        static Envelope parse(String body, String key) {
            try {
                JsonNode error = JSON.readTree(body).path("error");
                return new Envelope(id(error.path("type"), CODE, key), id(error.path("code"), CODE, key),
                        id(error.path("param"), PARAM, key));
            } catch (IOException | RuntimeException e) {
                return new Envelope(Optional.empty(), Optional.empty(), Optional.empty());
            }
        }

        private static Optional<String> id(JsonNode node, Pattern shape, String key) {
            if (!node.isValueNode() || node.isNull()) {
                return Optional.empty();
            }
            String s = node.asText();
            return safe(s, shape, key) ? Optional.of(s) : Optional.empty();
        }

        /** The status an error object in a 200 stream stands for, from its type or code. */
        int impliedStatus() {
            String t = type.orElse("") + " " + code.orElse("");
            if (t.contains("insufficient_quota") || t.contains("rate_limit") || t.contains("requests")
                    || t.contains("tokens")) {
                return 429;
            }
            if (t.contains("context_length")) {
                return 400;
            }
            if (t.contains("invalid_request")) {
                return 400;
            }
            if (t.contains("authentication") || t.contains("invalid_api_key")) {
                return 401;
            }
            if (t.contains("overloaded")) {
                return 503;
            }
            return 500;
        }
    }
}
