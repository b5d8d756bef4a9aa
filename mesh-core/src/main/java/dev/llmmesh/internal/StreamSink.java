package dev.llmmesh.internal;

import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.llmmesh.intercept.StreamTransformer;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The caller's end of a streaming call. Partial text passes through the stream transformers (innermost first) and is
 * then delivered; once any text has been delivered the stream is <em>committed</em> and can no longer fall back.
 */
final class StreamSink {
    private final StreamingChatResponseHandler handler;
    private final StreamingHandle callerHandle;
    private volatile @Nullable StreamingHandle upstream;
    private volatile boolean cancelled;
    private volatile @Nullable Thread worker;
    private List<StreamTransformer> transformers = List.of();
    private int delivered;

    StreamSink(StreamingChatResponseHandler handler) {
        this.handler = handler;
        this.callerHandle = new StreamingHandle() {
            @Override
            public void cancel() {
                StreamSink.this.cancel();
            }

            @Override
            public boolean isCancelled() {
                return cancelled;
            }
        };
    }

    void worker(Thread t) {
        this.worker = t;
    }

    void upstream(StreamingHandle handle) {
        this.upstream = handle;
        if (cancelled) {
            handle.cancel();
        }
    }

    boolean cancelled() {
        return cancelled;
    }

    void cancel() {
        cancelled = true;
        StreamingHandle u = upstream;
        if (u != null) {
            u.cancel();
        }
        Thread w = worker;
        if (w != null) {
            w.interrupt();
        }
    }

    synchronized boolean committed() {
        return delivered > 0;
    }

    synchronized int delivered() {
        return delivered;
    }

    /** Passes {@code text} through {@code chain} (innermost last-registered first) and delivers what comes out. */
    synchronized void partial(String text, List<StreamTransformer> chain) {
        if (cancelled) {
            return;
        }
        this.transformers = chain;
        String out = text;
        for (int i = chain.size() - 1; i >= 0 && !out.isEmpty(); i--) {
            out = chain.get(i).onPartial(out);
        }
        deliver(out);
    }

    /** At the end of the stream: flushes every transformer, outer ones seeing what inner ones release. */
    synchronized void flush() {
        List<StreamTransformer> chain = transformers;
        for (int i = chain.size() - 1; i >= 0; i--) {
            String out = chain.get(i).flush();
            for (int j = i - 1; j >= 0 && !out.isEmpty(); j--) {
                out = chain.get(j).onPartial(out);
            }
            deliver(out);
        }
    }

    /** Delivers text that did not come from a provider stream (an interceptor's own answer). */
    synchronized void deliverWhole(String text) {
        deliver(text);
    }

    void toolCall(PartialToolCall call) {
        handler.onPartialToolCall(call);
    }

    void toolCall(CompleteToolCall call) {
        handler.onCompleteToolCall(call);
    }

    private void deliver(String out) {
        if (out.isEmpty() || cancelled) {
            return;
        }
        delivered++;
        handler.onPartialResponse(new PartialResponse(out), new PartialResponseContext(callerHandle));
    }
}
