package dev.llmmesh.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.llmmesh.testkit.SimulatedOpenAiServer.Behavior;
import dev.llmmesh.testkit.SimulatedOpenAiServer.RecordedRequest;
import dev.llmmesh.testkit.SimulatedOpenAiServer.ToolCall;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A real HTTP server on {@code 127.0.0.1} that speaks Anthropic's Messages API ({@code POST /v1/messages}), JSON and
 * SSE, with the same fault scripts ({@link Behavior}) as {@link SimulatedOpenAiServer}. Point an Anthropic client at
 * {@link #baseUrl()}.
 *
 * <p>What it sends, as the real API does:
 * <ul>
 *   <li>JSON: {@code {id, type:"message", role, model, content:[text | tool_use{id:"toolu_…", name, input:{…}}],
 *       stop_reason (end_turn | tool_use | max_tokens), stop_sequence, usage{input_tokens,
 *       cache_creation_input_tokens, cache_read_input_tokens, output_tokens}}}; {@code input_tokens} excludes cache
 *       reads, as Anthropic counts them;</li>
 *   <li>SSE: {@code event:}/{@code data:} pairs {@code message_start} → per block {@code content_block_start},
 *       {@code content_block_delta} ({@code text_delta} / {@code input_json_delta} fragments), {@code content_block_stop}
 *       → {@code message_delta} (stop reason, cumulative output tokens) → {@code message_stop}; a {@code ping} after the
 *       first block start; no {@code [DONE]}; some data payloads padded with spaces before the final brace, as recorded
 *       from the real API;</li>
 *   <li>errors: {@code {"type":"error","error":{"type","message"},"request_id"}} with the type the status implies
 *       ({@code rate_limit_error} 429, {@code overloaded_error} 529, {@code authentication_error} 401, …) or the
 *       behaviour's {@link Behavior#error(String, String, String) type}; a {@code request-id} header on every answer;
 *       {@link Behavior#streamErrorAfter(int)} sends {@code event: error} with {@code overloaded_error} inside the 200
 *       stream.</li>
 * </ul>
 * Requests need {@code anthropic-version}, {@code model}, {@code max_tokens} and non-empty {@code messages} (else the
 * real 400s), and, when a key is configured, {@code x-api-key} (else 401 {@code authentication_error}). Answers are
 * deterministic as in {@link SimulatedOpenAiServer} (echo of the last user text, word counts as tokens).
 *
 * <p>Thread-safe; started by {@link Builder#start()}, usable until {@link #close()}.
 */
public final class SimulatedAnthropicServer extends SimulatedServerBase<SimulatedAnthropicServer> {
    private static final String PADDING = "         ";

    private SimulatedAnthropicServer(Builder b) throws IOException {
        super("anthropic", b);
    }

    /** Starts a server with the defaults (echo answers, no key required). */
    public static SimulatedAnthropicServer start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The base URL Anthropic clients take, e.g. {@code http://127.0.0.1:53124/v1}. */
    @Override
    public URI baseUrl() {
        return url("/v1");
    }

    @Override
    public String keyHeader() {
        return "x-api-key";
    }

    @Override
    public String keyHeaderValue(String key) {
        return key;
    }

    @Override
    boolean isChatPath(String path) {
        return path.endsWith("/v1/messages");
    }

    @Override
    void serve(HttpExchange exchange, long n, RecordedRequest request) throws IOException {
        exchange.getResponseHeaders().set("request-id", requestId(n));
        if (!isChatPath(request.path())) {
            error(exchange, n, 404, "not_found_error", "Not found");
            return;
        }
        if (!"POST".equals(request.method())) {
            error(exchange, n, 405, "invalid_request_error", "Method Not Allowed");
            return;
        }
        if (!authorized(request)) {
            error(exchange, n, 401, "authentication_error", "invalid x-api-key");
            return;
        }
        if (request.header("anthropic-version").isEmpty()) {
            error(exchange, n, 400, "invalid_request_error", "anthropic-version: header is required");
            return;
        }
        JsonNode json = jsonObject(request.body());
        if (json == null) {
            error(exchange, n, 400, "invalid_request_error", "There was an issue with your request body.");
            return;
        }
        if (!json.path("model").isTextual()) {
            error(exchange, n, 400, "invalid_request_error", "model: Field required");
            return;
        }
        if (!json.path("max_tokens").isIntegralNumber()) {
            error(exchange, n, 400, "invalid_request_error", "max_tokens: Field required");
            return;
        }
        if (!json.path("messages").isArray() || json.path("messages").isEmpty()) {
            error(exchange, n, 400, "invalid_request_error", "messages: at least one message is required");
            return;
        }
        Behavior b = honourMaxTokens(nextBehavior(), maxTokens(json, "max_tokens"),
                lastUserText(json.path("messages")));
        if (delay(b)) {
            return;
        }
        boolean stream = json.path("stream").asBoolean(false);
        Call c = new Call(exchange, n, json, b);
        switch (b.kind) {
            case ANSWER -> {
                if (stream) {
                    stream(c, -1, false);
                } else {
                    message(c);
                }
            }
            case ERROR -> behaviorError(c);
            case HANG -> awaitClose(null);
            case CUT -> {
                if (stream) {
                    stream(c, b.cutAfter, false);
                } else {
                    behaviorHeaders(exchange, b);
                    cutBody(exchange, "application/json", "{\"id\":\"" + messageId(n) + "\",\"type\":\"message\","
                            + "\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"");
                }
            }
            case STREAM_ERROR -> {
                if (stream) {
                    stream(c, b.cutAfter, true);
                } else {
                    error(exchange, n, 500, "api_error", "Internal server error");
                }
            }
            case MALFORMED -> {
                behaviorHeaders(exchange, b);
                if (stream) {
                    send(exchange, 200, "text/event-stream; charset=utf-8",
                            ("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\n\n")
                                    .getBytes(StandardCharsets.UTF_8));
                } else {
                    send(exchange, 200, "application/json",
                            "{\"id\":\"msg_sim\",\"content\":[{\"type\":\"text\",\"text\":\"unterminated}]"
                                    .getBytes(StandardCharsets.UTF_8));
                }
            }
        }
    }

    private record Call(HttpExchange http, long n, JsonNode request, Behavior behavior) {
    }

    private static String requestId(long n) {
        return "req_sim" + String.format(Locale.ROOT, "%024x", n);
    }

    private static String messageId(long n) {
        return "msg_sim" + String.format(Locale.ROOT, "%020d", n);
    }

    private static String toolId(long n, int i) {
        return "toolu_sim" + n + "x" + i;
    }

    private String text(Call c) {
        return c.behavior.toolCalls.isEmpty() ? answerText(c.behavior, lastUserText(c.request.path("messages"))) : "";
    }

    private static String lastUserText(JsonNode messages) {
        return lastUserText(messages, c -> contentText(c));
    }

    private static String contentText(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode block : content) {
            String t = block.path("type").asText();
            String piece = t.equals("text") ? block.path("text").asText()
                    : t.equals("tool_result") ? contentText(block.path("content"))
                    : t.equals("tool_use") ? block.path("name").asText() + " " + block.path("input").toString() : "";
            if (!piece.isEmpty()) {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(piece);
            }
        }
        return sb.toString();
    }

    private static int promptWords(JsonNode request) {
        int words = Texts.words(contentText(request.path("system")));
        for (JsonNode m : request.path("messages")) {
            words += Texts.words(contentText(m.path("content")));
        }
        return words;
    }

    /** input (without cache reads), cache reads, output. */
    private static int[] usage(Call c, String text) {
        Behavior b = c.behavior;
        int prompt = b.promptTokens >= 0 ? b.promptTokens : promptWords(c.request);
        int completion;
        if (b.completionTokens >= 0) {
            completion = b.completionTokens;
        } else {
            completion = Texts.words(text) + b.reasoningTokens;
            for (ToolCall t : b.toolCalls) {
                completion += Texts.words(t.name()) + Texts.words(t.arguments());
            }
        }
        int cached = Math.min(b.cachedTokens, prompt);
        return new int[]{prompt - cached, cached, completion};
    }

    private static ObjectNode usageNode(int[] u, int output) {
        ObjectNode usage = JSON.createObjectNode();
        usage.put("input_tokens", u[0]);
        usage.put("cache_creation_input_tokens", 0);
        usage.put("cache_read_input_tokens", u[1]);
        usage.put("output_tokens", output);
        return usage;
    }

    private static String stopReason(Behavior b) {
        if (b.finishReason != null) {
            return switch (b.finishReason) {
                case "length" -> "max_tokens";
                case "stop" -> "end_turn";
                case "tool_calls" -> "tool_use";
                default -> b.finishReason;
            };
        }
        return b.toolCalls.isEmpty() ? "end_turn" : "tool_use";
    }

    private String model(Call c) {
        return c.behavior.model != null ? c.behavior.model : c.request.path("model").asText();
    }

    private static JsonNode input(String arguments) {
        JsonNode node = jsonObject(arguments);
        return node != null ? node : JSON.createObjectNode();
    }

    private void message(Call c) throws IOException {
        Behavior b = c.behavior;
        String text = text(c);
        ObjectNode root = JSON.createObjectNode();
        root.put("id", messageId(c.n));
        root.put("type", "message");
        root.put("role", "assistant");
        root.put("model", model(c));
        ArrayNode content = root.putArray("content");
        if (b.toolCalls.isEmpty()) {
            content.addObject().put("type", "text").put("text", text);
        }
        for (int i = 0; i < b.toolCalls.size(); i++) {
            ToolCall t = b.toolCalls.get(i);
            ObjectNode block = content.addObject();
            block.put("type", "tool_use").put("id", toolId(c.n, i)).put("name", t.name());
            block.set("input", input(t.arguments()));
        }
        root.put("stop_reason", stopReason(b));
        root.putNull("stop_sequence");
        int[] u = usage(c, text);
        root.set("usage", usageNode(u, u[2]));
        behaviorHeaders(c.http, b);
        send(c.http, 200, "application/json", JSON.writeValueAsBytes(root));
    }

    private static void event(OutputStream out, String name, JsonNode data, boolean pad) throws IOException {
        String json = JSON.writeValueAsString(data);
        if (pad) {
            json = json.substring(0, json.length() - 1) + PADDING + "}";
        }
        write(out, "event: " + name + "\ndata: " + json + "\n\n");
    }

    /**
     * Streams the answer. {@code cutAfter >= 0} stops after that many deltas with no {@code message_delta} and no
     * {@code message_stop}; with {@code errorEvent} an {@code event: error} is sent first.
     */
    private void stream(Call c, int cutAfter, boolean errorEvent) throws IOException {
        Behavior b = c.behavior;
        behaviorHeaders(c.http, b);
        c.http.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        c.http.sendResponseHeaders(200, 0);
        OutputStream out = c.http.getResponseBody();
        String text = text(c);
        int[] u = usage(c, text);

        ObjectNode start = JSON.createObjectNode().put("type", "message_start");
        ObjectNode message = start.putObject("message");
        message.put("id", messageId(c.n)).put("type", "message").put("role", "assistant").put("model", model(c));
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        message.set("usage", usageNode(u, 1));
        event(out, "message_start", start, true);

        int sent = 0;
        int index = 0;
        boolean cut = false;
        if (b.toolCalls.isEmpty()) {
            ObjectNode blockStart = JSON.createObjectNode().put("type", "content_block_start").put("index", 0);
            blockStart.putObject("content_block").put("type", "text").put("text", "");
            event(out, "content_block_start", blockStart, false);
            write(out, "event: ping\ndata: {\"type\": \"ping\"}\n\n");
            for (String piece : Texts.split(text, b.chunks)) {
                if (cutAfter >= 0 && sent >= cutAfter) {
                    cut = true;
                    break;
                }
                ObjectNode delta = JSON.createObjectNode().put("type", "content_block_delta").put("index", 0);
                delta.putObject("delta").put("type", "text_delta").put("text", piece);
                event(out, "content_block_delta", delta, false);
                sent++;
            }
            if (!cut && cutAfter < 0) {
                event(out, "content_block_stop", JSON.createObjectNode().put("type", "content_block_stop")
                        .put("index", 0), true);
            }
        } else {
            for (ToolCall t : b.toolCalls) {
                ObjectNode blockStart = JSON.createObjectNode().put("type", "content_block_start").put("index", index);
                ObjectNode block = blockStart.putObject("content_block");
                block.put("type", "tool_use").put("id", toolId(c.n, index)).put("name", t.name());
                block.putObject("input");
                event(out, "content_block_start", blockStart, true);
                if (index == 0) {
                    write(out, "event: ping\ndata: {\"type\": \"ping\"}\n\n");
                }
                ObjectNode empty = JSON.createObjectNode().put("type", "content_block_delta").put("index", index);
                empty.putObject("delta").put("type", "input_json_delta").put("partial_json", "");
                event(out, "content_block_delta", empty, false);
                for (String fragment : fragments(t.arguments(), b.chunks > 0 ? b.chunks : 4)) {
                    if (cutAfter >= 0 && sent >= cutAfter) {
                        cut = true;
                        break;
                    }
                    ObjectNode delta = JSON.createObjectNode().put("type", "content_block_delta").put("index", index);
                    delta.putObject("delta").put("type", "input_json_delta").put("partial_json", fragment);
                    event(out, "content_block_delta", delta, false);
                    sent++;
                }
                if (cut) {
                    break;
                }
                event(out, "content_block_stop", JSON.createObjectNode().put("type", "content_block_stop")
                        .put("index", index), true);
                index++;
            }
        }
        if (cutAfter >= 0) {
            if (errorEvent) {
                ObjectNode error = JSON.createObjectNode().put("type", "error");
                error.putObject("error").put("type", "overloaded_error").put("message", "Overloaded");
                event(out, "error", error, false);
            }
            out.close(); // no message_delta, no message_stop
            return;
        }
        ObjectNode delta = JSON.createObjectNode().put("type", "message_delta");
        delta.putObject("delta").put("stop_reason", stopReason(b)).putNull("stop_sequence");
        delta.putObject("usage").put("output_tokens", u[2]);
        event(out, "message_delta", delta, true);
        event(out, "message_stop", JSON.createObjectNode().put("type", "message_stop"), true);
        out.close();
    }

    private void behaviorError(Call c) throws IOException {
        Behavior b = c.behavior;
        behaviorHeaders(c.http, b);
        if (b.body != null) {
            send(c.http, b.status, "application/json", b.body.getBytes(StandardCharsets.UTF_8));
            return;
        }
        String type = b.errorType != null ? b.errorType : defaultType(b.status);
        error(c.http, c.n, b.status, type, b.errorMessage != null ? b.errorMessage : defaultMessage(b.status));
    }

    private static String defaultType(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 504 -> "timeout_error";
            case 503, 529 -> "overloaded_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    }

    private static String defaultMessage(int status) {
        return switch (status) {
            case 401 -> "invalid x-api-key";
            case 404 -> "model: not found";
            case 429 -> "Number of request tokens has exceeded your per-minute rate limit";
            case 503, 529 -> "Overloaded";
            default -> status >= 500 ? "Internal server error" : "Invalid request";
        };
    }

    private static void error(HttpExchange exchange, long n, int status, String type, String message)
            throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("type", "error");
        root.putObject("error").put("type", type).put("message", message);
        root.put("request_id", requestId(n));
        send(exchange, status, "application/json", bytes(root));
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Builds and starts a {@link SimulatedAnthropicServer}. Not thread-safe. Defaults: {@link Behavior#ok()}, echo
     * answers, no key required, the system UTC clock.
     */
    public static final class Builder extends ServerBuilder<Builder, SimulatedAnthropicServer> {

        private Builder() {
            super("Anthropic");
        }

        @Override
        Builder self() {
            return this;
        }

        @Override
        SimulatedAnthropicServer create() throws IOException {
            return new SimulatedAnthropicServer(this);
        }
    }
}
