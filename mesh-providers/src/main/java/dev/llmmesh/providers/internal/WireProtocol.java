package dev.llmmesh.providers.internal;

/**
 * The error-envelope dialect of a provider, which tells {@link ProviderErrors} where the error type, code and retry
 * hints live in a body.
 */
public enum WireProtocol {
    /**
     * OpenAI chat completions and the servers that copy it (Azure OpenAI, Mistral, vLLM, …):
     * {@code {"error":{"message","type","param","code"}}}; Mistral also sends the fields at the top level.
     */
    OPENAI,
    /** Anthropic messages: {@code {"type":"error","error":{"type","message"},"request_id"}}. */
    ANTHROPIC,
    /**
     * Google Gemini: {@code {"error":{"code","message","status","details":[{"@type":"…ErrorInfo","reason"},
     * {"@type":"…RetryInfo","retryDelay"}]}}}.
     */
    GEMINI,
    /** Ollama's native API: {@code {"error":"<message>"}}. */
    OLLAMA
}
