package dev.llmmesh.providers.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.http.client.HttpMethod;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventContext;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.llmmesh.client.Capability;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.providers.ProviderClientBuilder;
import dev.llmmesh.providers.ForwardingLlmClient;
import dev.llmmesh.providers.internal.AuthHeader;
import dev.llmmesh.providers.internal.MeshHttpClient;
import dev.llmmesh.providers.internal.ModelDefaults;
import dev.llmmesh.providers.internal.ProviderChatClient;
import dev.llmmesh.providers.internal.NdjsonParser;
import dev.llmmesh.providers.internal.OllamaWire;
import dev.llmmesh.providers.internal.ProviderHttpException;
import dev.llmmesh.providers.internal.UsageAccounting;
import dev.llmmesh.providers.internal.WireProtocol;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An {@link LlmClient} for Ollama's native chat API ({@code POST /api/chat}), speaking the wire protocol itself over the
 * mesh's HTTP client. (langchain4j-ollama is not used: its latest release, 1.18.1, lags langchain4j-core 1.19.0, and it
 * never completes, nor fails, a stream whose lines carry no {@code message}, which the mesh cannot accept.) For
 * Ollama's OpenAI-compatible {@code /v1} endpoint use {@link dev.llmmesh.providers.openai.OpenAiClient} with base URL
 * {@code http://localhost:11434/v1}.
 *
 * <pre>{@code
 * OllamaClient llama = OllamaClient.builder("local-llama", "llama3.1:8b").build();   // http://localhost:11434
 * }</pre>
 *
 * <p>Protocol facts, all handled: streaming is NDJSON (one JSON object per line, no SSE, no {@code [DONE]}); the last
 * line has {@code done:true}, {@code done_reason} and the counts; <b>an error after the stream started arrives as a line
 * {@code {"error":"…"}} while the status stays 200</b>, which fails the stream (classified: "not found" is
 * {@link dev.llmmesh.ErrorKind#NOT_FOUND}, anything else {@link dev.llmmesh.ErrorKind#SERVER_ERROR}), never a clean
 * end; a stream that ends without {@code done:true} is a {@link dev.llmmesh.ErrorKind#CONNECTION} error; tool calls come
 * whole, with object arguments and no ids (ids are made up, {@code call_<n>_<i>}); usage counts may be absent (0);
 * errors are {@code {"error":"…"}} with 400/404/429/500/502 statuses.
 *
 * <p>No key by default (a local server); with {@link Builder#apiKey} the key goes as {@code Authorization: Bearer},
 * for an Ollama behind an authenticating proxy.
 *
 * <p>Thread-safe; owns a daemon thread pool for HTTP I/O, released by {@link #close()}.
 */
public final class OllamaClient extends ForwardingLlmClient {
    /** Where requests go when no base URL is configured: a local Ollama. */
    public static final URI DEFAULT_BASE_URL = URI.create("http://localhost:11434");
    private static final Pattern KEEP_ALIVE = Pattern.compile("-1|0|\\d{1,6}(ms|s|m|h)?");

    private final ProviderChatClient delegate;
    private final URI baseUrl;
    private final MeshHttpClient http;
    private final OllamaWire wire = new OllamaWire();
    private final @Nullable Boolean think;
    private final @Nullable String keepAlive;

    private OllamaClient(ProviderClientBuilder.Settings s, @Nullable Boolean think, @Nullable String keepAlive) {
        this.delegate = new ProviderChatClient("OllamaClient", s, WireProtocol.OLLAMA, UsageAccounting.AS_REPORTED,
                new ProviderChatClient.Exchanges() {
                    @Override
                    public ChatResponse send(ChatRequest request) {
                        return OllamaClient.this.send(request);
                    }

                    @Override
                    public void sendStreaming(ChatRequest request, StreamingChatResponseHandler handler) {
                        OllamaClient.this.sendStreaming(request, handler);
                    }
                }, null);
        this.baseUrl = s.baseUrl();
        this.think = think;
        this.keepAlive = keepAlive;
        this.http = MeshHttpClient.builder(baseUrl, s.apiKey(), AuthHeader.BEARER, delegate.runtime().executor())
                .connectTimeout(s.timeout())
                .readTimeout(s.timeout())
                .build();
    }

    /** A builder for a client presenting {@code descriptor}; without a price in it, the built-in table's applies. */
    public static Builder builder(ModelDescriptor descriptor) {
        return new Builder(ModelDefaults.withTablePricing(Objects.requireNonNull(descriptor, "descriptor")));
    }

    /**
     * A builder for deployment {@code id} of Ollama model {@code modelName} (provider {@code ollama}, e.g.
     * {@code llama3.1:8b}), with the built-in table's facts when it lists the model (tags dropped for the lookup).
     *
     * @throws IllegalArgumentException if {@code id} or {@code modelName} is blank
     */
    public static Builder builder(String id, String modelName) {
        return new Builder(ModelDefaults.forModel(id, "ollama", modelName,
                EnumSet.of(Capability.CHAT, Capability.STREAMING, Capability.TOOLS, Capability.JSON_MODE,
                        Capability.JSON_SCHEMA)));
    }

    /** The validated base URL requests go to. */
    public URI baseUrl() {
        return baseUrl;
    }

    private HttpRequest httpRequest(ChatRequest request, boolean stream) {
        return HttpRequest.builder()
                .method(HttpMethod.POST)
                .url(baseUrl + "/api/chat")
                .addHeader("Content-Type", "application/json")
                .addHeader("Accept", stream ? "application/x-ndjson" : "application/json")
                .body(wire.requestBody(request, stream, think, keepAlive))
                .build();
    }

    private ChatResponse send(ChatRequest request) {
        SuccessfulHttpResponse response = http.execute(httpRequest(request, false));
        String body = response.body();
        JsonNode root = OllamaWire.parse(body);
        if (root.has("error")) {
            throw new ProviderHttpException(200, response.headers(), body);
        }
        return OllamaWire.response(root, OllamaWire.content(root), OllamaWire.thinking(root),
                wire.toolCalls(root, wire.nextCall(), 0));
    }

    private void sendStreaming(ChatRequest request, StreamingChatResponseHandler handler) {
        http.execute(httpRequest(request, true), new NdjsonParser(), new Lines(handler, wire.nextCall()));
    }

    /** One stream's lines, accumulated into the final response. */
    private final class Lines implements ServerSentEventListener {
        private final StreamingChatResponseHandler handler;
        private final long call;
        private final StringBuilder text = new StringBuilder();
        private final StringBuilder thinking = new StringBuilder();
        private final List<ToolExecutionRequest> calls = new ArrayList<>();
        private boolean done;

        Lines(StreamingChatResponseHandler handler, long call) {
            this.handler = handler;
            this.call = call;
        }

        @Override
        public void onEvent(ServerSentEvent event, ServerSentEventContext context) {
            if (done) {
                return;
            }
            JsonNode line = OllamaWire.parse(event.data());
            String piece = OllamaWire.content(line);
            if (!piece.isEmpty()) {
                text.append(piece);
                handler.onPartialResponse(new PartialResponse(piece), new PartialResponseContext(
                        new ParsingHandle(context)));
            }
            String thought = OllamaWire.thinking(line);
            if (!thought.isEmpty()) {
                thinking.append(thought);
                handler.onPartialThinking(new PartialThinking(thought));
            }
            for (ToolExecutionRequest r : wire.toolCalls(line, call, calls.size())) {
                handler.onCompleteToolCall(new CompleteToolCall(calls.size(), r));
                calls.add(r);
            }
            if (line.path("done").asBoolean(false)) {
                done = true;
                handler.onCompleteResponse(OllamaWire.response(line, text.toString(), thinking.toString(),
                        List.copyOf(calls)));
            }
        }

        @Override
        public void onError(Throwable error) {
            handler.onError(error);
        }

        @Override
        public void onClose() {
            // without done:true the client's runtime reports the cut when the transport ends
        }
    }

    /** Cancels the NDJSON parsing from a partial-response callback. */
    private static final class ParsingHandle implements StreamingHandle {
        private final ServerSentEventContext context;

        ParsingHandle(ServerSentEventContext context) {
            this.context = context;
        }

        @Override
        public void cancel() {
            context.parsingHandle().cancel();
        }

        @Override
        public boolean isCancelled() {
            return context.parsingHandle().isCancelled();
        }
    }

    @Override
    protected LlmClient delegate() {
        return delegate;
    }

    /**
     * Builds an {@link OllamaClient}; see {@link ProviderClientBuilder} for the shared settings (the key is optional and
     * unusual here). Default base URL {@link #DEFAULT_BASE_URL}. Not thread-safe.
     */
    public static final class Builder extends ProviderClientBuilder<Builder> {
        private @Nullable Boolean think;
        private @Nullable String keepAlive;

        private Builder(ModelDescriptor descriptor) {
            super(descriptor, DEFAULT_BASE_URL);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /** Sends {@code think: on} (thinking models); by default the model decides. */
        public Builder think(boolean on) {
            this.think = on;
            return this;
        }

        /**
         * How long Ollama keeps the model loaded after a call, e.g. {@code 5m}, {@code 0} (unload) or {@code -1}
         * (forever).
         *
         * @throws IllegalArgumentException if it is not a number with an optional unit ms, s, m or h, or -1
         */
        public Builder keepAlive(String keepAlive) {
            Objects.requireNonNull(keepAlive, "keepAlive");
            if (!KEEP_ALIVE.matcher(keepAlive).matches()) {
                throw new IllegalArgumentException("keepAlive must look like 5m, 30s, 0 or -1");
            }
            this.keepAlive = keepAlive;
            return this;
        }

        public OllamaClient build() {
            return new OllamaClient(settings(), think, keepAlive);
        }
    }
}
