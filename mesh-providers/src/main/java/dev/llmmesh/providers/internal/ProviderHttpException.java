package dev.llmmesh.providers.internal;

import dev.langchain4j.exception.HttpException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An HTTP error answer from a provider, with the response headers langchain4j's own clients drop (Retry-After,
 * x-request-id). Thrown by {@link MeshHttpClient} where langchain4j expects an {@link HttpException}, so langchain4j
 * maps it by status as usual and keeps it as the cause, where the provider client finds it again.
 *
 * <p>The message is only {@code HTTP <status>}: the body (which may echo prompt text or parts of a key) and the
 * headers are reachable through accessors for classification, never through {@link #getMessage()} or
 * {@link #toString()}, and are not serialized.
 */
public final class ProviderHttpException extends HttpException {
    private static final long serialVersionUID = 1L;

    private final transient Map<String, List<String>> headers;
    private final transient String body;

    /**
     * @param status  the HTTP status; 200 for an error event inside a successful stream
     * @param headers the response headers (any case; stored by lower-case name)
     * @param body    the response body, or the error event's data
     */
    public ProviderHttpException(int status, Map<String, List<String>> headers, String body) {
        super(status, "HTTP " + status);
        Map<String, List<String>> copy = new TreeMap<>();
        headers.forEach((k, v) -> {
            if (k != null) {
                copy.put(k.toLowerCase(Locale.ROOT), List.copyOf(v));
            }
        });
        this.headers = Map.copyOf(copy);
        this.body = body;
    }

    /** Response headers by lower-case name. */
    public Map<String, List<String>> headers() {
        return headers == null ? Map.of() : headers;
    }

    /** The first value of header {@code name} (any case). */
    public Optional<String> header(String name) {
        List<String> v = headers().get(name.toLowerCase(Locale.ROOT));
        return v == null || v.isEmpty() ? Optional.empty() : Optional.ofNullable(v.get(0));
    }

    /** The raw response body. For classification only: never log it or put it in a message. */
    public String body() {
        return body == null ? "" : body;
    }
}
