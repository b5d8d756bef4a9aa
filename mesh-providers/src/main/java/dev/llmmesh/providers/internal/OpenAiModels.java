package dev.llmmesh.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.llmmesh.Secret;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * langchain4j's OpenAI chat models, wired to the mesh: {@link MeshHttpClient} (which holds the key), retries off, and a
 * shim for Azure's content-filtered answers, whose choices have no {@code message} (langchain4j 1.19 fails on them with
 * a {@code NullPointerException}; the shim gives such a choice an empty assistant message, so the finish reason
 * {@code content_filter} and the usage reach the caller).
 *
 * @param chat      the blocking model
 * @param streaming the streaming model
 */
public record OpenAiModels(OpenAiChatModel chat, OpenAiStreamingChatModel streaming) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param modelName   the model (or Azure deployment) name sent in requests
     * @param baseUrl     where requests go (validated)
     * @param apiKey      the key, added by the HTTP client
     * @param auth        the key's header
     * @param queryParams added to every request URL (Azure's {@code api-version})
     */
    public static OpenAiModels create(String modelName, URI baseUrl, Optional<Secret> apiKey, AuthHeader auth,
                                      Map<String, String> queryParams, Executor executor, Duration timeout,
                                      boolean logRequests, boolean logResponses) {
        OpenAiChatModel chat = OpenAiChatModel.builder()
                .httpClientBuilder(MeshHttpClient.builder(baseUrl, apiKey, auth, executor)
                        .bodyFilter(OpenAiModels::messageForEveryChoice))
                .baseUrl(baseUrl.toString())
                .modelName(modelName)
                .customQueryParams(queryParams)
                .timeout(timeout)
                .maxRetries(0)
                .returnThinking(true)
                .logRequests(logRequests)
                .logResponses(logResponses)
                .build();
        OpenAiStreamingChatModel streaming = OpenAiStreamingChatModel.builder()
                .httpClientBuilder(MeshHttpClient.builder(baseUrl, apiKey, auth, executor))
                .baseUrl(baseUrl.toString())
                .modelName(modelName)
                .customQueryParams(queryParams)
                .timeout(timeout)
                .returnThinking(true)
                .logRequests(logRequests)
                .logResponses(logResponses)
                .build();
        return new OpenAiModels(chat, streaming);
    }

    /** The same two models, as the generic pair {@link LangChain4jChatClient} runs. */
    public ChatModels toChatModels() {
        return new ChatModels(chat, streaming);
    }

    /** Gives every choice without a {@code message} an empty assistant message; other bodies pass unchanged. */
    static String messageForEveryChoice(String body) {
        if (!body.contains("\"choices\"") || !body.contains("content_filter")) {
            return body;
        }
        try {
            JsonNode root = JSON.readTree(body);
            boolean changed = false;
            for (JsonNode choice : root.path("choices")) {
                if (choice instanceof ObjectNode c && !c.has("message")) {
                    c.putObject("message").put("role", "assistant").putNull("content");
                    changed = true;
                }
            }
            return changed ? JSON.writeValueAsString(root) : body;
        } catch (IOException e) {
            return body; // not JSON: langchain4j reports it
        }
    }
}
