package dev.llmmesh.providers.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.image.Image;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import dev.langchain4j.model.output.FinishReason;
import dev.llmmesh.providers.ProviderTokenUsage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Ollama's native chat protocol ({@code POST /api/chat}), both ways: langchain4j requests to Ollama JSON, and Ollama
 * answers (one JSON object, or NDJSON lines) to langchain4j responses.
 *
 * <p>Facts it handles: tool-call arguments are JSON <em>objects</em> and calls have no ids (ids are made up here, unique
 * per client, as {@code call_<n>_<index>}); tool results go back as {@code {"role":"tool","content","tool_name"}};
 * images travel as base64 strings (URLs are refused: Ollama cannot fetch them); {@code prompt_eval_count} and
 * {@code eval_count} come only on the final {@code done:true} object and may be absent (then 0); lines of
 * {@code /api/generate}'s shape ({@code "response"} instead of {@code "message"}) are read as content too.
 * Thread-safe.
 */
public final class OllamaWire {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicLong calls = new AtomicLong();

    /**
     * The {@code /api/chat} body for {@code request}.
     *
     * @param think the {@code think} flag to send, or {@code null} for the model's default
     * @throws IllegalArgumentException for content Ollama cannot take (image URLs, unknown message types) or a forced
     *                                  tool choice, which Ollama does not support
     */
    public String requestBody(ChatRequest request, boolean stream, @Nullable Boolean think,
                              @Nullable String keepAlive) {
        ChatRequestParameters p = request.parameters();
        ObjectNode root = JSON.createObjectNode();
        root.put("model", p.modelName());
        ArrayNode messages = root.putArray("messages");
        for (ChatMessage m : request.messages()) {
            messages.add(message(m));
        }
        root.put("stream", stream);
        List<ToolSpecification> tools = p.toolSpecifications();
        if (tools != null && !tools.isEmpty() && p.toolChoice() != ToolChoice.NONE) {
            if (p.toolChoice() == ToolChoice.REQUIRED) {
                throw new IllegalArgumentException("Ollama cannot force a tool call (toolChoice REQUIRED); use AUTO");
            }
            ArrayNode t = root.putArray("tools");
            for (ToolSpecification spec : tools) {
                ObjectNode fn = t.addObject().put("type", "function").putObject("function");
                fn.put("name", spec.name());
                if (spec.description() != null) {
                    fn.put("description", spec.description());
                }
                fn.set("parameters", spec.parameters() == null
                        ? JSON.createObjectNode().put("type", "object").set("properties", JSON.createObjectNode())
                        : JsonSchemas.toJson(spec.parameters()));
            }
        }
        ResponseFormat format = p.responseFormat();
        if (format != null && format.type() == ResponseFormatType.JSON) {
            if (format.jsonSchema() != null && format.jsonSchema().rootElement() != null) {
                root.set("format", JsonSchemas.toJson(format.jsonSchema().rootElement()));
            } else {
                root.put("format", "json");
            }
        }
        ObjectNode options = JSON.createObjectNode();
        if (p.temperature() != null) {
            options.put("temperature", p.temperature());
        }
        if (p.topP() != null) {
            options.put("top_p", p.topP());
        }
        if (p.topK() != null) {
            options.put("top_k", p.topK());
        }
        if (p.maxOutputTokens() != null) {
            options.put("num_predict", p.maxOutputTokens());
        }
        if (p.frequencyPenalty() != null) {
            options.put("frequency_penalty", p.frequencyPenalty());
        }
        if (p.presencePenalty() != null) {
            options.put("presence_penalty", p.presencePenalty());
        }
        if (p.stopSequences() != null && !p.stopSequences().isEmpty()) {
            ArrayNode stop = options.putArray("stop");
            p.stopSequences().forEach(stop::add);
        }
        if (!options.isEmpty()) {
            root.set("options", options);
        }
        if (think != null) {
            root.put("think", think);
        }
        if (keepAlive != null) {
            root.put("keep_alive", keepAlive);
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode message(ChatMessage m) {
        ObjectNode out = JSON.createObjectNode();
        if (m instanceof SystemMessage s) {
            out.put("role", "system").put("content", s.text());
        } else if (m instanceof UserMessage u) {
            out.put("role", "user");
            StringBuilder text = new StringBuilder();
            ArrayNode images = null;
            for (Content c : u.contents()) {
                if (c instanceof TextContent t) {
                    if (text.length() > 0) {
                        text.append('\n');
                    }
                    text.append(t.text());
                } else if (c instanceof ImageContent i) {
                    Image image = i.image();
                    if (image.base64Data() == null) {
                        throw new IllegalArgumentException("Ollama takes images as base64 data, not URLs; load the "
                                + "image and pass Image.builder().base64Data(..)");
                    }
                    if (images == null) {
                        images = JSON.createArrayNode();
                    }
                    images.add(image.base64Data());
                } else {
                    throw new IllegalArgumentException("Ollama cannot take " + c.type() + " content");
                }
            }
            out.put("content", text.toString());
            if (images != null) {
                out.set("images", images);
            }
        } else if (m instanceof AiMessage a) {
            out.put("role", "assistant").put("content", a.text() == null ? "" : a.text());
            if (a.hasToolExecutionRequests()) {
                ArrayNode calls = out.putArray("tool_calls");
                for (ToolExecutionRequest r : a.toolExecutionRequests()) {
                    ObjectNode fn = calls.addObject().putObject("function");
                    fn.put("name", r.name());
                    fn.set("arguments", arguments(r.arguments()));
                }
            }
        } else if (m instanceof ToolExecutionResultMessage t) {
            out.put("role", "tool").put("content", t.text());
            if (t.toolName() != null) {
                out.put("tool_name", t.toolName());
            }
        } else {
            throw new IllegalArgumentException("Ollama cannot take a " + m.type() + " message");
        }
        return out;
    }

    private static JsonNode arguments(@Nullable String json) {
        if (json == null || json.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode node = JSON.readTree(json);
            return node.isObject() ? node : JSON.createObjectNode();
        } catch (IOException e) {
            throw new IllegalArgumentException("tool call arguments are not a JSON object");
        }
    }

    /** One parsed Ollama answer object (a whole answer, or one NDJSON line). */
    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("the Ollama answer is not valid JSON", e);
        }
    }

