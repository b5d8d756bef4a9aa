package dev.llmmesh.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventContext;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NdjsonParserTest {

    /** Hands out one byte per read, so every line (and every UTF-8 sequence) is split across reads. */
    private static InputStream trickle(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(1, len));
            }
        };
    }

    @Test
    void reportsOneEventPerLineWhateverTheChunkingAndSkipsBlankLines() {
        List<String> lines = new ArrayList<>();
        new NdjsonParser().parse(trickle("{\"a\":\"é\"}\n\n{\"b\":2}\r\n{\"c\":3}"), new ServerSentEventListener() {
            @Override
            public void onEvent(ServerSentEvent event, ServerSentEventContext context) {
                lines.add(event.data());
            }

            @Override
            public void onError(Throwable error) {
                lines.add("error");
            }
        });

        assertThat(lines).containsExactly("{\"a\":\"é\"}", "{\"b\":2}", "{\"c\":3}");
    }

    @Test
    void cancellingFromAnEventStopsTheParsing() {
        List<String> lines = new ArrayList<>();
        new NdjsonParser().parse(trickle("{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n"), new ServerSentEventListener() {
            @Override
            public void onEvent(ServerSentEvent event, ServerSentEventContext context) {
                lines.add(event.data());
                context.parsingHandle().cancel();
            }

            @Override
            public void onError(Throwable error) {
                lines.add("error");
            }
        });

        assertThat(lines).containsExactly("{\"a\":1}");
    }
}
