package dev.llmmesh.providers.internal;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What one provider call tells {@link MeshHttpClient} across langchain4j, and what the HTTP client tells back. langchain4j
 * calls the HTTP client synchronously on the caller's thread (for streams too: the exchange then continues on the
 * client's executor), so a thread-local carries the call while langchain4j builds and sends the request.
 *
 * <p>It carries:
 * <ul>
 *   <li>the time the call may take ({@link #timeout()}): the mesh's remaining deadline, bounding the whole exchange;</li>
 *   <li>the cancel switch of a stream: cancelling aborts the HTTP exchange whether or not the response has
 *       started;</li>
 *   <li>a tap that sees every successful response body and every stream event's data, for facts langchain4j drops
 *       (e.g. Mistral's {@code num_cached_tokens});</li>
 *   <li>an end-of-transport callback, run once the response body has been read to its end or failed, after the
 *       parser's callbacks: a stream that langchain4j never completed is then reported instead of hanging;</li>
 *   <li>whether a successful (2xx) response arrived, so that a parsing failure inside langchain4j is told apart from a
 *       transport failure.</li>
 * </ul>
 * Thread-safe.
 */
public final class ProviderCall {
    private static final ThreadLocal<ProviderCall> CURRENT = new ThreadLocal<>();

    private final @Nullable Duration timeout;
    private volatile boolean cancelled;
    private volatile boolean responded;
    private volatile @Nullable Future<?> exchange;
    private volatile @Nullable Closeable body;
    private volatile Consumer<String> tap = s -> { };
    private volatile Consumer<@Nullable Throwable> transportEnd = e -> { };
    private volatile HttpLimits limits = HttpLimits.DEFAULTS;

    private ProviderCall(@Nullable Duration timeout) {
        this.timeout = timeout;
    }

    /** A call bounded by {@code timeout} (a blocking chat call). */
    public static ProviderCall bounded(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            timeout = Duration.ofMillis(1);
        }
        return new ProviderCall(timeout);
    }

    /** A call bounded only by the client's configured timeouts (a stream, or a chat call without a deadline). */
    public static ProviderCall unbounded() {
        return new ProviderCall(null);
    }

    /** Runs {@code call} with this call visible to {@link MeshHttpClient} on the current thread. */
    public <T> T bind(Supplier<T> call) {
        ProviderCall previous = CURRENT.get();
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

    static @Nullable ProviderCall current() {
        return CURRENT.get();
    }

    /** The most the whole exchange may take, when bounded. */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /** Sets what sees each successful body and each stream event's data. Set before {@link #bind}. */
    public ProviderCall tap(Consumer<String> tap) {
        this.tap = tap;
        return this;
    }

    /** Sets the host rules and size cap the exchange runs under (default {@link HttpLimits#DEFAULTS}). */
    public ProviderCall limits(HttpLimits limits) {
        this.limits = java.util.Objects.requireNonNull(limits, "limits");
        return this;
    }

    /** The host rules and size cap of the exchange. */
    public HttpLimits limits() {
        return limits;
    }

    /** Sets what runs once the response has been read to its end ({@code null}) or failed. Set before {@link #bind}. */
    public ProviderCall onTransportEnd(Consumer<@Nullable Throwable> transportEnd) {
        this.transportEnd = transportEnd;
        return this;
    }

    /** Aborts the exchange and closes the response body, now or as soon as they exist. Idempotent. */
    public void cancel() {
        cancelled = true;
        abort();
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /** Whether a successful (2xx) response has arrived. */
    public boolean responded() {
        return responded;
    }

    void responded(boolean value) {
        this.responded = value;
    }

    void seen(String data) {
        try {
            tap.accept(data);
        } catch (RuntimeException e) {
            // a tap is a best-effort reader of facts; it never breaks the exchange
        }
    }

    void ended(@Nullable Throwable error) {
        transportEnd.accept(error);
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
