package dev.llmmesh.state;

import java.util.List;

/**
 * What a {@link StateStore} writes back when it finds itself empty (a shared store flushed or restarted without its
 * data, a process restarted with empty memory), before it answers any other operation: counters rebuilt from a
 * durable record of spend, so that a budget never silently starts again at zero.
 *
 * <p>Implementations read their durable record (a ledger) and return the counters to restore; they must not call the
 * store. A reseeder that throws leaves the store unable to answer (callers fail closed) until a later try succeeds.
 */
@FunctionalInterface
public interface StateReseeder {

    /**
     * The counters to restore, each applied as an add without a limit check (its {@link BoundedAdd#limit() limit} is
     * ignored).
     *
     * @throws RuntimeException if the durable record cannot be read
     */
    List<BoundedAdd> counters();
}
