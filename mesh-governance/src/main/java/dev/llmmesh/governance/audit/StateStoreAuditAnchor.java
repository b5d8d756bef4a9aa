package dev.llmmesh.governance.audit;

import dev.llmmesh.state.StateStore;
import dev.llmmesh.state.StateStoreUnavailableException;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An {@link AuditAnchor} in a {@link StateStore}: the newest signed checkpoint under one key, replaced by
 * compare-and-set so concurrent writers never move it back. With a shared store (Redis) the anchor lives outside the
 * host that writes the log, so whoever can rewrite the log file cannot also rewrite the anchor; give the same store
 * and key to {@link AuditVerifier#verify(java.nio.file.Path, java.nio.file.Path, dev.llmmesh.Secret, AuditAnchor)}.
 * On the in-memory store it only lasts as long as the process, which makes it useful for tests, not for tamper
 * evidence. Thread-safe.
 */
public final class StateStoreAuditAnchor implements AuditAnchor {
    /** How long the anchor is kept: ten years, renewed at every checkpoint. */
    static final Duration KEEP = Duration.ofDays(3650);
    private static final int MAX_TRIES = 16;

    private final StateStore store;
    private final String key;

    /**
     * @param store where the checkpoint is kept
     * @param key   its key, e.g. {@code audit/anchor/orders-service}
     * @throws IllegalArgumentException if {@code key} is blank
     */
    public StateStoreAuditAnchor(StateStore store, String key) {
        this.store = Objects.requireNonNull(store, "store");
        this.key = Objects.requireNonNull(key, "key");
        if (key.isBlank()) {
            throw new IllegalArgumentException("key must not be blank");
        }
    }

    @Override
    public void publish(Checkpoint checkpoint) throws IOException {
        Objects.requireNonNull(checkpoint, "checkpoint");
        String next = CheckpointJson.encode(checkpoint);
        try {
            for (int i = 0; i < MAX_TRIES; i++) {
                @Nullable String current = store.get(key).orElse(null);
                if (current != null && decode(current).seq() > checkpoint.seq()) {
                    return; // never move back
                }
                if (store.compareAndSet(key, current, next, KEEP)) {
                    return;
                }
            }
        } catch (StateStoreUnavailableException e) {
            throw new IOException("the state store holding the audit anchor did not answer", e);
        }
        throw new IOException("the audit anchor " + key + " kept changing under " + MAX_TRIES + " attempts to publish");
    }

    @Override
    public Optional<Checkpoint> newest() throws IOException {
        try {
            Optional<String> v = store.get(key);
            return v.isEmpty() ? Optional.empty() : Optional.of(decode(v.get()));
        } catch (StateStoreUnavailableException e) {
            throw new IOException("the state store holding the audit anchor did not answer", e);
        }
    }

    private Checkpoint decode(String text) throws IOException {
        return CheckpointJson.decode(text,
                "audit anchor " + key + " in the state store is not a checkpoint (damaged?)");
    }

    @Override
    public String toString() {
        return "StateStoreAuditAnchor[" + key + "]";
    }
}
