package dev.llmmesh.routing;

import java.time.Duration;

/**
 * Waits between attempts. The default sleeps the thread; tests pass one that advances a manual clock instead, so
 * backoff is tested without sleeping.
 */
@FunctionalInterface
public interface Sleeper {
    /** The real thing: {@link Thread#sleep}. */
    Sleeper SYSTEM = d -> {
        if (!d.isNegative() && !d.isZero()) {
            Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
        }
    };

    /** Waits {@code duration}. */
    void sleep(Duration duration) throws InterruptedException;
}
