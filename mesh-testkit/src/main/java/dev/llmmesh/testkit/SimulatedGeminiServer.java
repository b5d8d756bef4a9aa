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
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP server on {@code 127.0.0.1} that speaks the Google Gemini API ({@code /v1beta/models/{model}:generateContent}
 * and {@code :streamGenerateContent?alt=sse}), with the same fault scripts ({@link Behavior}) as
 * {@link SimulatedOpenAiServer}. Point a Gemini client at {@link #baseUrl()}.
 *
 * <p>What it sends, as the real API does:
 * <ul>
 *   <li>{@code {candidates:[{content:{parts:[{text} | {functionCall:{name,args:{…}}}], role:"model"}, finishReason,
 *       index}], usageMetadata:{promptTokenCount, candidatesTokenCount, thoughtsTokenCount, cachedContentTokenCount,
 *       totalTokenCount}, modelVersion, responseId}}: {@code candidatesTokenCount} excludes the thoughts and
 *       {@code totalTokenCount} includes them; function calls have no id;</li>
 *   <li>SSE: only {@code data:} lines, <b>CRLF line endings</b>, every chunk repeating {@code usageMetadata}, the last
 *       one carrying {@code finishReason}; no {@code [DONE]}: the stream ends when the connection closes;</li>
 *   <li>errors: {@code {"error":{"code","message","status"}}} with the status name the HTTP status implies
 *       ({@code RESOURCE_EXHAUSTED} 429, {@code UNAVAILABLE} 503, …); a wrong or missing key is the real API's
 *       <b>400 {@code INVALID_ARGUMENT}</b> with an {@code ErrorInfo} detail {@code reason: API_KEY_INVALID}, not a
 *       401; {@link Behavior#streamErrorAfter(int)} sends an error object as a data event inside the 200 stream.</li>
 * </ul>
 * The key is checked in the {@code x-goog-api-key} header; a {@code ?key=} query parameter is recorded (so tests can
 * assert it is never used) but not accepted.
 *
 * <p>Thread-safe; started by {@link Builder#start()}, usable until {@link #close()}.
 */
public final class SimulatedGeminiServer extends SimulatedServerBase<SimulatedGeminiServer> {
    private static final Pattern PATH = Pattern.compile("/v1beta/models/([^/:]+):(generateContent|streamGenerateContent)");

    private SimulatedGeminiServer(Builder b) throws IOException {
        super("gemini", b);
    }

    /** Starts a server with the defaults (echo answers, no key required). */
    public static SimulatedGeminiServer start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The base URL Gemini clients take, e.g. {@code http://127.0.0.1:53124/v1beta}. */
    @Override
    public URI baseUrl() {
        return url("/v1beta");
    }

    @Override
    public String keyHeader() {
        return "x-goog-api-key";
    }

    @Override
    public String keyHeaderValue(String key) {
        return key;
    }

    @Override
    boolean isChatPath(String path) {
        return PATH.matcher(path).matches();
    }

    @Override
    void serve(HttpExchange exchange, long n, RecordedRequest request) throws IOException {
        Matcher m = PATH.matcher(request.path());
        if (!m.matches()) {
            error(exchange, 404, "NOT_FOUND", "Requested entity was not found.", false);
            return;
        }
        if (!"POST".equals(request.method())) {
            error(exchange, 405, "INVALID_ARGUMENT", "Method not allowed.", false);
            return;
        }
        if (!authorized(request)) {
            error(exchange, 400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", true);
            return;
        }
        JsonNode json = jsonObject(request.body());
        if (json == null) {
            error(exchange, 400, "INVALID_ARGUMENT", "Invalid JSON payload received.", false);
            return;
        }
        if (!json.path("contents").isArray() || json.path("contents").isEmpty()) {
            error(exchange, 400, "INVALID_ARGUMENT", "* GenerateContentRequest.contents: contents is not specified",
                    false);
            return;
        }
        Behavior b = honourMaxTokens(nextBehavior(), maxTokens(json.path("generationConfig"), "maxOutputTokens"),
                lastUserText(json.path("contents")));
        if (delay(b)) {
            return;
        }
        boolean stream = m.group(2).equals("streamGenerateContent");
        Call c = new Call(exchange, n, json, m.group(1), b);
        switch (b.kind) {
            case ANSWER -> {
                if (stream) {
                    stream(c, -1, false);
                } else {
                    behaviorHeaders(exchange, b);
                    send(exchange, 200, "application/json; charset=UTF-8",
                            JSON.writeValueAsBytes(chunk(c, text(c), b.toolCalls, true)));
                }
            }
            case ERROR -> {
                behaviorHeaders(exchange, b);
                if (b.body != null) {
                    send(exchange, b.status, "application/json; charset=UTF-8", b.body.getBytes(StandardCharsets.UTF_8));
                } else {
                    error(exchange, b.status, statusName(b.status),
                            b.errorMessage != null ? b.errorMessage : defaultMessage(b.status), false);
                }
            }
            case HANG -> awaitClose(null);
            case CUT -> {
                if (stream) {
                    stream(c, b.cutAfter, false);
                } else {
                    behaviorHeaders(exchange, b);
                    cutBody(exchange, "application/json; charset=UTF-8",
                            "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"");
                }
            }
            case STREAM_ERROR -> {
                if (stream) {
                    stream(c, b.cutAfter, true);
                } else {
                    error(exchange, 500, "INTERNAL", "An internal error has occurred.", false);
                }
            }
            case MALFORMED -> {
                behaviorHeaders(exchange, b);
                send(exchange, 200, stream ? "text/event-stream" : "application/json; charset=UTF-8",
                        ((stream ? "data: " : "") + "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":"
                                + (stream ? "\r\n\r\n" : "")).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private record Call(HttpExchange http, long n, JsonNode request, String model, Behavior behavior) {
    }

    private String text(Call c) {
        return c.behavior.toolCalls.isEmpty() ? answerText(c.behavior, lastUserText(c.request.path("contents"))) : "";
    }

    private static String partsText(JsonNode parts) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode p : parts) {
            String piece = p.has("text") ? p.path("text").asText()
                    : p.has("functionCall") ? p.path("functionCall").path("name").asText() + " "
                    + p.path("functionCall").path("args").toString()
                    : p.has("functionResponse") ? p.path("functionResponse").path("response").toString() : "";
            if (!piece.isEmpty()) {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(piece);
            }
        }
        return sb.toString();
    }

    private static String lastUserText(JsonNode contents) {
        for (int i = contents.size() - 1; i >= 0; i--) {
            JsonNode c = contents.get(i);
            if ("user".equals(c.path("role").asText("user"))) {
                return partsText(c.path("parts"));
            }
        }
        return "";
    }

    private static int promptWords(JsonNode request) {
        int words = Texts.words(partsText(request.path("systemInstruction").path("parts")));
        for (JsonNode c : request.path("contents")) {
            words += Texts.words(partsText(c.path("parts")));
        }
        return words;
    }

    private static String finishReason(Behavior b) {
        if (b.finishReason == null || b.finishReason.equals("stop") || b.finishReason.equals("tool_calls")) {
            return "STOP";
        }
        return b.finishReason.equals("length") ? "MAX_TOKENS" : b.finishReason.toUpperCase(Locale.ROOT);
    }

    private ObjectNode usage(Call c) {
        Behavior b = c.behavior;
        int prompt = b.promptTokens >= 0 ? b.promptTokens : promptWords(c.request);
        int completion;
        if (b.completionTokens >= 0) {
            completion = b.completionTokens;
        } else {
            completion = Texts.words(text(c)) + b.reasoningTokens;
            for (ToolCall t : b.toolCalls) {
                completion += Texts.words(t.name()) + Texts.words(t.arguments());
            }
        }
        int thoughts = Math.min(b.reasoningTokens, completion);
        ObjectNode usage = JSON.createObjectNode();
        usage.put("promptTokenCount", prompt);
        usage.put("candidatesTokenCount", completion - thoughts);
        usage.put("totalTokenCount", prompt + completion);
        if (thoughts > 0) {
            usage.put("thoughtsTokenCount", thoughts);
        }
        if (b.cachedTokens > 0) {
            usage.put("cachedContentTokenCount", Math.min(b.cachedTokens, prompt));
        }
        usage.putArray("promptTokensDetails").addObject().put("modality", "TEXT").put("tokenCount", prompt);
        return usage;
    }

    /** One answer object: the text and calls given, with the finish reason when {@code last}. */
    private ObjectNode chunk(Call c, String text, List<ToolCall> calls, boolean last) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode candidate = root.putArray("candidates").addObject();
        ObjectNode content = candidate.putObject("content");
        ArrayNode parts = content.putArray("parts");
        if (!text.isEmpty()) {
            parts.addObject().put("text", text);
        }
        for (ToolCall t : calls) {
            ObjectNode call = parts.addObject().putObject("functionCall");
            call.put("name", t.name());
            JsonNode args = jsonObject(t.arguments());
            call.set("args", args != null ? args : JSON.createObjectNode());
        }
        content.put("role", "model");
        if (last) {
            candidate.put("finishReason", finishReason(c.behavior));
        }
        candidate.put("index", 0);
        root.set("usageMetadata", usage(c));
        root.put("modelVersion", c.behavior.model != null ? c.behavior.model : c.model);
        root.put("responseId", "sim" + c.n);
        return root;
    }

    private static void event(OutputStream out, JsonNode data) throws IOException {
        write(out, "data: " + JSON.writeValueAsString(data) + "\r\n\r\n");
    }

    /**
     * Streams the answer. {@code cutAfter >= 0} stops after that many chunks with no finish reason; with
     * {@code errorEvent} an error object is sent as a data event first.
     */
    private void stream(Call c, int cutAfter, boolean errorEvent) throws IOException {
        Behavior b = c.behavior;
        behaviorHeaders(c.http, b);
        c.http.getResponseHeaders().set("Content-Type", "text/event-stream");
        c.http.sendResponseHeaders(200, 0);
        OutputStream out = c.http.getResponseBody();
        if (b.toolCalls.isEmpty()) {
            List<String> pieces = Texts.split(text(c), b.chunks);
            for (int i = 0; i < pieces.size(); i++) {
                if (cutAfter >= 0 && i >= cutAfter) {
                    break;
                }
                event(out, chunk(c, pieces.get(i), List.of(), cutAfter < 0 && i == pieces.size() - 1));
            }
            if (pieces.isEmpty() && cutAfter < 0) {
                event(out, chunk(c, "", List.of(), true));
            }
        } else if (cutAfter != 0) {
            event(out, chunk(c, "", b.toolCalls, cutAfter < 0)); // Gemini sends calls whole
        }
        if (cutAfter >= 0 && errorEvent) {
            ObjectNode error = JSON.createObjectNode();
            error.putObject("error").put("code", 503).put("message", "The model is overloaded. Please try again later.")
                    .put("status", "UNAVAILABLE");
            event(out, error);
        }
        out.close();
    }

    private static String statusName(int status) {
        return switch (status) {
            case 400 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 409 -> "ABORTED";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 499 -> "CANCELLED";
            case 501 -> "UNIMPLEMENTED";
            case 503 -> "UNAVAILABLE";
            case 504 -> "DEADLINE_EXCEEDED";
            default -> status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION";
        };
    }

    private static String defaultMessage(int status) {
        return switch (status) {
            case 404 -> "models/unknown is not found for API version v1beta, or is not supported for generateContent.";
            case 429 -> "Resource exhausted. Please try again later.";
            case 503 -> "The model is overloaded. Please try again later.";
            default -> status >= 500 ? "An internal error has occurred." : "Request contains an invalid argument.";
        };
    }

    private static void error(HttpExchange exchange, int status, String statusName, String message,
                              boolean apiKeyInvalid) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("code", status).put("message", message).put("status", statusName);
        if (apiKeyInvalid) {
            ObjectNode info = error.putArray("details").addObject();
            info.put("@type", "type.googleapis.com/google.rpc.ErrorInfo");
            info.put("reason", "API_KEY_INVALID");
            info.put("domain", "googleapis.com");
            info.putObject("metadata").put("service", "generativelanguage.googleapis.com");
        }
        send(exchange, status, "application/json; charset=UTF-8", JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(root));
    }

    /**
     * Builds and starts a {@link SimulatedGeminiServer}. Not thread-safe. Defaults: {@link Behavior#ok()}, echo answers,
     * no key required, the system UTC clock.
     */
    public static final class Builder extends ServerBuilder<Builder, SimulatedGeminiServer> {

        private Builder() {
            super("Gemini");
        }

        @Override
        Builder self() {
            return this;
        }

        @Override
        SimulatedGeminiServer create() throws IOException {
            return new SimulatedGeminiServer(this);
        }
    }
}
