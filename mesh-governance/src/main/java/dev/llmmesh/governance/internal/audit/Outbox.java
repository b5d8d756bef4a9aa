package dev.llmmesh.governance.internal.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmmesh.governance.audit.AuditUnavailableException;
import dev.llmmesh.governance.audit.WhenFull;
import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A bounded, durable, append-only queue of audit records on disk, in front of a sink.
 *
 * <p>Layout of the directory: segment files {@code outbox-<first sequence>.log} holding one record per line
 * ({@code <sequence> TAB <record JSON>}), a {@code cursor} file with the last sequence resolved (delivered or
 * dead-lettered), a {@code dead-letter.jsonl} file, and an {@code outbox-id} file naming this outbox. An append is
 * written to the file before it returns (and forced to the device when {@code fsync} is on), so a process crash
 * loses nothing that was appended; a line torn by a crash is cut off on the next open. Fully resolved segments are
 * deleted.
 *
 * <p>Capacity is counted in records: calls reserve a slot at admission ({@link #acquire()}), so that a full outbox
 * refuses (or makes wait) new calls before they cost anything, never after.
 *
 * <p>Thread-safe: appends and slot bookkeeping hold one lock; reading ({@link #next}) and resolving are meant for one
 * delivering thread at a time.
 */
public final class Outbox implements Closeable {
    static final String CURSOR = "cursor";
    static final String DEAD_LETTER = "dead-letter.jsonl";
    static final String ID = "outbox-id";
    private static final Pattern SEGMENT = Pattern.compile("outbox-(\\d{20})\\.log");
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** An entry read from the outbox; {@code seq} is -1 for an unreadable line. */
    public record Pending(long seq, String json, Path segment, long end) {
    }

    private final Path dir;
    private final String id;
    private final int maxPending;
    private final int segmentRecords;
    private final boolean fsync;
    private final WhenFull whenFull;
    private final Duration blockTimeout;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition space = lock.newCondition();
    /** Held by the resolving (delivering) thread while it persists the cursor; appends never take it. */
    private final ReentrantLock resolving = new ReentrantLock();
    private long persistedCursor = -1;
    private final TreeMap<Long, Path> segments = new TreeMap<>();
    private @Nullable RandomAccessFile writer;
    private @Nullable Path writerPath;
    private int writerCount;
    private long lastSeq;
    private long cursor;
    private long pending;
    private int reserved;
    private int waiting;
    private long deadLettered;
    private boolean closed;
    // the delivering thread's read position: just after the entry with sequence readValidFor
    private @Nullable Path readPath;
    private long readOffset;
    private long readValidFor = -1;

    private Outbox(Path dir, String id, int maxPending, int segmentRecords, boolean fsync, WhenFull whenFull,
                   Duration blockTimeout, Clock clock) {
        this.dir = dir;
        this.id = id;
        this.maxPending = maxPending;
        this.segmentRecords = segmentRecords;
        this.fsync = fsync;
        this.whenFull = whenFull;
        this.blockTimeout = blockTimeout;
        this.clock = clock;
    }

    /**
     * Opens (creating if needed) the outbox in {@code dir}, recovering what a previous process left: pending records,
     * the cursor, and a line torn by a crash.
     *
     * @throws UncheckedIOException if the directory cannot be read or written
     */
    public static Outbox open(Path dir, int maxPending, int segmentRecords, boolean fsync, WhenFull whenFull,
                              Duration blockTimeout, Clock clock) {
        try {
            Files.createDirectories(dir);
            Path idFile = dir.resolve(ID);
            String id;
            if (Files.exists(idFile)) {
                id = Files.readString(idFile, StandardCharsets.UTF_8).trim();
                if (!id.matches("[A-Za-z0-9-]{1,64}")) {
                    throw new IOException(idFile + " does not hold an outbox id; remove it only if the outbox is empty");
                }
            } else {
                id = UUID.randomUUID().toString();
                writeAtomically(dir, ID, id, fsync);
            }
            Outbox o = new Outbox(dir, id, maxPending, segmentRecords, fsync, whenFull, blockTimeout, clock);
            o.recover();
            return o;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the audit outbox in " + dir + ": " + e.getMessage(), e);
        }
    }

    private void recover() throws IOException {
        Path cursorFile = dir.resolve(CURSOR);
        cursor = Files.exists(cursorFile) ? Long.parseLong(Files.readString(cursorFile, StandardCharsets.UTF_8).trim()) : 0;
        persistedCursor = cursor;
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(p -> {
                Matcher m = SEGMENT.matcher(p.getFileName().toString());
                if (m.matches()) {
                    segments.put(Long.parseLong(m.group(1)), p);
                }
            });
        }
        lastSeq = cursor;
        pending = 0;
        if (segments.isEmpty()) {
            return;
        }
        Path last = segments.lastEntry().getValue();
        repairTail(last);
        for (Map.Entry<Long, Path> s : segments.entrySet()) {
            int count = 0;
            try (LineReader r = new LineReader(s.getValue(), 0)) {
                String line;
                while ((line = r.next()) != null) {
                    count++;
                    long seq = seqOf(line);
                    if (seq > 0) {
                        lastSeq = Math.max(lastSeq, seq);
                        if (seq > cursor) {
                            pending++;
                        }
                    }
                }
            }
            if (s.getValue().equals(last)) {
                writerCount = count;
            }
        }
        if (writerCount < segmentRecords) {
            writerPath = last;
            writer = new RandomAccessFile(last.toFile(), "rw");
        }
    }

    /** Cuts a line torn by a crash (bytes after the last newline) off the end of {@code file}. */
    static boolean repairTail(Path file) throws IOException {
        return LogLines.repairTail(file);
    }

    /** This outbox's id (a UUID kept in the directory). */
    public String id() {
        return id;
    }

    /** The directory. */
    public Path dir() {
        return dir;
    }

    /** The dead-letter file. */
    public Path deadLetterFile() {
        return dir.resolve(DEAD_LETTER);
    }

    // ------------------------------------------------------------------ capacity

    /**
     * Reserves room for one record, waiting or failing as the policy says when the outbox is full.
     *
     * @throws AuditUnavailableException if there is no room (fail closed), waiting timed out, or the outbox is closed
     */
    public void acquire() {
        lock.lock();
        try {
            long deadline = System.nanoTime() + blockTimeout.toNanos();
            while (pending + reserved >= maxPending) {
                if (closed) {
                    throw new AuditUnavailableException("the audit outbox is closed", null);
                }
                if (whenFull == WhenFull.FAIL_CLOSED) {
                    throw new AuditUnavailableException("the audit outbox is full (" + maxPending + " undelivered "
                            + "records): the audit sink is not keeping up, so the call is refused (audit.whenFull: "
                            + "fail_closed)", null);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AuditUnavailableException("the audit outbox stayed full (" + maxPending + " undelivered "
                            + "records) for " + blockTimeout + "; the call is refused", null);
                }
                waiting++;
                try {
                    space.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AuditUnavailableException("interrupted while waiting for room in the audit outbox", null);
                } finally {
                    waiting--;
                }
            }
            if (closed) {
                throw new AuditUnavailableException("the audit outbox is closed", null);
            }
            reserved++;
        } finally {
            lock.unlock();
        }
    }

    /** Gives back a slot that will not be used. */
    public void release() {
        lock.lock();
        try {
            if (reserved > 0) {
                reserved--;
                space.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ writing

    /**
     * Appends a record, consuming a slot reserved with {@link #acquire()} when {@code reservedSlot}. The record is in
     * the file when this returns.
     *
     * @return its sequence
     * @throws UncheckedIOException if the write failed (the file is left as it was)
     */
    public long append(String recordJson, boolean reservedSlot) {
        byte[] bytes;
        lock.lock();
        try {
            if (reservedSlot && reserved > 0) {
                reserved--;
            }
            if (closed) {
                throw new UncheckedIOException(new IOException("the audit outbox is closed"));
            }
            long seq = lastSeq + 1;
            bytes = (seq + "\t" + recordJson + "\n").getBytes(StandardCharsets.UTF_8);
            try {
                RandomAccessFile w = writer(seq);
                long before = w.length();
                try {
                    w.seek(before);
                    w.write(bytes);
                    if (fsync) {
                        w.getFD().sync();
                    }
                } catch (IOException e) {
                    try {
                        w.setLength(before);
                    } catch (IOException ignored) {
                        // the torn line is cut off on the next open
                    }
                    throw e;
                }
            } catch (IOException e) {
                space.signalAll();
                throw new UncheckedIOException("appending to the audit outbox in " + dir + " failed: "
                        + e.getMessage(), e);
            }
            lastSeq = seq;
            writerCount++;
            pending++;
            return seq;
        } finally {
            lock.unlock();
        }
    }

    private RandomAccessFile writer(long seq) throws IOException {
        if (writer == null || writerCount >= segmentRecords) {
            if (writer != null) {
                writer.close();
            }
            Path p = dir.resolve(String.format("outbox-%020d.log", seq));
            writer = new RandomAccessFile(p.toFile(), "rw");
            writerPath = p;
            writerCount = 0;
            segments.put(seq, p);
        }
        return writer;
    }

    // ------------------------------------------------------------------ reading and resolving

    /** Up to {@code max} unresolved entries, in sequence order. For the delivering thread. */
    public List<Pending> next(int max) {
        long c;
        TreeMap<Long, Path> segs;
        lock.lock();
        try {
            c = cursor;
            segs = new TreeMap<>(segments);
        } finally {
            lock.unlock();
        }
        List<Pending> out = new ArrayList<>(Math.min(max, 1024));
        if (segs.isEmpty()) {
            return out;
        }
        Path path;
        long offset;
        if (readValidFor == c && readPath != null && segs.containsValue(readPath)) {
            path = readPath;
            offset = readOffset;
        } else {
            Long first = segs.floorKey(c + 1);
            path = first == null ? segs.firstEntry().getValue() : segs.get(first);
            offset = 0;
        }
        long lastGood = c;
        try {
            while (path != null && out.size() < max) {
                long firstOfSegment = firstSeqOf(segs, path);
                long previous = offset == 0 ? firstOfSegment - 1 : lastGood;
                try (LineReader r = new LineReader(path, offset)) {
                    String line;
                    while (out.size() < max && (line = r.next()) != null) {
                        long seq = seqOf(line);
                        if (seq < 0) {
                            if (previous >= c) {
                                out.add(new Pending(-1, line, path, r.position()));
                            }
                            continue;
                        }
                        previous = seq;
                        if (seq > c) {
                            out.add(new Pending(seq, line.substring(line.indexOf('\t') + 1), path, r.position()));
                            lastGood = seq;
                        }
                    }
                }
                if (out.size() >= max) {
                    break;
                }
                Map.Entry<Long, Path> nextSeg = segs.higherEntry(firstOfSegment);
                path = nextSeg == null ? null : nextSeg.getValue();
                offset = 0;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the audit outbox in " + dir + " failed: " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * Marks everything up to and including {@code last} resolved ({@code count} entries: delivered or dead-lettered),
     * persists the cursor and deletes segments left with nothing to deliver.
     */
    public void resolve(Pending last, int count) {
        // the cursor file is written and resolved segments deleted outside the append lock (under the resolver's own
        // lock), so a slow disk on the delivering thread never stalls the calls appending their records; segments go
        // only after the cursor that resolves them is on disk
        resolving.lock();
        try {
            long target;
            List<Map.Entry<Long, Path>> resolved;
            lock.lock();
            try {
                target = Math.max(cursor, last.seq());
                cursor = target;
                pending = Math.max(0, pending - count);
                readPath = last.segment();
                readOffset = last.end();
                readValidFor = cursor;
                resolved = takeResolvedSegments();
                space.signalAll();
            } finally {
                lock.unlock();
            }
            try {
                if (target > persistedCursor) {
                    writeAtomically(dir, CURSOR, Long.toString(target), fsync);
                    persistedCursor = target;
                }
            } catch (IOException e) {
                restoreSegments(resolved, 0);
                throw new UncheckedIOException("saving the audit outbox cursor in " + dir + " failed: "
                        + e.getMessage(), e);
            }
            deleteSegments(resolved);
        } finally {
            resolving.unlock();
        }
    }

    /** Skips an unreadable line (already dead-lettered) without moving the cursor. */
    public void skip(Pending unreadable) {
        readPath = unreadable.segment();
        readOffset = unreadable.end();
        readValidFor = cursor;
    }

    /** Writes {@code entry} to the dead-letter file with {@code reason}. */
    public void deadLetter(Pending entry, String reason) {
        StringWriter sw = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(sw)) {
            g.writeStartObject();
            if (entry.seq() > 0) {
                g.writeNumberField("oseq", entry.seq());
            }
            g.writeStringField("outbox", id);
            g.writeStringField("at", clock.instant().toString());
            g.writeStringField("reason", reason);
            if (isJsonObject(entry.json())) {
                g.writeFieldName("record");
                g.writeRawValue(entry.json());
            } else {
                g.writeStringField("raw", entry.json());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] bytes = (sw + "\n").getBytes(StandardCharsets.UTF_8);
        lock.lock();
        try (RandomAccessFile f = new RandomAccessFile(deadLetterFile().toFile(), "rw")) {
            f.seek(f.length());
            f.write(bytes);
            if (fsync) {
                f.getFD().sync();
            }
            deadLettered++;
        } catch (IOException e) {
            throw new UncheckedIOException("writing the audit dead-letter file in " + dir + " failed: "
                    + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** Removes the segments left with nothing to deliver from the map (under {@link #lock}); deleted afterwards. */
    private List<Map.Entry<Long, Path>> takeResolvedSegments() {
        List<Map.Entry<Long, Path>> out = new ArrayList<>();
        while (segments.size() > 1) {
            Map.Entry<Long, Path> first = segments.firstEntry();
            Long nextFirst = segments.higherKey(first.getKey());
            if (nextFirst == null || nextFirst - 1 > cursor || first.getValue().equals(writerPath)) {
                break;
            }
            segments.remove(first.getKey());
            out.add(Map.entry(first.getKey(), first.getValue()));
        }
        return out;
    }

    /** Deletes resolved segments; one that cannot be deleted goes back to the map and is tried on the next resolve. */
    private void deleteSegments(List<Map.Entry<Long, Path>> resolved) {
        for (int i = 0; i < resolved.size(); i++) {
            Map.Entry<Long, Path> e = resolved.get(i);
            try {
                Files.deleteIfExists(e.getValue());
            } catch (IOException ex) {
                restoreSegments(resolved, i);
                return;
            }
        }
    }

    private void restoreSegments(List<Map.Entry<Long, Path>> resolved, int from) {
        lock.lock();
        try {
            for (int j = from; j < resolved.size(); j++) {
                segments.put(resolved.get(j).getKey(), resolved.get(j).getValue());
            }
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ state

    /** Records appended and not yet resolved. */
    public long pending() {
        lock.lock();
        try {
            return pending;
        } finally {
            lock.unlock();
        }
    }

    /** Slots reserved by calls in flight. */
    public int reserved() {
        lock.lock();
        try {
            return reserved;
        } finally {
            lock.unlock();
        }
    }

    /** Calls waiting for room. */
    public int waiting() {
        lock.lock();
        try {
            return waiting;
        } finally {
            lock.unlock();
        }
    }

    /** Records dead-lettered since this outbox was opened. */
    public long deadLettered() {
        lock.lock();
        try {
            return deadLettered;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiter so they notice the outbox is closed; further appends fail. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            space.signalAll();
            if (writer != null) {
                try {
                    writer.close();
                } catch (IOException ignored) {
                    // nothing left to flush: every append was written before it returned
                }
                writer = null;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits until no call is waiting for room, or {@code timeout} passes; for tests and shutdown. */
    public boolean awaitNoWaiters(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (waiting > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                space.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(10)), TimeUnit.NANOSECONDS);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ helpers

    private static long firstSeqOf(TreeMap<Long, Path> segs, Path p) {
        for (Map.Entry<Long, Path> e : segs.entrySet()) {
            if (e.getValue().equals(p)) {
                return e.getKey();
            }
        }
        throw new IllegalStateException("segment " + p + " is not in the outbox");
    }

    /** The sequence at the start of an outbox line, or -1 if the line is unreadable. */
    static long seqOf(String line) {
        int tab = line.indexOf('\t');
        if (tab <= 0 || tab > 19) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < tab; i++) {
            char ch = line.charAt(i);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            v = v * 10 + (ch - '0');
        }
        return v > 0 && line.length() > tab + 1 && line.charAt(tab + 1) == '{' && line.endsWith("}") ? v : -1;
    }

    private static boolean isJsonObject(String s) {
        try {
            return MAPPER.readTree(s).isObject();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static void writeAtomically(Path dir, String name, String content, boolean fsync) throws IOException {
        Path tmp = dir.resolve(name + ".tmp");
        try (FileOutputStream out = new FileOutputStream(tmp.toFile())) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
            if (fsync) {
                out.getFD().sync();
            }
        }
        Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
