package dev.llmmesh.governance.internal.audit;

import dev.llmmesh.governance.audit.AuditEntry;
import dev.llmmesh.governance.audit.AuditRecord;
import dev.llmmesh.governance.audit.AuditSink;
import dev.llmmesh.governance.audit.AuditSinkException;
import dev.llmmesh.governance.audit.DeliveryReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves records from the outbox to the sink, in order, batch after batch until the outbox is empty or the sink stops
 * taking them: no "first N per flush" truncation. A rejected entry goes to the dead-letter file and delivery goes on;
 * an unavailable sink ends the run (the records stay in the outbox for the next one). One run at a time.
 */
public final class Delivery {
    private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);

    private final Outbox outbox;
    private final AuditSink sink;
    private final int batchSize;
    private final ReentrantLock running = new ReentrantLock();
    private final AtomicLong delivered = new AtomicLong();
    private volatile @Nullable String lastError;

    public Delivery(Outbox outbox, AuditSink sink, int batchSize) {
        this.outbox = outbox;
        this.sink = sink;
        this.batchSize = batchSize;
    }

    /** Delivers until the outbox is empty or the sink is unavailable. */
    public DeliveryReport deliverAll() {
        running.lock();
        long ok = 0;
        long dead = 0;
        String error = null;
        try {
            batches:
            while (true) {
                List<Outbox.Pending> batch = outbox.next(batchSize);
                if (batch.isEmpty()) {
                    break;
                }
                List<AuditEntry> entries = new ArrayList<>(batch.size());
                List<Outbox.Pending> sources = new ArrayList<>(batch.size());
                for (Outbox.Pending p : batch) {
                    String unreadable = null;
                    if (p.seq() < 0) {
                        unreadable = "unreadable outbox line";
                    } else {
                        try {
                            entries.add(new AuditEntry(outbox.id(), p.seq(), AuditRecord.fromJson(p.json())));
                            sources.add(p);
                            continue;
                        } catch (IllegalArgumentException e) {
                            unreadable = "unreadable record: " + e.getMessage();
                        }
                    }
                    // write what came before, so the dead letter keeps its place in the order
                    Result before = write(entries, sources);
                    ok += before.delivered;
                    dead += before.deadLettered;
                    entries.clear();
                    sources.clear();
                    if (before.error != null) {
                        error = before.error;
                        break batches;
                    }
                    outbox.deadLetter(p, unreadable);
                    if (p.seq() < 0) {
                        outbox.skip(p);
                    } else {
                        outbox.resolve(p, 1);
                    }
                    dead++;
                }
                Result res = write(entries, sources);
                ok += res.delivered;
                dead += res.deadLettered;
                if (res.error != null) {
                    error = res.error;
                    break;
                }
            }
            delivered.addAndGet(ok);
            lastError = error;
            return new DeliveryReport(ok, dead, outbox.pending(), Optional.ofNullable(error));
        } finally {
            running.unlock();
        }
    }

    private record Result(long delivered, long deadLettered, @Nullable String error) {
    }

    /** Writes entries, dead-lettering rejected ones and resuming after each; stops when the sink is unavailable. */
    private Result write(List<AuditEntry> entries, List<Outbox.Pending> sources) {
        long ok = 0;
        long dead = 0;
        int from = 0;
        while (from < entries.size()) {
            List<AuditEntry> rest = entries.subList(from, entries.size());
            try {
                sink.write(rest);
                outbox.resolve(sources.get(entries.size() - 1), rest.size());
                ok += rest.size();
                return new Result(ok, dead, null);
            } catch (AuditSinkException e) {
                OptionalInt rejected = e.rejectedIndex();
                if (rejected.isEmpty() || rejected.getAsInt() >= rest.size()) {
                    return new Result(ok, dead, describe(e));
                }
                int i = rejected.getAsInt();
                if (i > 0) {
                    outbox.resolve(sources.get(from + i - 1), i);
                    ok += i;
                }
                Outbox.Pending poison = sources.get(from + i);
                outbox.deadLetter(poison, "rejected by the sink: " + e.getMessage());
                outbox.resolve(poison, 1);
                dead++;
                from += i + 1;
            } catch (RuntimeException e) {
                return new Result(ok, dead, describe(e));
            }
        }
        return new Result(ok, dead, null);
    }

    private static String describe(RuntimeException e) {
        String msg = e.getMessage() == null ? "" : ": " + Scrubber.scrub(e.getMessage());
        String text = e.getClass().getSimpleName() + msg;
        LOG.debug("audit delivery stopped: {}", text);
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    /** Records delivered since this delivery was created. */
    public long delivered() {
        return delivered.get();
    }

    /** Why the last run stopped early, if it did. */
    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }
}
