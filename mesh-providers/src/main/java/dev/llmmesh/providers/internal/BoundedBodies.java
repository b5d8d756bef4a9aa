package dev.llmmesh.providers.internal;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Response bodies read with a cap, so that no answer can take more memory than configured: a successful body longer
 * than its cap fails with {@link TooLarge} as soon as the cap is passed (or at once, when {@code Content-Length}
 * says so), an error body is cut at its cap. In both cases the rest of the body is never read: the subscription is
 * cancelled, which closes the connection. Thread-safe (one subscriber per response).
 */
final class BoundedBodies {
    private BoundedBodies() {
    }

    /** The answer passed its cap; reading stopped. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;
        private final long cap;

        TooLarge(long cap) {
            super("response body larger than " + cap + " bytes", null);
            this.cap = cap;
        }

        long cap() {
            return cap;
        }
    }

    /** A handler reading 2xx bodies up to {@code successCap} (failing beyond) and others up to {@code errorCap}. */
    static HttpResponse.BodyHandler<byte[]> handler(long successCap, int errorCap) {
        return handler(successCap, errorCap, null);
    }

    /**
     * As {@link #handler(long, int)}, and a body not read to its end by {@code deadlineNanos} (on
     * {@link System#nanoTime()}) fails with a {@link java.util.concurrent.TimeoutException}, its subscription
     * cancelled (which closes the connection). The deadline is watched by the JDK's one shared delay thread.
     */
    static HttpResponse.BodyHandler<byte[]> handler(long successCap, int errorCap, @Nullable Long deadlineNanos) {
        return info -> {
            boolean success = info.statusCode() >= 200 && info.statusCode() < 300;
            Capped body;
            OptionalLong length = success ? info.headers().firstValueAsLong("content-length") : OptionalLong.empty();
            if (length.isPresent() && length.getAsLong() > successCap) {
                body = new Capped(successCap, false, true);
            } else {
                body = new Capped(success ? successCap : errorCap, !success, false);
            }
            if (deadlineNanos != null) {
                body.deadline(Math.max(1, deadlineNanos - System.nanoTime()));
            }
            return body;
        };
    }

    /** Collects up to {@code cap} bytes; beyond it either cuts (error bodies) or fails ({@link TooLarge}). */
    private static final class Capped implements HttpResponse.BodySubscriber<byte[]> {
        private final long cap;
        private final boolean cut;
        private final boolean refuseAtOnce;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private volatile Flow.Subscription subscription;

        Capped(long cap, boolean cut, boolean refuseAtOnce) {
            this.cap = cap;
            this.cut = cut;
            this.refuseAtOnce = refuseAtOnce;
        }

        /** Fails the body with a {@link java.util.concurrent.TimeoutException} unless read within {@code nanos}. */
        void deadline(long nanos) {
            result.orTimeout(nanos, TimeUnit.NANOSECONDS).whenComplete((body, error) -> {
                Flow.Subscription s = subscription;
                if (error != null && s != null) {
                    s.cancel(); // a late or failed body: stop reading, close the connection
                }
            });
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            this.subscription = s;
            if (result.isDone()) {
                s.cancel(); // timed out before the body started
                return;
            }
            if (refuseAtOnce) {
                s.cancel();
                result.completeExceptionally(new TooLarge(cap));
                return;
            }
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer b : items) {
                long room = cap - buffer.size();
                int n = b.remaining();
                if (n > room) {
                    subscription.cancel();
                    if (cut) {
                        byte[] part = new byte[(int) room];
                        b.get(part);
                        buffer.write(part, 0, part.length);
                        result.complete(buffer.toByteArray());
                    } else {
                        result.completeExceptionally(new TooLarge(cap));
                    }
                    return;
                }
                byte[] all = new byte[n];
                b.get(all);
                buffer.write(all, 0, n);
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(buffer.toByteArray());
        }
    }

    /** A stream that fails with {@link TooLarge} once more than {@code cap} bytes were read from it. */
    static final class CappedStream extends FilterInputStream {
        private final long cap;
        private long read;

        CappedStream(InputStream in, long cap) {
            super(in);
            this.cap = cap;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count(skipped);
            return skipped;
        }

        private void count(long n) throws IOException {
            read += n;
            if (read > cap) {
                throw new TooLarge(cap);
            }
        }
    }
}
