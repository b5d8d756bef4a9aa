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
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * A real HTTP server on {@code 127.0.0.1} that speaks Ollama's native chat API ({@code POST /api/chat}), one JSON object
 * or an NDJSON stream, with the same fault scripts ({@link Behavior}) as {@link SimulatedOpenAiServer}. Point an Ollama
 * client at {@link #baseUrl()}. {@code GET /api/tags} lists the configured models.
 *
 * <p>What it sends, as the real server does:
 * <ul>
 *   <li>streaming is the default: without {@code "stream": false} the answer is {@code application/x-ndjson}, one object
 *       per line ({@code {"model","created_at","message":{"role":"assistant","content"},"done":false}}), then a final
 *       {@code "done": true} line with {@code done_reason} and the counts; no SSE, no {@code [DONE]};</li>
 *   <li>tool calls come whole, in one {@code done:false} line, with JSON-object arguments and no ids;</li>
 *   <li>{@code prompt_eval_count} and {@code eval_count} are on the final object only (word counts, as in the other
 *       simulators); cached and reasoning tokens are not reported (Ollama has no such counts);</li>
 *   <li>errors are {@code {"error":"<message>"}} with the behaviour's status; {@link Behavior#streamErrorAfter(int)}
 *       sends an {@code {"error":…}} line inside the 200 stream, as Ollama does when a model fails mid-answer.</li>
 * </ul>
 * No key by default; with {@link Builder#apiKey} it requires {@code Authorization: Bearer} (an authenticating proxy).
 *
 * <p>Thread-safe; started by {@link Builder#start()}, usable until {@link #close()}.
 */
public final class SimulatedOllamaServer extends SimulatedServerBase<SimulatedOllamaServer> {
    private final List<String> models;

    private SimulatedOllamaServer(Builder b) throws IOException {
        super("ollama", b);
        this.models = List.copyOf(b.models);
    }

    /** Starts a server with the defaults (echo answers, model list {@code llama3.1}, no key). */
    public static SimulatedOllamaServer start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The base URL Ollama clients take, e.g. {@code http://127.0.0.1:53124}. */
    @Override
    public URI baseUrl() {
        return url("");
    }

    @Override
    public String keyHeader() {
        return "Authorization";
    }

    @Override
    public String keyHeaderValue(String key) {
        return "Bearer " + key;
    }

    @Override
    boolean isChatPath(String path) {
        return path.equals("/api/chat");
    }

    @Override
    void serve(HttpExchange exchange, long n, RecordedRequest request) throws IOException {
        if (!authorized(request)) {
            error(exchange, 401, "unauthorized");
            return;
        }
        if (request.path().equals("/api/tags") && "GET".equals(request.method())) {
            tags(exchange);
            return;
        }
        if (!isChatPath(request.path())) {
            send(exchange, 404, "text/plain; charset=utf-8", "404 page not found".getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (!"POST".equals(request.method())) {
            send(exchange, 405, "text/plain; charset=utf-8", "405 method not allowed"
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        JsonNode json = jsonObject(request.body());
        if (json == null) {
            error(exchange, 400, "invalid character in request body");
            return;
        }
        if (!json.path("model").isTextual() || json.path("model").asText().isBlank()) {
            error(exchange, 400, "model is required");
            return;
        }
        Behavior b = honourMaxTokens(nextBehavior(), maxTokens(json.path("options"), "num_predict"),
                lastUserText(json.path("messages")));
        if (delay(b)) {
            return;
        }
        boolean stream = json.path("stream").asBoolean(true); // Ollama streams unless told not to
        Call c = new Call(exchange, json, b);
        switch (b.kind) {
            case ANSWER -> {
                if (stream) {
                    stream(c, -1, false);
                } else {
                    whole(c);
                }
            }
            case ERROR -> {
                behaviorHeaders(exchange, b);
                if (b.body != null) {
                    send(exchange, b.status, "application/json; charset=utf-8", b.body.getBytes(StandardCharsets.UTF_8));
                } else {
                    error(exchange, b.status, b.errorMessage != null ? b.errorMessage
                            : defaultMessage(b.status, json.path("model").asText()));
                }
            }
            case HANG -> awaitClose(null);
            case CUT -> {
                if (stream) {
                    stream(c, b.cutAfter, false);
                } else {
                    behaviorHeaders(exchange, b);
                    cutBody(exchange, "application/json; charset=utf-8", "{\"model\":\"" + model(c)
                            + "\",\"message\":{\"role\":\"assistant\",\"content\":\"");
                }
            }
            case STREAM_ERROR -> {
                if (stream) {
                    stream(c, b.cutAfter, true);
                } else {
                    error(exchange, 500, "the model failed to generate a response");
                }
            }
            case MALFORMED -> {
                behaviorHeaders(exchange, b);
                send(exchange, 200, stream ? "application/x-ndjson" : "application/json; charset=utf-8",
                        "{\"model\":\"x\",\"message\":{\"role\":\"assistant\",\"content\":\"unterminated}\n"
                                .getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private record Call(HttpExchange http, JsonNode request, Behavior behavior) {
    }

    private String model(Call c) {
        return c.behavior.model != null ? c.behavior.model : c.request.path("model").asText();
    }

    private String createdAt() {
        return DateTimeFormatter.ISO_INSTANT.format(clock().instant());
    }

    private String text(Call c) {
        return c.behavior.toolCalls.isEmpty() ? answerText(c.behavior, lastUserText(c.request.path("messages"))) : "";
    }

    private static String lastUserText(JsonNode messages) {
        return lastUserText(messages, c -> c.asText(""));
    }

    private static int promptWords(JsonNode request) {
        int words = 0;
        for (JsonNode m : request.path("messages")) {
            words += Texts.words(m.path("content").asText(""));
        }
        return words;
    }

    private ObjectNode line(Call c) {
        ObjectNode line = JSON.createObjectNode();
        line.put("model", model(c));
        line.put("created_at", createdAt());
        return line;
    }

    private static void toolCalls(ObjectNode message, Behavior b) {
        ArrayNode calls = message.putArray("tool_calls");
        for (ToolCall t : b.toolCalls) {
            ObjectNode fn = calls.addObject().putObject("function");
            fn.put("name", t.name());
            JsonNode args = jsonObject(t.arguments());
            fn.set("arguments", args != null ? args : JSON.createObjectNode());
        }
    }

    private ObjectNode done(Call c, String text) {
        Behavior b = c.behavior;
        ObjectNode done = line(c);
        ObjectNode message = done.putObject("message");
        message.put("role", "assistant").put("content", "");
        done.put("done_reason", b.finishReason != null ? b.finishReason : "stop");
        done.put("done", true);
        done.put("total_duration", 1_000_000L);
        done.put("load_duration", 100_000L);
        int prompt = b.promptTokens >= 0 ? b.promptTokens : promptWords(c.request);
        int completion = b.completionTokens;
        if (completion < 0) {
            completion = Texts.words(text);
            for (ToolCall t : b.toolCalls) {
                completion += Texts.words(t.name()) + Texts.words(t.arguments());
            }
        }
        done.put("prompt_eval_count", prompt);
        done.put("prompt_eval_duration", 200_000L);
        done.put("eval_count", completion);
        done.put("eval_duration", 700_000L);
        return done;
    }

    private void whole(Call c) throws IOException {
        String text = text(c);
        ObjectNode answer = done(c, text);
        ObjectNode message = (ObjectNode) answer.get("message");
        message.put("content", text);
        if (!c.behavior.toolCalls.isEmpty()) {
            toolCalls(message, c.behavior);
        }
        behaviorHeaders(c.http, c.behavior);
        send(c.http, 200, "application/json; charset=utf-8", JSON.writeValueAsBytes(answer));
    }

    private static void line(OutputStream out, JsonNode node) throws IOException {
        write(out, JSON.writeValueAsString(node) + "\n");
    }

    /**
     * Streams the answer. {@code cutAfter >= 0} stops after that many content lines with no {@code done:true} line;
     * with {@code errorLine} an {@code {"error":…}} line is sent first.
     */
    private void stream(Call c, int cutAfter, boolean errorLine) throws IOException {
        Behavior b = c.behavior;
        behaviorHeaders(c.http, b);
        c.http.getResponseHeaders().set("Content-Type", "application/x-ndjson");
        c.http.sendResponseHeaders(200, 0);
        OutputStream out = c.http.getResponseBody();
        String text = text(c);
        int sent = 0;
        if (b.toolCalls.isEmpty()) {
            for (String piece : Texts.split(text, b.chunks)) {
                if (cutAfter >= 0 && sent >= cutAfter) {
                    break;
                }
                ObjectNode l = line(c);
                l.putObject("message").put("role", "assistant").put("content", piece);
                l.put("done", false);
                line(out, l);
                sent++;
            }
        } else if (cutAfter < 0 || cutAfter > 0) {
            ObjectNode l = line(c);
            ObjectNode message = l.putObject("message");
            message.put("role", "assistant").put("content", "");
            toolCalls(message, b);
            l.put("done", false);
            line(out, l);
        }
        if (cutAfter >= 0) {
            if (errorLine) {
                line(out, JSON.createObjectNode().put("error", "an error was encountered while running the model"));
            }
            out.close(); // no done:true line
            return;
        }
        line(out, done(c, text));
        out.close();
    }

    private void tags(HttpExchange exchange) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("models");
        for (String m : models) {
            list.addObject().put("name", m).put("model", m).put("modified_at", createdAt());
        }
        send(exchange, 200, "application/json; charset=utf-8", JSON.writeValueAsBytes(root));
    }

    private static String defaultMessage(int status, String model) {
        return switch (status) {
            case 404 -> "model '" + model + "' not found";
            case 429 -> "server busy, please try again.  maximum pending requests exceeded";
            case 400 -> "invalid request";
            default -> status >= 500 ? "the model failed to generate a response" : "request failed";
        };
    }

    private static void error(HttpExchange exchange, int status, String message) throws IOException {
        send(exchange, status, "application/json; charset=utf-8",
                JSON.writeValueAsBytes(JSON.createObjectNode().put("error", message)));
    }

    /**
     * Builds and starts a {@link SimulatedOllamaServer}. Not thread-safe. Defaults: {@link Behavior#ok()}, echo answers,
     * model list {@code llama3.1}, no key, the system UTC clock.
     */
    public static final class Builder extends ServerBuilder<Builder, SimulatedOllamaServer> {
        private List<String> models = List.of("llama3.1");

        private Builder() {
            super("Ollama");
        }

        @Override
        Builder self() {
            return this;
        }

        @Override
        SimulatedOllamaServer create() throws IOException {
            return new SimulatedOllamaServer(this);
        }

        /**
         * The model names {@code GET /api/tags} lists (chat requests accept any model).
         *
         * @throws IllegalArgumentException if none is given or one is blank
         */
        public Builder models(String... models) {
            if (models.length == 0) {
                throw new IllegalArgumentException("models needs at least one model name");
            }
            for (String m : models) {
                if (m == null || m.isBlank()) {
                    throw new IllegalArgumentException("model names must not be blank");
                }
            }
            this.models = List.of(models);
            return this;
        }
    }
}
