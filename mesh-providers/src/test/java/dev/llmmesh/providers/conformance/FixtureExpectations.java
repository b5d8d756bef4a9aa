package dev.llmmesh.providers.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.output.FinishReason;
import dev.llmmesh.client.TokenCounts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What a recorded response holds, read straight from the fixture's JSON, SSE or NDJSON with a plain tree walk that
 * shares no code with the clients: the answer text, the tool calls, the finish reason and the usage (normalised as the
 * mesh counts tokens: input includes cache reads and writes, output includes reasoning). The conformance suite compares
 * every client's result with this. Stateless.
 */
final class FixtureExpectations {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FixtureExpectations() {
    }

    /** One expected tool call: the function name and its arguments as a JSON object. */
    record Call(String name, JsonNode arguments) {
    }

    /**
     * What a successful answer holds.
     *
     * @param text   the answer text ("" when none)
     * @param calls  tool calls, in order
     * @param finish the finish reason; null when the stream ends without one (then the client must fail)
     * @param usage  the token counts; null when the response reports none
     * @param failsInStream whether an error arrives inside the 200 stream (Ollama error line)
     */
    record Answer(String text, List<Call> calls, @Nullable FinishReason finish, @Nullable TokenCounts usage,
                  boolean failsInStream) {
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Answer read(Fixture f) {
        return switch (f.dialect()) {
            case OPENAI, AZURE, MISTRAL -> f.streaming() ? openAiStream(f.body()) : openAiJson(json(f.body()));
            case ANTHROPIC -> f.streaming() ? anthropicStream(f.body()) : anthropicJson(json(f.body()));
            case GEMINI -> f.streaming() ? geminiStream(f.body()) : geminiJson(json(f.body()));
            case OLLAMA -> f.streaming() ? ollamaStream(f.body()) : ollamaJson(json(f.body()));
        };
    }

    // ------------------------------------------------------------------ OpenAI, Azure, Mistral

    private static @Nullable FinishReason openAiFinish(String reason) {
        return switch (reason) {
            case "stop" -> FinishReason.STOP;
            case "length" -> FinishReason.LENGTH;
            case "tool_calls", "function_call" -> FinishReason.TOOL_EXECUTION;
            case "content_filter" -> FinishReason.CONTENT_FILTER;
            default -> null;
        };
    }

    private static @Nullable TokenCounts openAiUsage(JsonNode usage) {
        if (!usage.isObject()) {
            return null;
        }
        long cached = usage.path("prompt_tokens_details").path("cached_tokens").asLong(0);
        if (cached == 0) {
            cached = usage.path("num_cached_tokens").asLong(0); // Mistral
        }
        return new TokenCounts(usage.path("prompt_tokens").asLong(), usage.path("completion_tokens").asLong(), cached,
                usage.path("completion_tokens_details").path("reasoning_tokens").asLong(0));
    }

    private static Answer openAiJson(JsonNode root) {
        JsonNode choice = root.path("choices").path(0);
        JsonNode message = choice.path("message");
        List<Call> calls = new ArrayList<>();
        for (JsonNode tc : message.path("tool_calls")) {
            calls.add(new Call(tc.path("function").path("name").asText(), json(tc.path("function").path("arguments")
                    .asText())));
        }
        return new Answer(message.path("content").asText(""), calls, openAiFinish(choice.path("finish_reason")
                .asText("")), openAiUsage(root.path("usage")), false);
    }

    private static Answer openAiStream(String sse) {
        StringBuilder text = new StringBuilder();
        Map<Integer, String[]> calls = new TreeMap<>();
        FinishReason finish = null;
        TokenCounts usage = null;
        for (String data : sseData(sse)) {
            if (data.equals("[DONE]")) {
                continue;
            }
            JsonNode chunk = json(data);
            if (chunk.path("usage").isObject()) {
                usage = openAiUsage(chunk.path("usage"));
            }
            for (JsonNode choice : chunk.path("choices")) {
                JsonNode delta = choice.path("delta");
                text.append(delta.path("content").asText(""));
                for (JsonNode tc : delta.path("tool_calls")) {
                    String[] call = calls.computeIfAbsent(tc.path("index").asInt(calls.size()),
                            i -> new String[]{"", ""});
                    if (tc.path("function").has("name")) {
                        call[0] = tc.path("function").path("name").asText();
                    }
                    call[1] += tc.path("function").path("arguments").asText("");
                }
                if (choice.path("finish_reason").isTextual()) {
                    finish = openAiFinish(choice.path("finish_reason").asText());
                }
            }
        }
        List<Call> out = new ArrayList<>();
        calls.values().forEach(c -> out.add(new Call(c[0], json(c[1].isEmpty() ? "{}" : c[1]))));
        return new Answer(text.toString(), out, finish, usage, false);
    }

    // ------------------------------------------------------------------ Anthropic

    private static @Nullable FinishReason anthropicFinish(String reason) {
        return switch (reason) {
            case "end_turn", "stop_sequence" -> FinishReason.STOP;
            case "max_tokens" -> FinishReason.LENGTH;
            case "tool_use" -> FinishReason.TOOL_EXECUTION;
            case "refusal" -> FinishReason.CONTENT_FILTER;
            default -> null;
        };
    }

    private static TokenCounts anthropicUsage(JsonNode usage, long output) {
        long read = usage.path("cache_read_input_tokens").asLong(0);
        long write = usage.path("cache_creation_input_tokens").asLong(0);
        return new TokenCounts(usage.path("input_tokens").asLong() + read + write, output, read, 0);
    }

    private static Answer anthropicJson(JsonNode root) {
        StringBuilder text = new StringBuilder();
        List<Call> calls = new ArrayList<>();
        for (JsonNode block : root.path("content")) {
            switch (block.path("type").asText()) {
                case "text" -> text.append(block.path("text").asText());
                case "tool_use" -> calls.add(new Call(block.path("name").asText(), block.path("input")));
                default -> {
                }
            }
        }
        JsonNode usage = root.path("usage");
        return new Answer(text.toString(), calls, anthropicFinish(root.path("stop_reason").asText("")),
                anthropicUsage(usage, usage.path("output_tokens").asLong()), false);
    }

    private static Answer anthropicStream(String sse) {
        StringBuilder text = new StringBuilder();
        Map<Integer, String[]> calls = new TreeMap<>();
        FinishReason finish = null;
        JsonNode startUsage = JSON.createObjectNode();
        long output = 0;
        for (String data : sseData(sse)) {
            JsonNode event = json(data);
            switch (event.path("type").asText()) {
                case "message_start" -> {
                    startUsage = event.path("message").path("usage");
                    output = startUsage.path("output_tokens").asLong(0);
                }
                case "content_block_start" -> {
                    JsonNode block = event.path("content_block");
                    if (block.path("type").asText().equals("tool_use")) {
                        calls.put(event.path("index").asInt(), new String[]{block.path("name").asText(), ""});
                    }
                }
                case "content_block_delta" -> {
                    JsonNode delta = event.path("delta");
                    if (delta.path("type").asText().equals("text_delta")) {
                        text.append(delta.path("text").asText());
                    } else if (delta.path("type").asText().equals("input_json_delta")) {
                        calls.get(event.path("index").asInt())[1] += delta.path("partial_json").asText("");
                    }
                }
                case "message_delta" -> {
                    finish = anthropicFinish(event.path("delta").path("stop_reason").asText(""));
                    JsonNode usage = event.path("usage");
                    output = usage.path("output_tokens").asLong(output); // cumulative
                    if (usage.has("input_tokens")) {
                        startUsage = usage;
                    }
                }
                default -> {
                }
            }
        }
        List<Call> out = new ArrayList<>();
        calls.values().forEach(c -> out.add(new Call(c[0], json(c[1].isEmpty() ? "{}" : c[1]))));
        return new Answer(text.toString(), out, finish, anthropicUsage(startUsage, output), false);
    }

    // ------------------------------------------------------------------ Gemini

    private static FinishReason geminiFinish(String reason, boolean calls) {
        return switch (reason) {
            case "STOP" -> calls ? FinishReason.TOOL_EXECUTION : FinishReason.STOP;
            case "MAX_TOKENS" -> FinishReason.LENGTH;
            case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.OTHER;
        };
    }

    private static TokenCounts geminiUsage(JsonNode u) {
        long thoughts = u.path("thoughtsTokenCount").asLong(0);
        return new TokenCounts(u.path("promptTokenCount").asLong(), u.path("candidatesTokenCount").asLong() + thoughts,
                u.path("cachedContentTokenCount").asLong(0), thoughts);
    }

    private static Answer geminiChunks(List<JsonNode> chunks) {
        StringBuilder text = new StringBuilder();
        List<Call> calls = new ArrayList<>();
        String reason = null;
        JsonNode usage = null;
        for (JsonNode chunk : chunks) {
            JsonNode candidate = chunk.path("candidates").path(0);
            for (JsonNode part : candidate.path("content").path("parts")) {
                if (part.path("thought").asBoolean(false)) {
                    continue;
                }
                if (part.has("text")) {
                    text.append(part.path("text").asText());
                }
                if (part.has("functionCall")) {
                    calls.add(new Call(part.path("functionCall").path("name").asText(),
                            part.path("functionCall").path("args")));
                }
            }
            if (candidate.path("finishReason").isTextual()) {
                reason = candidate.path("finishReason").asText();
            }
            if (chunk.path("usageMetadata").isObject()) {
                usage = chunk.path("usageMetadata"); // every chunk repeats it: the last one counts
            }
        }
        return new Answer(text.toString(), calls, reason == null ? null : geminiFinish(reason, !calls.isEmpty()),
                usage == null ? null : geminiUsage(usage), false);
    }

    private static Answer geminiJson(JsonNode root) {
        return geminiChunks(List.of(root));
    }

    private static Answer geminiStream(String sse) {
        List<JsonNode> chunks = new ArrayList<>();
        sseData(sse).forEach(d -> chunks.add(json(d)));
        return geminiChunks(chunks);
    }

    // ------------------------------------------------------------------ Ollama

    private static String ollamaContent(JsonNode line) {
        return line.path("message").isObject() ? line.path("message").path("content").asText("")
                : line.path("response").asText("");
    }

    private static List<Call> ollamaCalls(JsonNode line) {
        List<Call> calls = new ArrayList<>();
        for (JsonNode tc : line.path("message").path("tool_calls")) {
            calls.add(new Call(tc.path("function").path("name").asText(), tc.path("function").path("arguments")));
        }
        return calls;
    }

    private static FinishReason ollamaFinish(JsonNode done, boolean calls) {
        String reason = done.path("done_reason").asText("stop");
        if (reason.equals("length")) {
            return FinishReason.LENGTH;
        }
        return calls ? FinishReason.TOOL_EXECUTION : reason.equals("stop") ? FinishReason.STOP : FinishReason.OTHER;
    }

    private static TokenCounts ollamaUsage(JsonNode done) {
        return new TokenCounts(done.path("prompt_eval_count").asLong(0), done.path("eval_count").asLong(0), 0, 0);
    }

    private static Answer ollamaJson(JsonNode root) {
        List<Call> calls = ollamaCalls(root);
        return new Answer(ollamaContent(root), calls, ollamaFinish(root, !calls.isEmpty()), ollamaUsage(root), false);
    }

    private static Answer ollamaStream(String ndjson) {
        StringBuilder text = new StringBuilder();
        List<Call> calls = new ArrayList<>();
        for (String line : ndjson.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode node = json(line);
            if (node.has("error")) {
                return new Answer(text.toString(), calls, null, null, true);
            }
            text.append(ollamaContent(node));
            calls.addAll(ollamaCalls(node));
            if (node.path("done").asBoolean(false)) {
                return new Answer(text.toString(), calls, ollamaFinish(node, !calls.isEmpty()), ollamaUsage(node),
                        false);
            }
        }
        return new Answer(text.toString(), calls, null, null, false);
    }

    // ------------------------------------------------------------------ SSE framing

    /** The data of each SSE event (data lines joined by newlines), any line ending (LF or CRLF). */
    static List<String> sseData(String sse) {
        List<String> events = new ArrayList<>();
        StringBuilder data = null;
        for (String raw : sse.split("\n", -1)) {
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            if (line.isEmpty()) {
                if (data != null) {
                    events.add(data.toString());
                    data = null;
                }
            } else if (line.startsWith("data:")) {
                String value = line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5);
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            }
        }
        if (data != null) {
            events.add(data.toString());
        }
        return events;
    }
}
