package dev.llmmesh.providers.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client's daemon HTTP I/O pool (cached: threads end after 60 s idle) that also releases what was built on it when
 * it shuts down: every {@link MeshHttpClient} created with this pool as its executor registers itself, and
 * {@link #shutdown()} / {@link #shutdownNow()} let go of their JDK clients, so selector threads and keep-alive
 * connections end with the mesh even while the application still holds the mesh object.
 */
public final class IoPool extends ThreadPoolExecutor {
    private final List<Runnable> onShutdown = new CopyOnWriteArrayList<>();

    /** A pool whose threads are named {@code prefix} plus a number. */
    public IoPool(String prefix) {
        super(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), daemonThreads(prefix));
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Runs {@code release} when this pool shuts down (at once if it already has). */
    void onShutdown(Runnable release) {
        onShutdown.add(release);
        if (isShutdown()) {
            releaseAll();
        }
    }

    @Override
    public void shutdown() {
        super.shutdown();
        releaseAll();
    }

    @Override
    public List<Runnable> shutdownNow() {
        List<Runnable> pending = super.shutdownNow();
        releaseAll();
        return pending;
    }

    private void releaseAll() {
        for (Runnable r : onShutdown) {
            onShutdown.remove(r);
            try {
                r.run();
            } catch (RuntimeException ignored) {
                // releasing is best effort: the pool itself is down either way
            }
        }
    }
}
