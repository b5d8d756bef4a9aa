package dev.llmmesh.governance.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@link AuditAnchor} in one small file holding the newest signed checkpoint as one JSON line, replaced
 * atomically (write a temporary file next to it, then rename). Put it where the log writer cannot rewrite it: a
 * directory owned by another account that the mesh may only write through a narrow channel, a mount that another
 * host copies off, or implement {@link AuditAnchor} over a write-once store. Thread-safe.
 */
public final class FileAuditAnchor implements AuditAnchor {
    private final Path file;

    /** An anchor kept in {@code file} (created, with its directories, at the first checkpoint). */
    public FileAuditAnchor(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    /** The file. */
    public Path file() {
        return file;
    }

    @Override
    public synchronized void publish(Checkpoint checkpoint) throws IOException {
        Objects.requireNonNull(checkpoint, "checkpoint");
        Optional<Checkpoint> current = read();
        if (current.isPresent() && current.get().seq() > checkpoint.seq()) {
            return;
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, (CheckpointJson.encode(checkpoint) + "\n").getBytes(StandardCharsets.UTF_8));
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public synchronized Optional<Checkpoint> newest() throws IOException {
        return read();
    }

    private Optional<Checkpoint> read() throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String text = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(CheckpointJson.decode(text,
                "audit anchor " + file + " is not a checkpoint line (damaged?)"));
    }

    @Override
    public String toString() {
        return "FileAuditAnchor[" + file + "]";
    }
}
