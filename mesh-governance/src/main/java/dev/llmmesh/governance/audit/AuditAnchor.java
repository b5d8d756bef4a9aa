package dev.llmmesh.governance.audit;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a {@link FileAuditSink} keeps its newest signed checkpoint <em>outside</em> the log and the checkpoint file,
 * in a store the process writing the log cannot rewrite (another account's directory, a write-once bucket, a
 * shared store). Without it, whoever can rewrite the log can also delete the checkpoint file, or cut log and
 * checkpoints back together, and the verifier could not tell; given the anchor, {@link AuditVerifier} reports both.
 * {@link FileAuditAnchor} is the file implementation.
 *
 * <p>Implementations must be thread-safe and must never move back: {@link #publish} with a lower sequence than the
 * newest is ignored.
 */
public interface AuditAnchor {

    /**
     * Stores {@code checkpoint} as the newest, unless a newer one is already stored.
     *
     * @throws IOException when the store cannot be written (the sink logs it and tries again at the next checkpoint)
     */
    void publish(Checkpoint checkpoint) throws IOException;

    /**
     * The newest checkpoint stored, or empty before the first.
     *
     * @throws IOException when the store cannot be read
     */
    Optional<Checkpoint> newest() throws IOException;

    /**
     * A signed checkpoint: the log was {@code seq} records long and its last record had hash {@code hash} at time
     * {@code at}; {@code mac} is the HMAC-SHA256 under the audit key (checked by the verifier, so a forged anchor is
     * reported too).
     */
    record Checkpoint(long seq, String hash, String at, String mac) {
        public Checkpoint {
            if (seq < 1) {
                throw new IllegalArgumentException("seq must be >= 1, got " + seq);
            }
            Objects.requireNonNull(hash, "hash");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(mac, "mac");
        }
    }
}
