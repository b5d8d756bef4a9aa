package dev.llmmesh.client;

import dev.llmmesh.ErrorKind;
import dev.llmmesh.MeshInternalException;
import dev.llmmesh.RetryableException;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs a blocking call on a shared daemon pool and bounds it in time. A call still running when its time is up is
 * interrupted and abandoned; a client that ignores interrupts keeps its thread, so at most
 * {@value #MAX_ABANDONED_PER_MODEL} abandoned calls per model may be running at once: beyond that, new calls to that
 * model fail at once (retryable, {@link ErrorKind#OVERLOADED}, so the router moves to another model) until one ends.
 */
final class BoundedCall {
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "llm-mesh-bounded-" + Counter.NEXT.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    /** Calls per client that timed out but are still running (the client ignored the interrupt). */
    static final int MAX_ABANDONED_PER_MODEL = 16;
    /** Per client object (not per model id: two meshes may each have a model "a"); weak, so clients can go. */
    private static final Map<Object, AtomicInteger> ABANDONED = Collections.synchronizedMap(new WeakHashMap<>());
    private static final int RUNNING = 0;
    private static final int DONE = 1;
    private static final int GAVE_UP = 2;

    private static final class Counter {
        static final AtomicInteger NEXT = new AtomicInteger();
    }

    private BoundedCall() {
    }

    /** Abandoned calls of {@code client} still running. */
    static int abandoned(Object client) {
        AtomicInteger n = ABANDONED.get(client);
        return n == null ? 0 : n.get();
    }

    static <T> T call(Supplier<T> call, Duration timeout, String modelId, Object client) {
        AtomicInteger abandoned = ABANDONED.computeIfAbsent(client, k -> new AtomicInteger());
        int stuck = abandoned.get();
        if (stuck >= MAX_ABANDONED_PER_MODEL) {
            throw new RetryableException(ErrorKind.OVERLOADED, modelId + ": " + stuck + " earlier calls are still "
                    + "running past their timeout (the client does not stop when interrupted); no new call starts "
                    + "until one of them ends", modelId, null, null);
        }
        AtomicInteger state = new AtomicInteger(RUNNING);
        Future<T> f = POOL.submit(() -> {
            try {
                return call.get();
            } finally {
                if (!state.compareAndSet(RUNNING, DONE)) {
                    abandoned.decrementAndGet();
                }
            }
        });
        try {
            return f.get(Math.max(1, timeout.toNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (state.compareAndSet(RUNNING, GAVE_UP)) {
                abandoned.incrementAndGet();
            }
            f.cancel(true);
            throw new RetryableException(ErrorKind.TIMEOUT, modelId + ": no answer within " + timeout, modelId, null, null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw ErrorClassifier.classify(cause, modelId);
        } catch (InterruptedException e) {
            if (state.compareAndSet(RUNNING, GAVE_UP)) {
                abandoned.incrementAndGet();
            }
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new MeshInternalException(ErrorKind.CANCELLED, "call to " + modelId + " interrupted", e);
        }
    }
}
