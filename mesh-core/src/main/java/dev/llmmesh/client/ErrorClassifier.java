package dev.llmmesh.client;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.ContentFilteredException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.NonRetriableException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.exception.TimeoutException;
import dev.llmmesh.ContextLengthExceededException;
import dev.llmmesh.ErrorKind;
import dev.llmmesh.MeshException;
import dev.llmmesh.MeshInternalException;
import dev.llmmesh.NonRetryableException;
import dev.llmmesh.RetryableException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * Maps whatever a client threw to the mesh's hierarchy: langchain4j's exceptions (by type and HTTP status), I/O
 * failures, and anything else. Messages are rebuilt from the error's class and status, never copied from the cause,
 * so that a key echoed in a provider's error text cannot reach a log through the message. Provider modules with
 * richer information (headers, bodies) classify more precisely and throw {@link MeshException}s themselves.
 */
public final class ErrorClassifier {
    private ErrorClassifier() {
    }

    /** The mesh exception for {@code error} raised while calling {@code modelId}. */
    public static MeshException classify(Throwable error, String modelId) {
        Throwable t = unwrap(error);
        if (t instanceof MeshException m) {
            return m;
        }
        if (t instanceof HttpException h) {
            return fromStatus(h.statusCode(), modelId, lower(h.getMessage()), h);
        }
        String what = t.getClass().getSimpleName();
        if (t instanceof RateLimitException) {
            return new RetryableException(ErrorKind.RATE_LIMITED, modelId + ": rate limited (" + what + ")", modelId, null, t);
        }
        if (t instanceof TimeoutException || t instanceof InterruptedIOException
                || t instanceof java.net.http.HttpTimeoutException || t instanceof java.util.concurrent.TimeoutException) {
            return new RetryableException(ErrorKind.TIMEOUT, modelId + ": timed out (" + what + ")", modelId, null, t);
        }
        if (t instanceof InternalServerException) {
            return new RetryableException(ErrorKind.SERVER_ERROR, modelId + ": server error (" + what + ")", modelId, null, t);
        }
        if (t instanceof AuthenticationException) {
            return new NonRetryableException(ErrorKind.AUTHENTICATION, modelId + ": authentication failed", modelId, t);
        }
        if (t instanceof ModelNotFoundException) {
            return new NonRetryableException(ErrorKind.NOT_FOUND, modelId + ": model not found", modelId, t);
        }
        if (t instanceof ContentFilteredException) {
            return new NonRetryableException(ErrorKind.CONTENT_POLICY, modelId + ": refused by content policy", modelId, t);
        }
        if (t instanceof InvalidRequestException) {
            if (looksLikeContextLength(lower(t.getMessage()))) {
                return new ContextLengthExceededException(modelId + ": prompt exceeds the context window", modelId, t);
            }
            return new NonRetryableException(ErrorKind.BAD_REQUEST, modelId + ": invalid request", modelId, t);
        }
        if (t instanceof RetriableException) {
            return new RetryableException(ErrorKind.SERVER_ERROR, modelId + ": transient failure (" + what + ")", modelId, null, t);
        }
        if (t instanceof NonRetriableException) {
            return new NonRetryableException(ErrorKind.BAD_REQUEST, modelId + ": request failed (" + what + ")", modelId, t);
        }
        if (t instanceof com.fasterxml.jackson.core.JsonProcessingException) {
            return new RetryableException(ErrorKind.MALFORMED_RESPONSE, modelId + ": unreadable response (" + what + ")",
                    modelId, null, t);
        }
        if (t instanceof UncheckedIOException u && u.getCause() != null && u.getCause() != t) {
            return classify(u.getCause(), modelId);
        }
        if (t instanceof IOException || t instanceof UncheckedIOException) {
            return new RetryableException(ErrorKind.CONNECTION, modelId + ": connection failed (" + what + ")", modelId, null, t);
        }
        return new MeshInternalException(ErrorKind.INTERNAL, modelId + ": client failed unexpectedly (" + what + ")", t);
    }

    /** The mesh exception for an HTTP error status, with the response body's text lower-cased for hints. */
    public static MeshException fromStatus(int status, String modelId, String lowerBody, @Nullable Throwable cause) {
        return fromStatus(status, modelId, lowerBody, null, cause);
    }

    /**
     * The mesh exception for an HTTP error status, with the provider's retry hint (already parsed from
     * {@code retry-after-ms}, {@code retry-after} or the body) attached to retryable results.
     */
    public static MeshException fromStatus(int status, String modelId, String lowerBody,
                                           java.time.@Nullable Duration retryAfter, @Nullable Throwable cause) {
        String msg = modelId + ": HTTP " + status;
        if (status == 429) {
            if (lowerBody.contains("insufficient_quota")) {
                return new NonRetryableException(ErrorKind.QUOTA_EXHAUSTED, msg + " (quota exhausted)", modelId, cause);
            }
            return new RetryableException(ErrorKind.RATE_LIMITED, msg + " (rate limited)", modelId, retryAfter, cause);
        }
        if (status == 408) {
            return new RetryableException(ErrorKind.TIMEOUT, msg + " (request timeout)", modelId, retryAfter, cause);
        }
        if (status == 503 || status == 529) {
            return new RetryableException(ErrorKind.OVERLOADED, msg + " (overloaded)", modelId, retryAfter, cause);
        }
        if (status >= 500) {
            return new RetryableException(ErrorKind.SERVER_ERROR, msg + " (server error)", modelId, retryAfter, cause);
        }
        if (status == 401 || status == 403) {
            return new NonRetryableException(ErrorKind.AUTHENTICATION, msg + " (authentication failed)", modelId, cause);
        }
        if (status == 404) {
            return new NonRetryableException(ErrorKind.NOT_FOUND, msg + " (not found)", modelId, cause);
        }
        if (looksLikeContextLength(lowerBody)) {
            return new ContextLengthExceededException(msg + " (context length exceeded)", modelId, cause);
        }
        if (lowerBody.contains("content_filter") || lowerBody.contains("content_policy")) {
            return new NonRetryableException(ErrorKind.CONTENT_POLICY, msg + " (content policy)", modelId, cause);
        }
        return new NonRetryableException(ErrorKind.BAD_REQUEST, msg + " (bad request)", modelId, cause);
    }

    private static boolean looksLikeContextLength(String lower) {
        return lower.contains("context_length_exceeded") || lower.contains("maximum context length")
                || lower.contains("context window") || lower.contains("prompt is too long");
    }

    private static String lower(@Nullable String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }

    private static Throwable unwrap(Throwable t) {
        Throwable cur = t;
        while ((cur instanceof CompletionException || cur instanceof ExecutionException) && cur.getCause() != null) {
            cur = cur.getCause();
        }
        return cur;
    }
}
