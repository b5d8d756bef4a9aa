package dev.llmmesh.providers.internal;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The cancel switch of one streaming call, handed from the provider client to {@link MeshHttpClient} across
 * langchain4j (which calls the HTTP client synchronously on the caller's thread, so a thread-local carries it).
 * Cancelling aborts the HTTP exchange whether or not the response has started. Thread-safe.
 */
public final class StreamCancellation {
    private static final ThreadLocal<StreamCancellation> CURRENT = new ThreadLocal<>();

    private volatile boolean cancelled;
    private volatile @Nullable Future<?> exchange;
    private volatile @Nullable Closeable body;

    /** Runs {@code call} with this switch visible to {@link MeshHttpClient} on the current thread. */
    public <T> T bind(Supplier<T> call) {
        StreamCancellation previous = CURRENT.get();
        CURRENT.set(this);
        try {
            return call.get();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    static @Nullable StreamCancellation current() {
        return CURRENT.get();
    }

    /** Aborts the exchange and closes the response body, now or as soon as they exist. Idempotent. */
    public void cancel() {
        cancelled = true;
        abort();
    }

    public boolean isCancelled() {
        return cancelled;
    }

    void exchange(Future<?> f) {
        this.exchange = f;
        if (cancelled) {
            abort();
        }
    }

    void body(Closeable c) {
        this.body = c;
        if (cancelled) {
            abort();
        }
    }

    private void abort() {
        Future<?> f = exchange;
        if (f != null) {
            f.cancel(true);
        }
        Closeable c = body;
        if (c != null) {
            try {
                c.close();
            } catch (IOException | RuntimeException e) {
                // closing an aborted body may fail; the stream is over either way
            }
        }
    }
}
