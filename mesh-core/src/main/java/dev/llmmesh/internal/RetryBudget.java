package dev.llmmesh.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The mesh-wide retry budget (after Envoy's): concurrent retries may be at most
 * {@code max(floor, ratio × (active - retrying))}, where active counts the calls currently routing, retrying those of
 * them on a retry now, and a retry is any attempt after a call's first (fallbacks and hedges included). Counting the
 * ratio over the calls that are not retrying keeps the budget a fraction of first attempts, so upstream calls stay
 * within {@code (1 + ratio)} times the client's calls plus the floor even when retries are as quick as first
 * attempts. Lock-free; a lost race only ever refuses a retry, never admits one too many.
 */
final class RetryBudget {
    private final double ratio;
    private final int floor;
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger retrying = new AtomicInteger();

    RetryBudget(double ratio, int floor) {
        this.ratio = ratio;
        this.floor = floor;
    }

    void enter() {
        active.incrementAndGet();
    }

    void exit() {
        active.decrementAndGet();
    }

    boolean tryAcquire() {
        while (true) {
            int r = retrying.get();
            int limit = Math.max(floor, (int) (ratio * (active.get() - r)));
            if (r >= limit) {
                return false;
            }
            if (retrying.compareAndSet(r, r + 1)) {
                return true;
            }
        }
    }

    void release() {
        retrying.decrementAndGet();
    }

    int retrying() {
        return retrying.get();
    }

    int active() {
        return active.get();
    }
}
