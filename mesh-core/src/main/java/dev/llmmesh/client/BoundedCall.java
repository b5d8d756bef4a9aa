package dev.llmmesh.client;

import dev.llmmesh.ErrorKind;
import dev.llmmesh.MeshInternalException;
import dev.llmmesh.RetryableException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** Runs a blocking call on a shared daemon pool and bounds it in time. */
final class BoundedCall {
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "llm-mesh-bounded-" + Counter.NEXT.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private static final class Counter {
        static final AtomicInteger NEXT = new AtomicInteger();
    }

    private BoundedCall() {
    }

    static <T> T call(Supplier<T> call, Duration timeout, String modelId) {
        Future<T> f = POOL.submit(call::get);
        try {
            return f.get(Math.max(1, timeout.toNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new RetryableException(ErrorKind.TIMEOUT, modelId + ": no answer within " + timeout, modelId, null, null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw ErrorClassifier.classify(cause, modelId);
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new MeshInternalException(ErrorKind.CANCELLED, "call to " + modelId + " interrupted", e);
        }
    }
}
