package dev.llmmesh.governance.audit;

import dev.llmmesh.governance.budget.ScopeIdentity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * How audit records are buffered and delivered. Immutable and thread-safe; build with {@link #builder(Path, AuditSink)}.
 *
 * <p>Defaults: at most 100,000 undelivered records, {@link WhenFull#BLOCK} for up to 30 s, background delivery every
 * second in batches of 500, no fsync of the outbox (a process crash loses nothing; a power cut may lose what the OS
 * had not written), prompts and answers as hashes for every team, 25 s to drain on close, no shutdown hook.
 */
public final class AuditConfig {
    private final Path outboxDir;
    private final AuditSink sink;
    private final int maxPending;
    private final WhenFull whenFull;
    private final Duration blockTimeout;
    private final Duration deliveryInterval;
    private final int batchSize;
    private final int segmentRecords;
    private final boolean fsync;
    private final Set<String> contentTeams;
    private final ScopeIdentity identity;
    private final Duration closeTimeout;
    private final boolean drainOnShutdown;

    private AuditConfig(Builder b) {
        this.outboxDir = b.outboxDir;
        this.sink = b.sink;
        this.maxPending = b.maxPending;
        this.whenFull = b.whenFull;
        this.blockTimeout = b.blockTimeout;
        this.deliveryInterval = b.deliveryInterval;
        this.batchSize = b.batchSize;
        this.segmentRecords = b.segmentRecords;
        this.fsync = b.fsync;
        this.contentTeams = Set.copyOf(b.contentTeams);
        this.identity = b.identity;
        this.closeTimeout = b.closeTimeout;
        this.drainOnShutdown = b.drainOnShutdown;
    }

    /**
     * A builder for records buffered in {@code outboxDir} and delivered to {@code sink}.
     *
     * @param outboxDir a directory of its own on durable local storage
     * @param sink      where records end up
     */
    public static Builder builder(Path outboxDir, AuditSink sink) {
        return new Builder(Objects.requireNonNull(outboxDir, "outboxDir"), Objects.requireNonNull(sink, "sink"));
    }

    public Path outboxDir() {
        return outboxDir;
    }

    public AuditSink sink() {
        return sink;
    }

    /** The most undelivered records the outbox holds before calls wait or are refused. */
    public int maxPending() {
        return maxPending;
    }

    public WhenFull whenFull() {
        return whenFull;
    }

    /** How long a call waits for room under {@link WhenFull#BLOCK}. */
    public Duration blockTimeout() {
        return blockTimeout;
    }

    /** How often the background thread delivers; zero for no background delivery (call {@link AuditPlugin#flush()}). */
    public Duration deliveryInterval() {
        return deliveryInterval;
    }

    /** Records per sink write. */
    public int batchSize() {
        return batchSize;
    }

    /** Records per outbox segment file. */
    public int segmentRecords() {
        return segmentRecords;
    }

    /** Whether every outbox append is forced to the device. */
    public boolean fsync() {
        return fsync;
    }

    /** Teams whose prompts and answers are kept as text (besides the hash). */
    public Set<String> contentTeams() {
        return contentTeams;
    }

    /** How API keys and agent runs are found in a call's context. */
    public ScopeIdentity identity() {
        return identity;
    }

    /** How long {@link AuditPlugin#close()} keeps delivering before leaving the rest in the outbox. */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /** Whether a JVM shutdown hook closes (drains) the plugin, e.g. on SIGTERM. */
    public boolean drainOnShutdown() {
        return drainOnShutdown;
    }

    @Override
    public String toString() {
        return "AuditConfig{outboxDir=" + outboxDir + ", sink=" + sink + ", maxPending=" + maxPending + ", whenFull="
                + whenFull + ", blockTimeout=" + blockTimeout + ", deliveryInterval=" + deliveryInterval
                + ", batchSize=" + batchSize + ", fsync=" + fsync + ", contentTeams=" + contentTeams + '}';
    }

    /** Builds an {@link AuditConfig}. Not thread-safe. */
    public static final class Builder {
        private final Path outboxDir;
        private final AuditSink sink;
        private int maxPending = 100_000;
        private WhenFull whenFull = WhenFull.BLOCK;
        private Duration blockTimeout = Duration.ofSeconds(30);
        private Duration deliveryInterval = Duration.ofSeconds(1);
        private int batchSize = 500;
        private int segmentRecords = 10_000;
        private boolean fsync;
        private final Set<String> contentTeams = new LinkedHashSet<>();
        private ScopeIdentity identity = ScopeIdentity.defaults();
        private Duration closeTimeout = Duration.ofSeconds(25);
        private boolean drainOnShutdown;

        private Builder(Path outboxDir, AuditSink sink) {
            this.outboxDir = outboxDir;
            this.sink = sink;
        }

        /**
         * @throws IllegalArgumentException if {@code records < 1}
         */
        public Builder maxPending(int records) {
            if (records < 1) {
                throw new IllegalArgumentException("maxPending must be >= 1, got " + records);
            }
            this.maxPending = records;
            return this;
        }

        public Builder whenFull(WhenFull policy) {
            this.whenFull = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * @throws IllegalArgumentException if negative
         */
        public Builder blockTimeout(Duration timeout) {
            this.blockTimeout = nonNegative(timeout, "blockTimeout");
            return this;
        }

        /**
         * How often to deliver in the background; {@link Duration#ZERO} turns background delivery off.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder deliveryInterval(Duration interval) {
            this.deliveryInterval = nonNegative(interval, "deliveryInterval");
            return this;
        }

        /**
         * @throws IllegalArgumentException if {@code records < 1}
         */
        public Builder batchSize(int records) {
            if (records < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1, got " + records);
            }
            this.batchSize = records;
            return this;
        }

        /**
         * @throws IllegalArgumentException if {@code records < 1}
         */
        public Builder segmentRecords(int records) {
            if (records < 1) {
                throw new IllegalArgumentException("segmentRecords must be >= 1, got " + records);
            }
            this.segmentRecords = records;
            return this;
        }

        public Builder fsync(boolean fsync) {
            this.fsync = fsync;
            return this;
        }

        /**
         * Keeps prompts and answers of {@code team} as text too (they are always hashed).
         *
         * @throws IllegalArgumentException if {@code team} is blank
         */
        public Builder includeContentFor(String team) {
            Objects.requireNonNull(team, "team");
            if (team.isBlank()) {
                throw new IllegalArgumentException("team must not be blank");
            }
            contentTeams.add(team);
            return this;
        }

        public Builder identity(ScopeIdentity identity) {
            this.identity = Objects.requireNonNull(identity, "identity");
            return this;
        }

        /**
         * @throws IllegalArgumentException if negative
         */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = nonNegative(timeout, "closeTimeout");
            return this;
        }

        /** Registers a JVM shutdown hook that closes the plugin (delivering what it can within the close timeout). */
        public Builder drainOnShutdown(boolean drain) {
            this.drainOnShutdown = drain;
            return this;
        }

        public AuditConfig build() {
            return new AuditConfig(this);
        }

        private static Duration nonNegative(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative()) {
                throw new IllegalArgumentException(what + " must not be negative, got " + d);
            }
            return d;
        }
    }
}
