package dev.llmmesh.providers.internal;

import java.util.Objects;

/**
 * Where a provider expects its key: the header name and the text before the key.
 *
 * @param name   the header name, e.g. {@code Authorization}
 * @param prefix what precedes the key in the value, e.g. {@code "Bearer "}; empty for a bare key
 */
public record AuthHeader(String name, String prefix) {
    /** {@code Authorization: Bearer <key>}: OpenAI, Mistral, OpenAI-compatible servers, Ollama behind a proxy. */
    public static final AuthHeader BEARER = new AuthHeader("Authorization", "Bearer ");
    /** {@code api-key: <key>}: Azure OpenAI. */
    public static final AuthHeader API_KEY = new AuthHeader("api-key", "");
    /** {@code x-api-key: <key>}: Anthropic. */
    public static final AuthHeader X_API_KEY = new AuthHeader("x-api-key", "");
    /** {@code x-goog-api-key: <key>}: Google Gemini (never the {@code ?key=} query parameter). */
    public static final AuthHeader GOOGLE = new AuthHeader("x-goog-api-key", "");

    public AuthHeader {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(prefix, "prefix");
        if (name.isBlank()) {
            throw new IllegalArgumentException("auth header name must not be blank");
        }
    }
}
