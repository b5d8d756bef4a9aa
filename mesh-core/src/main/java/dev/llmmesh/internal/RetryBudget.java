package dev.llmmesh.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The mesh-wide retry budget (after Envoy's): concurrent retries may be at most {@code max(floor, ratio × active)},
 * where active counts the calls currently routing and a retry is any attempt after a call's first (fallbacks and
 * hedges included). Lock-free; a lost race only ever refuses a retry, never admits one too many.
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
            int limit = Math.max(floor, (int) (ratio * active.get()));
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