    /** The text of one answer object: {@code message.content}, or {@code response} for {@code /api/generate}'s shape. */
    public static String content(JsonNode line) {
        JsonNode message = line.path("message");
        if (message.isObject()) {
            return message.path("content").asText("");
        }
        return line.path("response").asText("");
    }

    /** The thinking text of one answer object, if any. */
    public static String thinking(JsonNode line) {
        JsonNode message = line.path("message");
        return (message.isObject() ? message.path("thinking") : line.path("thinking")).asText("");
    }

    /** The tool calls of one answer object, with ids made up where Ollama gives none. */
    public List<ToolExecutionRequest> toolCalls(JsonNode line, long call, int firstIndex) {
        List<ToolExecutionRequest> out = new ArrayList<>();
        int index = firstIndex;
        for (JsonNode tc : line.path("message").path("tool_calls")) {
            JsonNode fn = tc.path("function");
            JsonNode args = fn.path("arguments");
            String arguments;
            if (args.isTextual()) {
                arguments = args.asText();
            } else if (args.isMissingNode() || args.isNull()) {
                arguments = "{}";
            } else {
                arguments = args.toString();
            }
            String id = tc.path("id").isTextual() && !tc.path("id").asText().isBlank()
                    ? tc.path("id").asText() : "call_" + call + "_" + index;
            out.add(ToolExecutionRequest.builder().id(id).name(fn.path("name").asText()).arguments(arguments).build());
            index++;
        }
        return out;
    }

    /** A fresh number for made-up tool-call ids. */
    public long nextCall() {
        return calls.incrementAndGet();
    }

    /** The usage on a final ({@code done:true}) object; absent counts are 0. */
    public static ProviderTokenUsage usage(JsonNode done) {
        return new ProviderTokenUsage(Math.max(0, done.path("prompt_eval_count").asInt(0)),
                Math.max(0, done.path("eval_count").asInt(0)), 0, 0, 0);
    }

    /** The finish reason on a final object: {@code length} → LENGTH, tool calls → TOOL_EXECUTION, else STOP. */
    public static FinishReason finishReason(JsonNode done, boolean toolCalls) {
        String reason = done.path("done_reason").asText("stop").toLowerCase(Locale.ROOT);
        if (reason.equals("length")) {
            return FinishReason.LENGTH;
        }
        if (toolCalls) {
            return FinishReason.TOOL_EXECUTION;
        }
        return reason.equals("stop") ? FinishReason.STOP : FinishReason.OTHER;
    }

    /** The chat response for a whole answer, given its final object and what was accumulated. */
    public static ChatResponse response(JsonNode done, String text, String thinking, List<ToolExecutionRequest> calls) {
        AiMessage.Builder message = AiMessage.builder()
                .text(text.isEmpty() && !calls.isEmpty() ? null : text)
                .toolExecutionRequests(calls);
        if (!thinking.isEmpty()) {
            message.thinking(thinking);
        }
        ChatResponseMetadata metadata = ChatResponseMetadata.builder()
                .modelName(done.path("model").asText(null))
                .tokenUsage(usage(done))
                .finishReason(finishReason(done, !calls.isEmpty()))
                .build();
        return ChatResponse.builder().aiMessage(message.build()).metadata(metadata).build();
    }
}
