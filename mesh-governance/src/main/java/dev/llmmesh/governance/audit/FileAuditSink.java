package dev.llmmesh.governance.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmmesh.Secret;
import dev.llmmesh.governance.internal.audit.Hashes;
import dev.llmmesh.governance.internal.audit.LogLines;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only JSONL audit log with a hash chain and HMAC-signed checkpoints kept in a separate file.
 *
 * <p>Each line is {@code {"seq":N,"outbox":"..","oseq":M,"prev":"<hash of line N-1>","record":{...},"hash":"<h>"}},
 * where {@code h} is the SHA-256 of the line's text without its {@code ,"hash":"..."} suffix (so the hash covers
 * every byte before it, the previous hash included). Line 1's {@code prev} is 64 zeros. Every
 * {@code checkpointEvery} records, when {@code checkpointInterval} has passed with records unsigned, on
 * {@link #flush()} and on {@link #close()}, a line {@code {"seq":N,"hash":"<h>","at":"..","mac":"<hmac>"}} is
 * appended to the checkpoint file, the MAC being HMAC-SHA256 under the configured key. A flipped byte breaks a
 * record's hash, a deleted or moved record breaks the sequence and the chain, and a cut tail falls short of the last
 * checkpoint: {@link AuditVerifier} finds all four. Keep the checkpoint file away from the log (another disk, a
 * write-once bucket) and the key away from both.
 *
 * <p>Redelivered entries (same outbox, sequence not above the last one written) are skipped, so the log holds each
 * record once. On open, a line torn by a crash is cut off (its record is still in the outbox and is delivered again).
 *
 * <p>Thread-safe (writes are serialised). Close it to sign the tail.
 */
public final class FileAuditSink implements AuditSink {
    private static final Logger LOG = LoggerFactory.getLogger(FileAuditSink.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path log;
    private final Path checkpoints;
    private final byte[] key;
    private final int checkpointEvery;
    private final Duration checkpointInterval;
    private final boolean fsync;
    private final Clock clock;
    private final @Nullable AuditAnchor anchor;
    private final RandomAccessFile out;
    private long seq;
    private String lastHash;
    private String lastOutbox = "";
    private long lastOseq;
    private long signedSeq;
    private Instant lastCheckpoint;
    private boolean closed;

    private FileAuditSink(Builder b) throws IOException {
        this.log = b.log;
        this.checkpoints = b.checkpoints != null ? b.checkpoints : defaultCheckpoints(b.log);
        this.key = b.key.reveal().getBytes(StandardCharsets.UTF_8);
        this.checkpointEvery = b.checkpointEvery;
        this.checkpointInterval = b.checkpointInterval;
        this.fsync = b.fsync;
        this.clock = b.clock;
        this.anchor = b.anchor;
        Path parent = log.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path cpParent = checkpoints.toAbsolutePath().getParent();
        if (cpParent != null) {
            Files.createDirectories(cpParent);
        }
        if (Files.exists(log) && LogLines.repairTail(log)) {
            LOG.warn("audit log {}: cut off a line torn by a crash; its record is delivered again from the outbox", log);
        }
        this.out = new RandomAccessFile(log.toFile(), "rw");
        this.lastHash = Hashes.ZERO;
        String last = LogLines.lastLine(log);
        if (last != null) {
            JsonNode n = MAPPER.readTree(LogLines.bodyOf(last).orElseThrow(() -> new IOException(
                    "the last line of " + log + " is not an audit log line; run AuditVerifier on it")));
            seq = n.path("seq").asLong();
            lastOutbox = n.path("outbox").asText("");
            lastOseq = n.path("oseq").asLong();
            lastHash = LogLines.hashOf(last).orElseThrow();
        }
        this.signedSeq = lastSignedSeq(checkpoints);
        this.lastCheckpoint = clock.instant();
        if (anchor != null) {
            try {
                anchor.newest().filter(c -> c.seq() > seq).ifPresent(c -> LOG.warn("audit log {} ends at record {} "
                        + "but its anchor holds a checkpoint of record {}: the log was cut back; run AuditVerifier",
                        log, seq, c.seq()));
            } catch (IOException e) {
                LOG.warn("reading the audit anchor {} failed: {}", anchor, e.getClass().getName());
            }
        }
    }

    /** The checkpoint file used when none is given: the log's path plus {@code .checkpoints}. */
    public static Path defaultCheckpoints(Path log) {
        return log.resolveSibling(log.getFileName() + ".checkpoints");
    }

    /**
     * A builder for a sink writing {@code log}, signing checkpoints with {@code key}.
     *
     * @param key the HMAC key; keep it out of the log's reach (an environment variable or a secret store)
     */
    public static Builder builder(Path log, Secret key) {
        return new Builder(Objects.requireNonNull(log, "log"), Objects.requireNonNull(key, "key"));
    }

    /** The log file. */
    public Path log() {
        return log;
    }

    /** The checkpoint file. */
    public Path checkpoints() {
        return checkpoints;
    }

    @Override
    public synchronized void write(List<AuditEntry> entries) {
        if (closed) {
            throw AuditSinkException.unavailable("the file audit sink for " + log + " is closed", null);
        }
        StringBuilder batch = new StringBuilder(entries.size() * 512);
        long s = seq;
        String prev = lastHash;
        String outbox = lastOutbox;
        long oseq = lastOseq;
        for (AuditEntry e : entries) {
            if (e.outboxId().equals(outbox) && e.sequence() <= oseq) {
                continue; // delivered again after a crash: already in the log
            }
            s++;
            String line = LogLines.line(s, e.outboxId(), e.sequence(), prev, e.record().toJson());
            prev = LogLines.hashOf(line).orElseThrow();
            batch.append(line).append('\n');
            outbox = e.outboxId();
            oseq = e.sequence();
        }
        if (s == seq) {
            return;
        }
        byte[] bytes = batch.toString().getBytes(StandardCharsets.UTF_8);
        long before;
        try {
            before = out.length();
        } catch (IOException e) {
            throw AuditSinkException.unavailable("cannot read the length of " + log + ": " + e.getMessage(), e);
        }
        try {
            out.seek(before);
            out.write(bytes);
            if (fsync) {
                out.getFD().sync();
            }
        } catch (IOException e) {
            try {
                out.setLength(before);
            } catch (IOException ignored) {
                // a torn tail is cut off on the next open
            }
            throw AuditSinkException.unavailable("writing " + log + " failed: " + e.getMessage(), e);
        }
        seq = s;
        lastHash = prev;
        lastOutbox = outbox;
        lastOseq = oseq;
        Instant now = clock.instant();
        if (seq - signedSeq >= checkpointEvery
                || (seq > signedSeq && !now.isBefore(lastCheckpoint.plus(checkpointInterval)))) {
            checkpoint(now);
        }
    }

    /** Signs the tail: writes a checkpoint if records were written since the last one. */
    @Override
    public synchronized void flush() {
        if (!closed && seq > signedSeq) {
            checkpoint(clock.instant());
        }
    }

    /** Signs the tail and closes the log. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        flush();
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            LOG.warn("closing audit log {} failed: {}", log, e.getClass().getName());
        }
    }

    /** Records written to the log (its last sequence number). */
    public synchronized long records() {
        return seq;
    }

    private void checkpoint(Instant now) {
        String line = LogLines.checkpoint(seq, lastHash, now, key) + "\n";
        try (RandomAccessFile cp = new RandomAccessFile(checkpoints.toFile(), "rw")) {
            cp.seek(cp.length());
            cp.write(line.getBytes(StandardCharsets.UTF_8));
            if (fsync) {
                cp.getFD().sync();
            }
        } catch (IOException e) {
            // the records are safe in the log; the next checkpoint signs them
            LOG.warn("writing audit checkpoint to {} failed: {}", checkpoints, e.getClass().getName());
            return;
        }
        signedSeq = seq;
        lastCheckpoint = now;
        if (anchor != null) {
            try {
                anchor.publish(new AuditAnchor.Checkpoint(seq, lastHash, now.toString(),
                        LogLines.mac(seq, lastHash, now.toString(), key)));
            } catch (IOException | RuntimeException e) {
                // the checkpoint file has it; the next checkpoint publishes a newer one
                LOG.warn("publishing the audit checkpoint to the anchor {} failed: {}", anchor, e.getClass().getName());
            }
        }
    }

    private static long lastSignedSeq(Path checkpoints) throws IOException {
        if (!Files.exists(checkpoints)) {
            return 0;
        }
        LogLines.repairTail(checkpoints);
        String last = LogLines.lastLine(checkpoints);
        if (last == null) {
            return 0;
        }
        try {
            return MAPPER.readTree(last).path("seq").asLong();
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public String toString() {
        return "FileAuditSink[" + log + "]";
    }

    /** Builds a {@link FileAuditSink}. Not thread-safe. */
    public static final class Builder {
        private final Path log;
        private final Secret key;
        private Path checkpoints;
        private int checkpointEvery = 1000;
        private Duration checkpointInterval = Duration.ofMinutes(1);
        private boolean fsync;
        private Clock clock = Clock.systemUTC();
        private @Nullable AuditAnchor anchor;

        private Builder(Path log, Secret key) {
            this.log = log;
            this.key = key;
        }

        /** Where checkpoints go; default: the log's path plus {@code .checkpoints}. Keep it on other storage. */
        public Builder checkpoints(Path file) {
            this.checkpoints = Objects.requireNonNull(file, "file");
            return this;
        }

        /**
         * Sign a checkpoint at least every {@code records} records.
         *
         * @throws IllegalArgumentException if {@code records < 1}
         */
        public Builder checkpointEvery(int records) {
            if (records < 1) {
                throw new IllegalArgumentException("checkpointEvery must be >= 1, got " + records);
            }
            this.checkpointEvery = records;
            return this;
        }

        /**
         * Sign a checkpoint when this much time passed since the last one and records are unsigned (checked on write).
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder checkpointInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("checkpointInterval must be positive, got " + interval);
            }
            this.checkpointInterval = interval;
            return this;
        }

        /**
         * Also publish every checkpoint to {@code anchor}, a store the log writer cannot rewrite (default none). Give
         * the same anchor to {@link AuditVerifier#verify(Path, Path, Secret, AuditAnchor)}: it then reports a log
         * rewritten with its checkpoint file deleted, and a log cut back together with its checkpoints.
         */
        public Builder anchor(AuditAnchor anchor) {
            this.anchor = Objects.requireNonNull(anchor, "anchor");
            return this;
        }

        /** Force every write to the device (slower; survives power loss, not only process crashes). */
        public Builder fsync(boolean fsync) {
            this.fsync = fsync;
            return this;
        }

        /** The clock for checkpoint times. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Opens the log (creating it and its directories), recovering its chain state.
         *
         * @throws UncheckedIOException if the files cannot be opened, or the log's last line is not an audit line
         */
        public FileAuditSink open() {
            try {
                return new FileAuditSink(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open audit log " + log + ": " + e.getMessage(), e);
            }
        }
    }
}
