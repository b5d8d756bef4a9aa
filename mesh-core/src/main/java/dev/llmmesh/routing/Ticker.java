package dev.llmmesh.routing;

/**
 * The mesh's monotonic time source, in nanoseconds (after Caffeine's {@code Ticker}): the latency of a call and the
 * silence of a stream are measured on it. Only differences between two reads mean anything. The default is
 * {@link #SYSTEM}; tests pass a manual one (the testkit's {@code ManualClock} is both a clock and a ticker) and move it
 * forward, so the stream idle timeout runs on simulated time.
 *
 * <p>While the mesh waits for something bounded by the ticker (the next chunk of a stream), it re-reads a ticker
 * other than {@link #SYSTEM} at least every {@link #POLL_MILLIS} ms of real time, so a manual ticker moved forward by a
 * test is noticed promptly. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Ticker {
    /** {@link System#nanoTime()}. */
    Ticker SYSTEM = System::nanoTime;

    /** How often, in real milliseconds, a waiting mesh re-reads a ticker other than {@link #SYSTEM}. */
    long POLL_MILLIS = 5;

    /** Nanoseconds from some fixed but arbitrary origin; never decreases. */
    long read();
}
