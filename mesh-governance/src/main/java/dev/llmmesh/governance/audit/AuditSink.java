package dev.llmmesh.governance.audit;

import java.util.List;

/**
 * Where audit records end up: a file ({@link FileAuditSink}), a database, a log pipeline. The
 * {@link AuditPlugin}'s outbox calls a sink from one delivery thread at a time, in sequence order, and retries what
 * the sink did not accept, so delivery is <em>at least once</em>: after a crash between a write and its
 * acknowledgement, entries are delivered again, and the sink must drop those it already stored (by
 * {@link AuditEntry#sequence()}, which only grows, or by {@link AuditRecord#recordId()}).
 *
 * <p>{@link #write} either stores every entry, or throws an {@link AuditSinkException}:
 * {@linkplain AuditSinkException#unavailable unavailable} (nothing after the entries already stored is taken; the
 * outbox retries later) or {@linkplain AuditSinkException#rejected rejected} at an index (the entries before it were
 * stored; that one can never be stored and goes to the dead-letter file; delivery goes on with the next). Any other
 * exception counts as unavailable. Every call must be bounded in time.
 */
public interface AuditSink extends AutoCloseable {

    /**
     * Stores {@code entries}, in order.
     *
     * @throws AuditSinkException if not every entry was stored
     */
    void write(List<AuditEntry> entries);

    /** Makes what was written durable and, for a signed log, signed. Called on {@link AuditPlugin#flush()}. */
    default void flush() {
    }

    /** Releases resources. */
    @Override
    default void close() {
    }
}
