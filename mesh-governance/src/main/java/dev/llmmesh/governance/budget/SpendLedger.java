package dev.llmmesh.governance.budget;

import dev.llmmesh.state.BoundedAdd;
import java.time.Instant;
import java.util.List;

/**
 * The durable record of spend that budget counters are rebuilt from when the state store loses them (Redis flushed
 * or restarted empty, a process restarted with an empty in-memory store): a budget never silently starts again at
 * zero. The budget plugin records every settled call here before it settles the store; on a loss the store asks the
 * plugin for {@link #totals(Instant)} and writes them back before it answers again.
 *
 * <p>Every instance of a fleet must see the whole fleet's record: with {@link FileSpendLedger}, one folder on a
 * shared volume, one file per instance. Implementations must be thread-safe.
 */
public interface SpendLedger extends AutoCloseable {

    /**
     * Records settled amounts, durably, before the call that produced them returns.
     *
     * @param counters the counters and amounts (in nano-dollars) settled, each with its time to live
     * @param now      the mesh clock's time
     * @throws RuntimeException if the record cannot be written (the call is not refused for it)
     */
    void record(List<BoundedAdd> counters, Instant now);

    /**
     * Every counter still alive at {@code now}, summed over the whole record (all instances).
     *
     * @throws RuntimeException if the record cannot be read (the store then stays closed: spend is unknown)
     */
    List<BoundedAdd> totals(Instant now);

    @Override
    default void close() {
    }
}
