package dev.llmmesh.providers.internal;

import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventContext;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import dev.langchain4j.http.client.sse.ServerSentEventParsingHandle;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads newline-delimited JSON (Ollama's streams) as a series of events, one per non-blank line, whatever the network
 * chunking: a line split across reads is joined before it is reported. Stops when the listener's context cancels.
 * Stateless and thread-safe; each {@link #parse} call reads one stream.
 */
public final class NdjsonParser implements ServerSentEventParser {

    @Override
    public void parse(InputStream body, ServerSentEventListener listener) {
        Handle handle = new Handle(body);
        ServerSentEventContext context = new ServerSentEventContext(handle);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String line;
            while (!handle.cancelled && (line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    listener.onEvent(new ServerSentEvent(null, line), context);
                }
            }
        } catch (IOException e) {
            if (!handle.cancelled) {
                throw new UncheckedIOException("NDJSON stream read failed: " + e.getClass().getSimpleName(), e);
            }
        }
    }

    private static final class Handle implements ServerSentEventParsingHandle {
        private final InputStream body;
        private volatile boolean cancelled;

        Handle(InputStream body) {
            this.body = body;
        }

        @Override
        public void cancel() {
            cancelled = true;
            try {
                body.close();
            } catch (IOException e) {
                // the stream is abandoned either way
            }
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }
    }
}
