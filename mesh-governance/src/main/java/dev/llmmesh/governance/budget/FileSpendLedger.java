package dev.llmmesh.governance.budget;

import dev.llmmesh.state.BoundedAdd;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A {@link SpendLedger} in one folder: each instance appends to its own file {@code ledger-INSTANCE.tsv} (one line per
 * counter settled: expiry, nano-dollars, key), written through to the operating system before the call returns;
 * {@link #totals(Instant)} sums the live lines of every instance's file. Put the folder on a volume every instance of
 * the fleet mounts. Opening the ledger rewrites this instance's own file without its expired lines, so files hold
 * what the budgets' windows still need.
 *
 * <pre>{@code
 * SpendLedger ledger = FileSpendLedger.open(Path.of("/var/lib/mesh/ledger"), "api-1");
 * BudgetConfig.builder().ledger(ledger)...
 * }</pre>
 * In {@code mesh.yaml}: {@code budgets: {ledger: {folder: /var/lib/mesh/ledger, instance: api-1}}}. Thread-safe.
 */
public final class FileSpendLedger implements SpendLedger {
    private static final Pattern INSTANCE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final Path folder;
    private final Path file;
    private final String instance;
    private FileOutputStream out;

    private FileSpendLedger(Path folder, String instance) throws IOException {
        this.folder = folder;
        this.instance = instance;
        this.file = folder.resolve("ledger-" + instance + ".tsv");
        this.out = new FileOutputStream(file.toFile(), true);
    }

    /**
     * Opens (creating the folder and file) the ledger of {@code instance} in {@code folder}, dropping this instance's
     * lines expired by {@code now}.
     *
     * @param instance 1-64 characters of {@code [A-Za-z0-9._-]}, unique in the fleet
     * @throws IllegalArgumentException if {@code instance} is not such a name
     * @throws UncheckedIOException     if the folder or file cannot be written
     */
    public static FileSpendLedger open(Path folder, String instance, Instant now) {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(instance, "instance");
        if (!INSTANCE.matcher(instance).matches()) {
            throw new IllegalArgumentException("instance must be 1-64 characters of [A-Za-z0-9._-], got \""
                    + instance + "\"");
        }
        try {
            Files.createDirectories(folder);
            Path own = folder.resolve("ledger-" + instance + ".tsv");
            if (Files.exists(own)) {
                compact(own, now);
            }
            return new FileSpendLedger(folder, instance);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the spend ledger in " + folder, e);
        }
    }

    /** As {@link #open(Path, String, Instant)} at the system clock's time. */
    public static FileSpendLedger open(Path folder, String instance) {
        return open(folder, instance, Instant.now());
    }

    /** This instance's file. */
    public Path file() {
        return file;
    }

    @Override
    public synchronized void record(List<BoundedAdd> counters, Instant now) {
        if (counters.isEmpty()) {
            return;
        }
        StringBuilder b = new StringBuilder(counters.size() * 64);
        for (BoundedAdd a : counters) {
            if (a.delta() == 0) {
                continue;
            }
            b.append(now.plus(a.ttl()).toEpochMilli()).append('\t').append(a.delta()).append('\t').append(a.key())
                    .append('\n');
        }
        try {
            out.write(b.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the spend ledger " + file, e);
        }
    }

    @Override
    public List<BoundedAdd> totals(Instant now) {
        Map<String, long[]> sums = new LinkedHashMap<>();
        long nowMs = now.toEpochMilli();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "ledger-*.tsv")) {
            for (Path f : files) {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    String[] p = line.split("\t", 3);
                    if (p.length != 3) {
                        continue; // a line cut by a crash mid-write
                    }
                    long expires;
                    long nanos;
                    try {
                        expires = Long.parseLong(p[0]);
                        nanos = Long.parseLong(p[1]);
                    } catch (NumberFormatException e) {
                        continue;
                    }
                    if (expires <= nowMs) {
                        continue;
                    }
                    long[] s = sums.computeIfAbsent(p[2], k -> new long[2]);
                    s[0] += nanos;
                    s[1] = Math.max(s[1], expires);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the spend ledger in " + folder, e);
        }
        List<BoundedAdd> out = new ArrayList<>(sums.size());
        for (Map.Entry<String, long[]> e : sums.entrySet()) {
            out.add(new BoundedAdd(e.getKey(), e.getValue()[0], Long.MAX_VALUE,
                    Duration.ofMillis(Math.max(1, e.getValue()[1] - nowMs))));
        }
        return out;
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException ignored) {
            // nothing buffered: every record was written through
        }
    }

    @Override
    public String toString() {
        return "FileSpendLedger[" + folder + ", instance " + instance + "]";
    }

    private static void compact(Path own, Instant now) throws IOException {
        long nowMs = now.toEpochMilli();
        List<String> keep = new ArrayList<>();
        for (String line : Files.readAllLines(own, StandardCharsets.UTF_8)) {
            String[] p = line.split("\t", 3);
            try {
                if (p.length == 3 && Long.parseLong(p[0]) > nowMs) {
                    keep.add(line);
                }
            } catch (NumberFormatException ignored) {
                // dropped
            }
        }
        Path tmp = own.resolveSibling(own.getFileName() + ".tmp");
        Files.write(tmp, keep, StandardCharsets.UTF_8);
        Files.move(tmp, own, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
