package dev.llmmesh.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A real HTTP server on {@code 127.0.0.1} (ephemeral port) that speaks the OpenAI chat-completions wire protocol, with
 * scripted faults. Point any OpenAI-compatible client at {@link #baseUrl()}, an Azure OpenAI client at
 * {@link #azureEndpoint()}. Its {@link Behavior} fault scripts are shared by every {@link SimulatedProvider}.
 *
 * <p>Endpoints:
 * <ul>
 *   <li>{@code POST /v1/chat/completions}: a {@code chat.completion} JSON object, or with {@code "stream": true} a
 *       {@code text/event-stream} of {@code chat.completion.chunk} events (first a role chunk, then content deltas,
 *       then an empty delta with {@code finish_reason}; with {@code stream_options.include_usage} every chunk carries
 *       {@code "usage": null} and one extra chunk with {@code "choices": []} and the usage follows), ending with
 *       {@code data: [DONE]}. Usage includes {@code prompt_tokens_details.cached_tokens} and
 *       {@code completion_tokens_details.reasoning_tokens}; every response carries an {@code x-request-id} header.
 *       Requests without {@code model} or with empty {@code messages} get the real 400 errors.</li>
 *   <li>{@code GET /v1/models}: the configured model list.</li>
 *   <li>Azure: any path ending in {@code /chat/completions} is served the same way, e.g.
 *       {@code /openai/deployments/{deployment}/chat/completions?api-version=…}, and the key is also accepted in an
 *       {@code api-key} header.</li>
 * </ul>
 * With {@link Builder#mistralDialect()} it answers as Mistral does (usage in every stream's finish chunk, whole tool
 * calls with 9-character ids and no {@code type}, {@code num_cached_tokens}).
 * Errors use the OpenAI envelope {@code {"error":{"message","type","param","code"}}}.
 *
 * <p>Each chat-completion request takes the next {@link Behavior} from a queue ({@link #enqueue(Behavior...)}), or the
 * default behaviour once the queue is empty. Answers are deterministic: the text is the behaviour's, else the
 * configured default answer, else {@code "echo: "} followed by the last user message; token counts are
 * whitespace-separated words (prompt: all message contents; completion: the answer, plus any reasoning tokens).
 *
 * <pre>{@code
 * try (SimulatedOpenAiServer server = SimulatedOpenAiServer.start()) {
 *     server.enqueue(Behavior.rateLimited(Duration.ofSeconds(30)), Behavior.ok("hello"));
 *     OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(server.baseUrl().toString())
 *         .apiKey("test").modelName("gpt-4o-mini").maxRetries(0).build();
 *     ...
 *     assertThat(server.requests()).hasSize(2);
 * }
 * }</pre>
 *
 * <p>Every request is recorded ({@link #requests()}): method, path, headers and body. Credential headers
 * ({@code Authorization}, {@code api-key}, {@code x-api-key}, …) are masked in the record and never printed; use
 * {@link RecordedRequest#bearerTokenEquals(String)} to check a key. The server logs nothing.
 *
 * <p>Thread-safe; requests are served concurrently. {@link Behavior#hang()} and latency wait until the server is
 * {@link #close() closed}, which releases them and stops the server. Lifecycle: started by {@link Builder#start()},
 * usable until {@code close()}; not restartable.
 */public final class SimulatedOpenAiServer extends SimulatedServerBase<SimulatedOpenAiServer> {
    private final List<String> models;
    private final boolean mistral;

    private SimulatedOpenAiServer(Builder b) throws IOException {
        super(b.mistral ? "mistral" : "openai", b);
        this.models = List.copyOf(b.models);
        this.mistral = b.mistral;
    }

    /** Starts a server with the defaults (echo answers, model list {@code gpt-4o-mini}, no key required). */
    public static SimulatedOpenAiServer start() {
        return builder().start();
    }

    /** A builder for a server with non-default settings. */
    public static Builder builder() {
        return new Builder();
    }

    /** The base URL OpenAI clients take, e.g. {@code http://127.0.0.1:53124/v1}. */
    @Override
    public URI baseUrl() {
        return url("/v1");
    }

    /**
     * The base URL an Azure OpenAI client takes as its resource endpoint, e.g. {@code http://127.0.0.1:53124}: Azure
     * requests go to {@code /openai/deployments/{deployment}/chat/completions?api-version=…}, which this server also
     * answers, accepting the key in an {@code api-key} header.
     */
    public URI azureEndpoint() {
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
        return path.endsWith("/chat/completions");
    }

    // ------------------------------------------------------------------ request handling

    /** Bearer (OpenAI and its copies) or {@code api-key} (Azure). */
    @Override
    boolean authorized(RecordedRequest request) {
        return super.authorized(request) || apiKey() != null && request.secretHeaderEquals("api-key", apiKey());
    }

    @Override
    void serve(HttpExchange exchange, long n, RecordedRequest request) throws IOException {
        String path = request.path();
        if (isChatPath(path)) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                sendError(exchange, n, 405, "Method not allowed. Use POST.", "invalid_request_error", null, null);
                return;
            }
            chatCompletion(exchange, n, request);
        } else if (path.endsWith("/models")) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                sendError(exchange, n, 405, "Method not allowed. Use GET.", "invalid_request_error", null, null);
                return;
            }
            if (!authorized(request)) {
                sendError(exchange, n, 401, "Incorrect API key provided.", "invalid_request_error", null,
                        "invalid_api_key");
                return;
            }
            modelList(exchange, n);
        } else {
            sendError(exchange, n, 404, "Invalid URL (" + exchange.getRequestMethod() + " " + path + ")",
                    "invalid_request_error", null, null);
        }
    }

    private void chatCompletion(HttpExchange exchange, long n, RecordedRequest request) throws IOException {
        if (!authorized(request)) {
            sendError(exchange, n, 401, "Incorrect API key provided. You can find your API key at "
                    + "https://platform.openai.com/account/api-keys.", "invalid_request_error", null, "invalid_api_key");
            return;
        }
        JsonNode json;
        try {
            json = JSON.readTree(request.body());
        } catch (IOException e) {
            json = null;
        }
        if (json == null || !json.isObject()) {
            sendError(exchange, n, 400, "We could not parse the JSON body of your request. (HINT: This likely means "
                    + "you aren't using your HTTP library correctly.)", "invalid_request_error", null, null);
            return;
        }
        if (!json.path("model").isTextual() || json.path("model").asText().isBlank()) {
            sendError(exchange, n, 400, "you must provide a model parameter", "invalid_request_error", null, null);
            return;
        }
        JsonNode messages = json.path("messages");
        if (!messages.isArray()) {
            sendError(exchange, n, 400, "Missing required parameter: 'messages'.", "invalid_request_error",
                    "messages", "missing_required_parameter");
            return;
        }
        if (messages.isEmpty()) {
            sendError(exchange, n, 400, "Invalid 'messages': empty array. Expected an array with minimum length 1, "
                    + "but got an empty array instead.", "invalid_request_error", "messages", "empty_array");
            return;
        }
        Behavior behavior = honourMaxTokens(nextBehavior(),
                maxTokens(json, "max_completion_tokens", "max_tokens"), lastUserText(messages));
        boolean stream = json.path("stream").asBoolean(false);
        boolean heartbeat = behavior.heartbeat && behavior.kind == Behavior.Kind.ANSWER && !stream
                && !behavior.latency.isZero();
        if (!heartbeat && delay(behavior)) {
            return; // closed while delaying: drop the connection
        }
        boolean includeUsage = json.path("stream_options").path("include_usage").asBoolean(false);
        Exchange x = new Exchange(exchange, n, json, stream, includeUsage, behavior);
        switch (behavior.kind) {
            case ANSWER -> {
                if (stream) {
                    streamAnswer(x, -1, false);
                } else {
                    jsonAnswer(x);
                }
            }
            case ERROR -> sendBehaviorError(x);
            case HANG -> awaitClose(null);
            case CUT -> {
                if (stream) {
                    streamAnswer(x, behavior.cutAfter, false);
                } else {
                    cutJson(x);
                }
            }
            case STREAM_ERROR -> {
                if (stream) {
                    streamAnswer(x, behavior.cutAfter, true);
                } else {
                    sendError(exchange, n, 500, "The server had an error while processing your request. Sorry "
                            + "about that!", "server_error", null, null);
                }
            }
            case MALFORMED -> malformed(x);
        }
    }

    /** Waits until the server closes, or {@code max} passes (forever when null); true if the server closed. */
    private record Exchange(HttpExchange http, long n, JsonNode request, boolean stream, boolean includeUsage,
                            Behavior behavior) {
    }

    private String answerText(Exchange x) {
        return answerText(x.behavior, lastUserText(x.request.path("messages")));
    }

    private static String lastUserText(JsonNode messages) {
        return lastUserText(messages, c -> contentText(c));
    }

    private static String contentText(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder sb = new StringBuilder();
        if (content.isArray()) {
            for (JsonNode part : content) {
                if ("text".equals(part.path("type").asText())) {
                    if (sb.length() > 0) {
                        sb.append(' ');
                    }
                    sb.append(part.path("text").asText());
                }
            }
        }
        return sb.toString();
    }

    private static int promptWords(JsonNode messages) {
        int words = 0;
        for (JsonNode m : messages) {
            words += Texts.words(contentText(m.path("content")));
            for (JsonNode call : m.path("tool_calls")) {
                words += Texts.words(call.path("function").path("name").asText(""))
                        + Texts.words(call.path("function").path("arguments").asText(""));
            }
        }
        return words;
    }

    private ObjectNode usage(Exchange x, String answer) {
        Behavior b = x.behavior;
        int prompt = b.promptTokens >= 0 ? b.promptTokens : promptWords(x.request.path("messages"));
        int completion;
        if (b.completionTokens >= 0) {
            completion = b.completionTokens;
        } else {
            int out = Texts.words(answer);
            for (ToolCall c : b.toolCalls) {
                out += Texts.words(c.name()) + Texts.words(c.arguments());
            }
            completion = out + b.reasoningTokens;
        }
        ObjectNode usage = JSON.createObjectNode();
        usage.put("prompt_tokens", prompt);
        usage.put("completion_tokens", completion);
        usage.put("total_tokens", prompt + completion);
        if (mistral) {
            usage.put("num_cached_tokens", Math.min(b.cachedTokens, prompt));
            return usage;
        }
        ObjectNode promptDetails = usage.putObject("prompt_tokens_details");
        promptDetails.put("cached_tokens", Math.min(b.cachedTokens, prompt));
        promptDetails.put("audio_tokens", 0);
        ObjectNode completionDetails = usage.putObject("completion_tokens_details");
        completionDetails.put("reasoning_tokens", Math.min(b.reasoningTokens, completion));
        completionDetails.put("audio_tokens", 0);
        completionDetails.put("accepted_prediction_tokens", 0);
        completionDetails.put("rejected_prediction_tokens", 0);
        return usage;
    }

    private String model(Exchange x) {
        return x.behavior.model != null ? x.behavior.model : x.request.path("model").asText();
    }

    private String completionId(long n) {
        return "chatcmpl-sim" + String.format(Locale.ROOT, "%020d", n);
    }

    private static String requestId(long n) {
        return "req_" + String.format(Locale.ROOT, "%032x", n);
    }

    private String finishReason(Exchange x) {
        if (x.behavior.finishReason != null) {
            return x.behavior.finishReason;
        }
        return x.behavior.toolCalls.isEmpty() ? "stop" : "tool_calls";
    }

    private String toolCallId(long n, int index) {
        if (mistral) {
            return String.format(Locale.ROOT, "M%05dx%02d", n % 100_000, index % 100); // 9 characters, no type
        }
        return "call_sim" + n + "x" + index;
    }

    private void jsonAnswer(Exchange x) throws IOException {
        Behavior b = x.behavior;
        String text = b.toolCalls.isEmpty() ? answerText(x) : "";
        ObjectNode root = JSON.createObjectNode();
        root.put("id", completionId(x.n));
        root.put("object", "chat.completion");
        root.put("created", clock().instant().getEpochSecond());
        root.put("model", model(x));
        ArrayNode choices = root.putArray("choices");
        ObjectNode choice = choices.addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        if (b.toolCalls.isEmpty()) {
            message.put("content", text);
        } else {
            if (mistral) {
                message.put("content", "");
            } else {
                message.putNull("content");
            }
            ArrayNode calls = message.putArray("tool_calls");
            for (int i = 0; i < b.toolCalls.size(); i++) {
                ToolCall c = b.toolCalls.get(i);
                ObjectNode call = calls.addObject();
                call.put("id", toolCallId(x.n, i));
                if (!mistral) {
                    call.put("type", "function");
                }
                ObjectNode fn = call.putObject("function");
                fn.put("name", c.name());
                fn.put("arguments", c.arguments());
            }
        }
        message.putNull("refusal");
        message.putArray("annotations");
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason(x));
        root.set("usage", usage(x, text));
        root.put("service_tier", "default");
        root.putNull("system_fingerprint");
        byte[] bytes = JSON.writeValueAsBytes(root);
        commonHeaders(x.http, x.n, b);
        x.http.getResponseHeaders().set("Content-Type", "application/json");
        x.http.getResponseHeaders().set("openai-processing-ms", String.valueOf(b.latency.toMillis()));
        x.http.getResponseHeaders().set("openai-version", "2020-10-01");
        if (!b.heartbeat || b.latency.isZero()) {
            x.http.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = x.http.getResponseBody()) {
                out.write(bytes);
            }
            return;
        }
        x.http.sendResponseHeaders(200, 0); // chunked: the heartbeats go first
        OutputStream out = x.http.getResponseBody();
        if (!heartbeats(out, b.latency)) {
            return;
        }
        try (out) {
            out.write(bytes);
        }
    }

    private void cutJson(Exchange x) throws IOException {
        byte[] bytes = ("{\"id\":\"" + completionId(x.n) + "\",\"object\":\"chat.completion\",\"created\":"
                + clock().instant().getEpochSecond() + ",\"model\":\"" + model(x) + "\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"").getBytes(StandardCharsets.UTF_8);
        commonHeaders(x.http, x.n, x.behavior);
        x.http.getResponseHeaders().set("Content-Type", "application/json");
        // announce a longer body than is sent: the connection closes early, as when the upstream dies mid-body
        x.http.sendResponseHeaders(200, bytes.length * 4L);
        OutputStream out = x.http.getResponseBody();
        out.write(bytes);
        out.flush();
        throw new IOException("scripted cut"); // the exchange closes with bytes missing
    }

    private void malformed(Exchange x) throws IOException {
        commonHeaders(x.http, x.n, x.behavior);
        byte[] bytes;
        if (x.stream) {
            x.http.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            bytes = ("data: {\"id\":\"" + completionId(x.n) + "\",\"object\":\"chat.completion.chunk\",\"choices\":[{"
                    + "\n\n").getBytes(StandardCharsets.UTF_8);
        } else {
            x.http.getResponseHeaders().set("Content-Type", "application/json");
            bytes = ("{\"id\":\"" + completionId(x.n) + "\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
                    + "\"message\":{\"role\":\"assistant\",\"content\":\"unterminated}]")
                    .getBytes(StandardCharsets.UTF_8);
        }
        x.http.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = x.http.getResponseBody()) {
            out.write(bytes);
        }
    }

    /**
     * Streams the answer. {@code cutAfter >= 0} stops after that many content chunks with no finish reason, no usage
     * and no {@code [DONE]}; with {@code errorEvent} an error object is sent as a data event before the stream ends.
     */
    private void streamAnswer(Exchange x, int cutAfter, boolean errorEvent) throws IOException {
        Behavior b = x.behavior;
        commonHeaders(x.http, x.n, b);
        x.http.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        x.http.getResponseHeaders().set("openai-version", "2020-10-01");
        x.http.sendResponseHeaders(200, 0);
        OutputStream out = x.http.getResponseBody();
        String text = b.toolCalls.isEmpty() ? answerText(x) : "";
        long created = clock().instant().getEpochSecond();

        ObjectNode first = chunk(x, created);
        ObjectNode delta = ((ObjectNode) first.withArray("choices").get(0)).putObject("delta");
        delta.put("role", "assistant");
        if (b.toolCalls.isEmpty()) {
            delta.put("content", "");
        } else {
            delta.putNull("content");
        }
        delta.putNull("refusal");
        event(out, first);

        int sent = 0;
        if (b.toolCalls.isEmpty()) {
            for (String piece : Texts.split(text, b.chunks)) {
                if (cutAfter >= 0 && sent >= cutAfter) {
                    break;
                }
                if (sent > 0 && !b.chunkInterval.isZero() && awaitClose(b.chunkInterval)) {
                    return; // closed while pacing the stream: drop the connection
                }
                ObjectNode c = chunk(x, created);
                ((ObjectNode) c.withArray("choices").get(0)).putObject("delta").put("content", piece);
                event(out, c);
                sent++;
            }
        } else if (mistral) {
            if (cutAfter < 0 || cutAfter > 0) {
                ObjectNode whole = chunk(x, created);
                ArrayNode calls = ((ObjectNode) whole.withArray("choices").get(0)).putObject("delta")
                        .put("content", "").putArray("tool_calls");
                for (int i = 0; i < b.toolCalls.size(); i++) {
                    ToolCall call = b.toolCalls.get(i);
                    ObjectNode tc = calls.addObject();
                    tc.put("id", toolCallId(x.n, i));
                    tc.putObject("function").put("name", call.name()).put("arguments", call.arguments());
                    tc.put("index", i);
                }
                event(out, whole);
                sent++;
            }
        } else {
            for (int i = 0; i < b.toolCalls.size(); i++) {
                ToolCall call = b.toolCalls.get(i);
                ObjectNode head = chunk(x, created);
                ObjectNode tc = ((ObjectNode) head.withArray("choices").get(0)).putObject("delta")
                        .putArray("tool_calls").addObject();
                tc.put("index", i);
                tc.put("id", toolCallId(x.n, i));
                tc.put("type", "function");
                tc.putObject("function").put("name", call.name()).put("arguments", "");
                event(out, head);
                for (String fragment : fragments(call.arguments(), b.chunks > 0 ? b.chunks : 4)) {
                    if (cutAfter >= 0 && sent >= cutAfter) {
                        break;
                    }
                    ObjectNode c = chunk(x, created);
                    ObjectNode part = ((ObjectNode) c.withArray("choices").get(0)).putObject("delta")
                            .putArray("tool_calls").addObject();
                    part.put("index", i);
                    part.putObject("function").put("arguments", fragment);
                    event(out, c);
                    sent++;
                }
            }
        }
        if (cutAfter >= 0) {
            if (errorEvent) {
                ObjectNode error = JSON.createObjectNode();
                ObjectNode e = error.putObject("error");
                e.put("message", "The server had an error while processing your request. Sorry about that!");
                e.put("type", "server_error");
                e.putNull("param");
                e.putNull("code");
                event(out, error);
            }
            out.close(); // no finish_reason, no [DONE]
            return;
        }
        ObjectNode finish = chunk(x, created);
        ObjectNode choice = (ObjectNode) finish.withArray("choices").get(0);
        choice.putObject("delta");
        choice.put("finish_reason", finishReason(x));
        if (mistral) {
            finish.set("usage", usage(x, text)); // Mistral: in the finish chunk, unasked
        }
        event(out, finish);
        if (x.includeUsage && !mistral) {
            ObjectNode usage = chunk(x, created);
            usage.putArray("choices");
            usage.set("usage", usage(x, text));
            event(out, usage);
        }
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        out.close();
    }

    private ObjectNode chunk(Exchange x, long created) {
        ObjectNode c = JSON.createObjectNode();
        c.put("id", completionId(x.n));
        c.put("object", "chat.completion.chunk");
        c.put("created", created);
        c.put("model", model(x));
        c.put("service_tier", "default");
        c.putNull("system_fingerprint");
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putNull("logprobs");
        choice.putNull("finish_reason");
        if (x.includeUsage) {
            c.putNull("usage");
        }
        return c;
    }

    private static void event(OutputStream out, JsonNode data) throws IOException {
        out.write(("data: " + JSON.writeValueAsString(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void sendBehaviorError(Exchange x) throws IOException {
        Behavior b = x.behavior;
        byte[] bytes;
        if (b.body != null) {
            bytes = b.body.getBytes(StandardCharsets.UTF_8);
        } else {
            ErrorDefaults d = ErrorDefaults.of(b.status);
            bytes = errorBody(b.errorMessage != null ? b.errorMessage : d.message,
                    b.errorType != null ? b.errorType : d.type, b.errorParam,
                    b.errorCode != null ? b.errorCode : d.code);
        }
        commonHeaders(x.http, x.n, b);
        if (!x.http.getResponseHeaders().containsKey("Content-Type")) {
            x.http.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        }
        x.http.sendResponseHeaders(b.status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = x.http.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private void sendError(HttpExchange exchange, long n, int status, String message, String type,
                           @Nullable String param, @Nullable String code) throws IOException {
        byte[] bytes = errorBody(message, type, param, code);
        exchange.getResponseHeaders().set("x-request-id", requestId(n));
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static byte[] errorBody(String message, String type, @Nullable String param, @Nullable String code) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", type);
        if (param == null) {
            error.putNull("param");
        } else {
            error.put("param", param);
        }
        if (code == null) {
            error.putNull("code");
        } else {
            error.put("code", code);
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void commonHeaders(HttpExchange exchange, long n, Behavior b) {
        exchange.getResponseHeaders().set("x-request-id", requestId(n));
        b.headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    }

    private void modelList(HttpExchange exchange, long n) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        long created = clock().instant().getEpochSecond();
        for (String m : models) {
            ObjectNode model = data.addObject();
            model.put("id", m);
            model.put("object", "model");
            model.put("created", created);
            model.put("owned_by", "system");
        }
        byte[] bytes = JSON.writeValueAsBytes(root);
        exchange.getResponseHeaders().set("x-request-id", requestId(n));
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private record ErrorDefaults(String message, String type, @Nullable String code) {
        static ErrorDefaults of(int status) {
            return switch (status) {
                case 400 -> new ErrorDefaults("Invalid request.", "invalid_request_error", null);
                case 401 -> new ErrorDefaults("Incorrect API key provided.", "invalid_request_error",
                        "invalid_api_key");
                case 403 -> new ErrorDefaults("You are not allowed to sample from this model.",
                        "invalid_request_error", null);
                case 404 -> new ErrorDefaults("The model does not exist or you do not have access to it.",
                        "invalid_request_error", "model_not_found");
                case 408 -> new ErrorDefaults("Request timed out.", "timeout", null);
                case 429 -> new ErrorDefaults("Rate limit reached for requests per min (RPM). Please try again "
                        + "later.", "requests", "rate_limit_exceeded");
                case 500 -> new ErrorDefaults("The server had an error while processing your request. Sorry about "
                        + "that!", "server_error", null);
                case 502, 503 -> new ErrorDefaults("The engine is currently overloaded, please try again later.",
                        "server_error", null);
                default -> status >= 500
                        ? new ErrorDefaults("The server had an error while processing your request.", "server_error",
                        null)
                        : new ErrorDefaults("Invalid request.", "invalid_request_error", null);
            };
        }
    }

    /** One scripted tool call: the function name and its JSON arguments (sent as a string, as OpenAI does). */
    public record ToolCall(String name, String arguments) {
        public ToolCall {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(arguments, "arguments");
            if (name.isBlank()) {
                throw new IllegalArgumentException("tool call name must not be blank");
            }
        }
    }

    /**
     * What the server does with one chat-completion request. Immutable: every modifier returns a new behaviour.
     * Thread-safe; one behaviour may be enqueued many times.
     */
    public static final class Behavior {
        enum Kind { ANSWER, ERROR, HANG, CUT, STREAM_ERROR, MALFORMED }

        final Kind kind;
        @Nullable String text;
        List<ToolCall> toolCalls = List.of();
        int status = 200;
        Map<String, String> headers = Map.of();
        @Nullable String body;
        @Nullable String errorType;
        @Nullable String errorCode;
        @Nullable String errorMessage;
        @Nullable String errorParam;
        Duration latency = Duration.ZERO;
        Duration chunkInterval = Duration.ZERO;
        int promptTokens = -1;
        int completionTokens = -1;
        int cachedTokens;
        int reasoningTokens;
        @Nullable String finishReason;
        @Nullable String model;
        int chunks;
        int cutAfter = -1;
        boolean heartbeat;

        private Behavior(Kind kind) {
            this.kind = kind;
        }

        private Behavior copy() {
            return copyAs(kind);
        }

        private Behavior copyAs(Kind newKind) {
            Behavior b = new Behavior(newKind);
            b.text = text;
            b.toolCalls = toolCalls;
            b.status = status;
            b.headers = headers;
            b.body = body;
            b.errorType = errorType;
            b.errorCode = errorCode;
            b.errorMessage = errorMessage;
            b.errorParam = errorParam;
            b.latency = latency;
            b.chunkInterval = chunkInterval;
            b.promptTokens = promptTokens;
            b.completionTokens = completionTokens;
            b.cachedTokens = cachedTokens;
            b.reasoningTokens = reasoningTokens;
            b.finishReason = finishReason;
            b.model = model;
            b.chunks = chunks;
            b.cutAfter = cutAfter;
            b.heartbeat = heartbeat;
            return b;
        }

        /** Answers with the server's default text (configured, or {@code "echo: <last user message>"}). */
        public static Behavior ok() {
            return new Behavior(Kind.ANSWER);
        }

        /** Answers with {@code text}. */
        public static Behavior ok(String text) {
            Behavior b = new Behavior(Kind.ANSWER);
            b.text = Objects.requireNonNull(text, "text");
            return b;
        }

        /** Answers with one tool call ({@code content: null}, {@code finish_reason: "tool_calls"}). */
        public static Behavior toolCall(String name, String argumentsJson) {
            return new Behavior(Kind.ANSWER).withToolCall(name, argumentsJson);
        }

        /** Answers with the default text after a real delay of {@code latency} (opt-in; the server waits). */
        public static Behavior latency(Duration latency) {
            return ok().withLatency(latency);
        }

        /**
         * Fails with HTTP {@code status} and an OpenAI error envelope typical for it (429: {@code rate_limit_exceeded},
         * 401: {@code invalid_api_key}, 404: {@code model_not_found}, 5xx: {@code server_error}, …). Change it with
         * {@link #error}, {@link #body(String)} and {@link #header(String, String)}.
         *
         * @throws IllegalArgumentException if {@code status} is not in [400, 599]
         */
        public static Behavior status(int status) {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("status must be an HTTP error status in [400, 599], got " + status
                        + "; use ok(..) for answers");
            }
            Behavior b = new Behavior(Kind.ERROR);
            b.status = status;
            return b;
        }

        /** HTTP 429 {@code rate_limit_exceeded} with {@code retry-after} in whole seconds (rounded up). */
        public static Behavior rateLimited(Duration retryAfter) {
            Objects.requireNonNull(retryAfter, "retryAfter");
            if (retryAfter.isNegative()) {
                throw new IllegalArgumentException("retryAfter must be >= 0, got " + retryAfter);
            }
            long seconds = retryAfter.getSeconds() + (retryAfter.getNano() > 0 ? 1 : 0);
            return status(429).header("retry-after", String.valueOf(seconds));
        }

        /** HTTP 429 {@code insufficient_quota}: out of credit, a 429 that does not clear with time. */
        public static Behavior insufficientQuota() {
            return status(429).error("insufficient_quota", "insufficient_quota", "You exceeded your current quota, "
                    + "please check your plan and billing details.");
        }

        /** HTTP 400 {@code context_length_exceeded}. */
        public static Behavior contextLengthExceeded() {
            Behavior b = status(400).error("invalid_request_error", "context_length_exceeded", "This model's maximum "
                    + "context length is 128000 tokens. However, your messages resulted in 130000 tokens. Please "
                    + "reduce the length of the messages.");
            b.errorParam = "messages";
            return b;
        }

        /** Never answers: the request waits until the server is closed, then the connection drops. */
        public static Behavior hang() {
            return new Behavior(Kind.HANG);
        }

        /**
         * This answer, cut: for a streaming request, a role chunk and {@code n} content chunks of this answer's text,
         * then the stream ends with no {@code finish_reason}, no usage and no {@code [DONE]}; for a non-streaming
         * request, the connection closes in the middle of the JSON body. {@code Behavior.ok("x y z").streamCutAfter(2)}
         * streams "x" and "y"; {@code Behavior.ok().streamCutAfter(2)} the server's default text.
         *
         * @throws IllegalArgumentException if {@code n < 0}
         * @throws IllegalStateException if this is not an answer
         */
        public Behavior streamCutAfter(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("n must be >= 0, got " + n);
            }
            requireKind(Kind.ANSWER, "streamCutAfter");
            Behavior b = copyAs(Kind.CUT);
            b.cutAfter = n;
            return b;
        }

        /**
         * This answer, failing mid-stream: for a streaming request, {@code n} content chunks of this answer's text,
         * then a {@code data: {"error":{...}}} event inside the 200 stream, then the stream ends; for a non-streaming
         * request, HTTP 500.
         *
         * @throws IllegalArgumentException if {@code n < 0}
         * @throws IllegalStateException if this is not an answer
         */
        public Behavior streamErrorAfter(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("n must be >= 0, got " + n);
            }
            requireKind(Kind.ANSWER, "streamErrorAfter");
            Behavior b = copyAs(Kind.STREAM_ERROR);
            b.cutAfter = n;
            return b;
        }

        /** HTTP 200 with a body that is not valid JSON (for a stream: a data event that is not valid JSON). */
        public static Behavior malformed() {
            return new Behavior(Kind.MALFORMED);
        }

        /** This behaviour, also answering with a tool call (for answers only). */
        public Behavior withToolCall(String name, String argumentsJson) {
            requireKind(Kind.ANSWER, "withToolCall");
            Behavior b = copy();
            List<ToolCall> calls = new ArrayList<>(toolCalls);
            calls.add(new ToolCall(name, argumentsJson));
            b.toolCalls = List.copyOf(calls);
            return b;
        }

        /** This behaviour, with a response header (set, replacing one of the same name). */
        public Behavior header(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            Behavior b = copy();
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            b.headers = Collections.unmodifiableMap(h);
            return b;
        }

        /** This error, with {@code body} sent verbatim instead of the envelope (errors only). */
        public Behavior body(String body) {
            requireKind(Kind.ERROR, "body");
            Behavior b = copy();
            b.body = Objects.requireNonNull(body, "body");
            return b;
        }

        /** This error, with the envelope's {@code type}, {@code code} (nullable) and {@code message} (errors only). */
        public Behavior error(String type, @Nullable String code, String message) {
            requireKind(Kind.ERROR, "error");
            Behavior b = copy();
            b.errorType = Objects.requireNonNull(type, "type");
            b.errorCode = code;
            b.errorMessage = Objects.requireNonNull(message, "message");
            return b;
        }

        /**
         * This behaviour, after a real server-side delay (opt-in). Closing the server ends the wait.
         *
         * @throws IllegalArgumentException if {@code latency} is negative
         */
        public Behavior withLatency(Duration latency) {
            Objects.requireNonNull(latency, "latency");
            if (latency.isNegative()) {
                throw new IllegalArgumentException("latency must be >= 0, got " + latency);
            }
            Behavior b = copy();
            b.latency = latency;
            return b;
        }

        /**
         * This behaviour, keeping its latency alive on the wire: a JSON (non-streaming) answer of
         * {@link SimulatedOpenAiServer} sends its 200 headers at once and then a space every 20 ms until the latency
         * has passed (JSON allows leading whitespace), then the answer. A heartbeat that cannot be written means the
         * client closed the connection: the server counts it ({@link SimulatedProvider#clientDisconnects()}) and
         * drops the exchange. That is how a test sees that a cancelled call really aborted its HTTP exchange. Other
         * behaviours, streamed answers and the other simulators ignore it.
         */
        public Behavior withHeartbeat() {
            Behavior b = copy();
            b.heartbeat = true;
            return b;
        }

        /**
         * This answer, reporting these token counts instead of counted words ({@code completion} includes reasoning
         * tokens, as OpenAI counts them).
         *
         * @throws IllegalArgumentException if a count is negative
         */
        public Behavior usage(int prompt, int completion) {
            if (prompt < 0 || completion < 0) {
                throw new IllegalArgumentException("token counts must be >= 0, got prompt=" + prompt
                        + ", completion=" + completion);
            }
            Behavior b = copy();
            b.promptTokens = prompt;
            b.completionTokens = completion;
            return b;
        }

        /**
         * This answer, reporting {@code n} prompt tokens served from the prompt cache (capped at the prompt tokens).
         *
         * @throws IllegalArgumentException if {@code n < 0}
         */
        public Behavior cachedTokens(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("cachedTokens must be >= 0, got " + n);
            }
            Behavior b = copy();
            b.cachedTokens = n;
            return b;
        }

        /**
         * This answer, reporting {@code n} reasoning tokens (counted inside completion tokens).
         *
         * @throws IllegalArgumentException if {@code n < 0}
         */
        public Behavior reasoningTokens(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("reasoningTokens must be >= 0, got " + n);
            }
            Behavior b = copy();
            b.reasoningTokens = n;
            return b;
        }

        /** This answer, with {@code finish_reason} {@code reason} (e.g. {@code length}, {@code content_filter}). */
        public Behavior finishReason(String reason) {
            Behavior b = copy();
            b.finishReason = Objects.requireNonNull(reason, "reason");
            return b;
        }

        /** This answer, naming {@code model} in the response (default: the requested model). */
        public Behavior model(String model) {
            Behavior b = copy();
            b.model = Objects.requireNonNull(model, "model");
            return b;
        }

        /**
         * This answer, streamed in {@code n} content chunks split at word boundaries (default: one per word).
         *
         * @throws IllegalArgumentException if {@code n < 1}
         */
        public Behavior chunks(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("chunks must be >= 1, got " + n);
            }
            Behavior b = copy();
            b.chunks = n;
            return b;
        }

        /**
         * This behaviour, streamed with a real pause of {@code interval} between content chunks (opt-in; the first
         * content chunk is not delayed). Closing the server ends the wait.
         *
         * @throws IllegalArgumentException if {@code interval} is negative
         */
        public Behavior chunkInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative()) {
                throw new IllegalArgumentException("chunkInterval must be >= 0, got " + interval);
            }
            Behavior b = copy();
            b.chunkInterval = interval;
            return b;
        }

        /** This behaviour within an output limit; see {@code SimulatedServerBase#honourMaxTokens}. */
        Behavior cappedTo(int maxTokens, String fullText) {
            if (kind != Kind.ANSWER && kind != Kind.CUT && kind != Kind.STREAM_ERROR) {
                return this;
            }
            boolean textOver = toolCalls.isEmpty() && Texts.words(fullText) > maxTokens;
            boolean countOver = completionTokens > maxTokens;
            if (!textOver && !countOver) {
                return this;
            }
            Behavior b = copy();
            if (textOver) {
                b.text = Texts.firstWords(fullText, maxTokens);
                if (b.finishReason == null) {
                    b.finishReason = "length";
                }
            }
            if (countOver) {
                b.completionTokens = maxTokens;
            }
            return b;
        }

        private void requireKind(Kind expected, String method) {
            if (kind != expected) {
                throw new IllegalStateException(method + "(..) applies to " + expected.name().toLowerCase(Locale.ROOT)
                        + " behaviours, not " + kind.name().toLowerCase(Locale.ROOT));
            }
        }

        @Override
        public String toString() {
            return "Behavior[" + kind.name().toLowerCase(Locale.ROOT) + (kind == Kind.ERROR ? " " + status : "")
                    + (latency.isZero() ? "" : ", latency=" + latency) + (heartbeat ? ", heartbeat" : "") + (cutAfter >= 0 ? ", after=" + cutAfter : "")
                    + "]";
        }
    }

    /**
     * One request as the server received it. Credential headers are masked in {@link #headers()} and
     * {@link #toString()}; {@link #bearerTokenEquals(String)} checks a key without exposing it. Immutable.
     */
    public static final class RecordedRequest {
        private final long sequence;
        private final String method;
        private final String path;
        private final Optional<String> query;
        private final Map<String, List<String>> headers;
        private final String body;
        private final Map<String, List<String>> secrets;

        RecordedRequest(long sequence, String method, String path, Optional<String> query,
                        Map<String, List<String>> headers, String body, Map<String, List<String>> secrets) {
            this.sequence = sequence;
            this.method = method;
            this.path = path;
            this.query = query;
            this.headers = headers;
            this.body = body;
            this.secrets = secrets;
        }

        /** 1 for the server's first request, then 2, 3, … */
        public long sequence() {
            return sequence;
        }

        /** The HTTP method, e.g. {@code POST}. */
        public String method() {
            return method;
        }

        /** The path without the query, e.g. {@code /v1/chat/completions}. */
        public String path() {
            return path;
        }

        /** The raw query string, if the URL had one. */
        public Optional<String> query() {
            return query;
        }

        /** Headers by lower-case name; credential headers have the value {@code ***}. */
        public Map<String, List<String>> headers() {
            return headers;
        }

        /** The first value of header {@code name} (any case); credential headers read {@code ***}. */
        public Optional<String> header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
        }

        /** The request body as text. */
        public String body() {
            return body;
        }

        /**
         * The body parsed as JSON.
         *
         * @throws IllegalStateException if the body is not JSON
         */
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("request " + sequence + " body is not JSON", e);
            }
        }

        /**
         * Whether this was a streaming chat request: {@code "stream": true} in the body, or Gemini's
         * {@code :streamGenerateContent} path.
         */
        public boolean isStreaming() {
            if (path.endsWith(":streamGenerateContent")) {
                return true;
            }
            try {
                return JSON.readTree(body).path("stream").asBoolean(false);
            } catch (IOException e) {
                return false;
            }
        }

        /** Whether the request carried {@code Authorization: Bearer <key>}; compared in constant time. */
        public boolean bearerTokenEquals(String key) {
            Objects.requireNonNull(key, "key");
            return secretHeaderEquals("Authorization", "Bearer " + key);
        }

        /**
         * Whether credential header {@code name} (e.g. {@code x-api-key}) carried exactly {@code value}, once; compared
         * in constant time.
         */
        public boolean secretHeaderEquals(String name, String value) {
            Objects.requireNonNull(value, "value");
            List<String> v = secrets.get(name.toLowerCase(Locale.ROOT));
            if (v == null || v.size() != 1) {
                return false;
            }
            return MessageDigest.isEqual(v.get(0).getBytes(StandardCharsets.UTF_8),
                    value.getBytes(StandardCharsets.UTF_8));
        }

        /** Whether the request carried an {@code Authorization} header at all. */
        public boolean hasAuthorization() {
            return secrets.containsKey("authorization");
        }

        /** The names (lower case) of the credential headers the request carried; their values are never exposed. */
        public java.util.Set<String> credentialHeaders() {
            return secrets.keySet();
        }

        /**
         * Whether {@code text} occurs anywhere in the request except the credential headers' values: path, query, body,
         * other headers. For checking that a key travels only in its header.
         */
        public boolean mentionsOutsideCredentials(String text) {
            Objects.requireNonNull(text, "text");
            return path.contains(text) || query.map(q -> q.contains(text)).orElse(false) || body.contains(text)
                    || headers.toString().contains(text);
        }

        @Override
        public String toString() {
            return "RecordedRequest[#" + sequence + " " + method + " " + path + query.map(q -> "?" + q).orElse("")
                    + ", headers=" + headers + ", body=" + body.length() + " chars]";
        }
    }

    /**
     * Builds and starts a {@link SimulatedOpenAiServer}. Not thread-safe.
     *
     * <p>Defaults: default behaviour {@link Behavior#ok()}, echo answers, model list {@code gpt-4o-mini}, no key
     * required, the system UTC clock for {@code created}.
     */
    public static final class Builder extends ServerBuilder<Builder, SimulatedOpenAiServer> {
        private List<String> models = List.of("gpt-4o-mini");
        private boolean mistral;

        private Builder() {
            super("OpenAI");
        }

        @Override
        Builder self() {
            return this;
        }

        @Override
        SimulatedOpenAiServer create() throws IOException {
            return new SimulatedOpenAiServer(this);
        }

        /**
         * The model ids {@code GET /v1/models} lists (chat requests accept any model).
         *
         * @throws IllegalArgumentException if none is given or one is blank
         */
        public Builder models(String... models) {
            if (models.length == 0) {
                throw new IllegalArgumentException("models needs at least one model id");
            }
            for (String m : models) {
                if (m == null || m.isBlank()) {
                    throw new IllegalArgumentException("model ids must not be blank");
                }
            }
            this.models = List.of(models);
            return this;
        }

        /**
         * Speaks Mistral's dialect of the protocol, as recorded from {@code api.mistral.ai}: usage (with
         * {@code num_cached_tokens} instead of {@code prompt_tokens_details}) in every stream's finish chunk, unasked;
         * tool calls streamed whole in one chunk; 9-character tool-call ids without a {@code type}; {@code content: ""}
         * beside tool calls.
         */
        public Builder mistralDialect() {
            this.mistral = true;
            return this;
        }
    }
}
