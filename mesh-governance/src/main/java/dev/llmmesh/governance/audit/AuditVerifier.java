package dev.llmmesh.governance.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmmesh.Secret;
import dev.llmmesh.governance.internal.audit.Hashes;
import dev.llmmesh.governance.internal.audit.LineReader;
import dev.llmmesh.governance.internal.audit.LogLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Checks a {@link FileAuditSink} log against its hash chain and its signed checkpoints, and reports every sign of
 * tampering with the line (and record sequence) where it shows:
 * <ul>
 *   <li>a flipped byte: the record no longer matches its hash ({@link VerificationReport.Kind#HASH_MISMATCH}), or the
 *       line is no longer an audit line ({@link VerificationReport.Kind#CORRUPT_RECORD});</li>
 *   <li>a deleted record: the sequence jumps over records found nowhere in the log
 *       ({@link VerificationReport.Kind#MISSING_RECORDS});</li>
 *   <li>swapped records: records out of sequence order ({@link VerificationReport.Kind#OUT_OF_ORDER});</li>
 *   <li>a truncated tail: the log ends before the last signed checkpoint
 *       ({@link VerificationReport.Kind#TRUNCATED_TAIL});</li>
 *   <li>a rewritten log (hashes recomputed without the key): a signed checkpoint no longer matches
 *       ({@link VerificationReport.Kind#CHECKPOINT_MISMATCH}); a forged checkpoint fails its signature
 *       ({@link VerificationReport.Kind#BAD_CHECKPOINT_SIGNATURE}).</li>
 * </ul>
 * Records after the last checkpoint cannot be proven complete; the report says so as a warning. Reads the files once,
 * in a single pass, in memory proportional to the damage found. Stateless and thread-safe. The command line is
 * {@link AuditTool}.
 */
public final class AuditVerifier {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AuditVerifier() {
    }

    /**
     * Verifies {@code log} against the checkpoints next to it ({@link FileAuditSink#defaultCheckpoints(Path)}).
     *
     * @throws UncheckedIOException if a file cannot be read
     */
    public static VerificationReport verify(Path log, Secret key) {
        return verify(log, FileAuditSink.defaultCheckpoints(log), key);
    }

    /**
     * Verifies {@code log} against the checkpoints in {@code checkpoints}, signed with {@code key}.
     *
     * @throws UncheckedIOException if a file cannot be read
     */
    public static VerificationReport verify(Path log, Path checkpoints, Secret key) {
        return verify(log, checkpoints, key, null);
    }

    /**
     * Verifies {@code log} against its checkpoints and against {@code anchor}, the newest signed checkpoint kept
     * where the log writer cannot rewrite it. On top of {@link #verify(Path, Path, Secret)} this reports a log
     * rewritten with its checkpoint file deleted or emptied ({@link VerificationReport.Kind#MISSING_CHECKPOINTS},
     * and {@link VerificationReport.Kind#CHECKPOINT_MISMATCH} at the anchored record), and a log cut back together
     * with its checkpoints ({@link VerificationReport.Kind#TRUNCATED_TAIL}); a forged anchor fails its signature.
     *
     * @param anchor the anchor, or null for none
     * @throws UncheckedIOException if a file or the anchor cannot be read
     */
    public static VerificationReport verify(Path log, Path checkpoints, Secret key, @Nullable AuditAnchor anchor) {
        try {
            return new Run(key.reveal().getBytes(StandardCharsets.UTF_8)).verify(log, checkpoints, anchor);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log + ", " + checkpoints
                    + (anchor == null ? "" : " or " + anchor) + ": " + e.getMessage(), e);
        }
    }

    /** A valid checkpoint; {@code line} 0 is the anchor. */
    private record Checkpoint(long line, long seq, String hash, String at) {
        String where() {
            return line == 0 ? "the anchored checkpoint" : "checkpoint line " + line;
        }
    }

    private record Gap(long from, long to, long line, long seq) {
    }

    private record Seen(long line, String storedHash, boolean intact) {
    }

    private static final class Run {
        private final byte[] key;
        private final List<VerificationReport.Problem> problems = new ArrayList<>();
        private final List<VerificationReport.Problem> checkpointProblems = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();

        Run(byte[] key) {
            this.key = key;
        }

        VerificationReport verify(Path log, Path checkpointFile, @Nullable AuditAnchor anchor) throws IOException {
            List<Checkpoint> checkpoints = readCheckpoints(checkpointFile);
            int inFile = checkpoints.size();
            if (anchor != null) {
                anchored(anchor, checkpoints);
            }
            Map<Long, Seen> atCheckpoints = new HashMap<>();
            Set<Long> wanted = new HashSet<>();
            for (Checkpoint c : checkpoints) {
                wanted.add(c.seq());
            }
            long records = 0;
            long lineNo = 0;
            long prevSeq = 0;
            String prevHash = Hashes.ZERO;
            long maxSeq = 0;
            List<Gap> gaps = new ArrayList<>();
            TreeSet<Long> irregular = new TreeSet<>();
            if (Files.exists(log)) {
                try (LineReader r = new LineReader(log, 0)) {
                    String line;
                    while ((line = r.next()) != null) {
                        lineNo++;
                        String body = LogLines.bodyOf(line).orElse(null);
                        String stored = LogLines.hashOf(line).orElse(null);
                        JsonNode n = body == null ? null : parse(body);
                        if (n == null || !n.path("seq").canConvertToLong() || !n.path("seq").isIntegralNumber()) {
                            problems.add(problem(VerificationReport.Kind.CORRUPT_RECORD, lineNo, OptionalLong.empty(),
                                    "the line is not a well-formed audit record (damaged: a changed byte?)"));
                            prevSeq++;
                            maxSeq = Math.max(maxSeq, prevSeq);
                            prevHash = null;
                            continue;
                        }
                        records++;
                        long seq = n.get("seq").asLong();
                        String prev = n.path("prev").asText("");
                        boolean intact = Hashes.sha256(body).equals(stored);
                        if (!intact) {
                            problems.add(problem(VerificationReport.Kind.HASH_MISMATCH, lineNo, OptionalLong.of(seq),
                                    "the record does not match its hash: it was modified after it was written"));
                        }
                        if (seq == prevSeq + 1) {
                            if (prevHash != null && !prev.equals(prevHash)) {
                                problems.add(problem(VerificationReport.Kind.BROKEN_CHAIN, lineNo,
                                        OptionalLong.of(seq), "the record's prev hash is not the hash of record "
                                                + prevSeq + ": the chain was cut or rewritten here"));
                            }
                        } else if (seq > prevSeq + 1) {
                            gaps.add(new Gap(prevSeq + 1, seq - 1, lineNo, seq));
                            irregular.add(seq);
                        } else {
                            irregular.add(seq);
                            problems.add(problem(VerificationReport.Kind.OUT_OF_ORDER, lineNo, OptionalLong.of(seq),
                                    "record " + seq + " comes after record " + prevSeq
                                            + ": records were swapped, moved or duplicated"));
                        }
                        if (wanted.contains(seq)) {
                            atCheckpoints.put(seq, new Seen(lineNo, stored, intact));
                        }
                        if (seq > prevSeq) {
                            prevSeq = seq;
                            prevHash = stored;
                        }
                        maxSeq = Math.max(maxSeq, seq);
                    }
                    if (r.position() < r.length()) {
                        problems.add(problem(VerificationReport.Kind.CORRUPT_RECORD, lineNo + 1, OptionalLong.empty(),
                                "the last line is incomplete: the log was cut in the middle of a record"));
                    }
                }
            }
            for (Gap g : gaps) {
                Long inside = irregular.ceiling(g.from());
                String range = g.from() == g.to() ? "record " + g.from() : "records " + g.from() + ".." + g.to();
                if (inside != null && inside <= g.to()) {
                    problems.add(problem(VerificationReport.Kind.OUT_OF_ORDER, g.line(), OptionalLong.of(g.seq()),
                            "record " + g.seq() + " comes before " + range + ": records were swapped or moved"));
                } else {
                    problems.add(problem(VerificationReport.Kind.MISSING_RECORDS, g.line(), OptionalLong.of(g.seq()),
                            range + " missing before this line: deleted"));
                }
            }
            problems.sort(Comparator.comparingLong(VerificationReport.Problem::line));
            checkTail(checkpoints, atCheckpoints, maxSeq, lineNo);
            problems.addAll(checkpointProblems);
            return new VerificationReport(records, inFile, problems, warnings);
        }

        /** Adds the anchor's checkpoint to {@code checkpoints} when its signature holds. */
        private void anchored(AuditAnchor anchor, List<Checkpoint> checkpoints) throws IOException {
            var newest = anchor.newest();
            if (newest.isEmpty()) {
                warnings.add("the anchor " + anchor + " holds no checkpoint yet");
                return;
            }
            AuditAnchor.Checkpoint a = newest.get();
            if (!Hashes.equalsConstantTime(LogLines.mac(a.seq(), a.hash(), a.at(), key), a.mac())) {
                checkpointProblems.add(problem(VerificationReport.Kind.BAD_CHECKPOINT_SIGNATURE, 0,
                        OptionalLong.of(a.seq()), "the anchored checkpoint's signature does not verify with this "
                                + "key: forged or modified anchor (or the wrong key)"));
                return;
            }
            long highest = checkpoints.stream().mapToLong(Checkpoint::seq).max().orElse(0);
            boolean same = checkpoints.stream().anyMatch(c -> c.seq() == a.seq() && c.hash().equals(a.hash()));
            if (highest < a.seq()) {
                checkpointProblems.add(problem(VerificationReport.Kind.MISSING_CHECKPOINTS, 0, OptionalLong.of(a.seq()),
                        (highest == 0 ? "the checkpoint file holds no valid checkpoint" : "the checkpoint file ends "
                                + "at record " + highest) + " but the anchor holds a checkpoint of record " + a.seq()
                                + ", signed at " + a.at() + ": checkpoints were deleted or cut back"));
            } else if (!same && checkpoints.stream().anyMatch(c -> c.seq() == a.seq())) {
                checkpointProblems.add(problem(VerificationReport.Kind.CHECKPOINT_MISMATCH, 0, OptionalLong.of(a.seq()),
                        "the checkpoint file signs another hash for record " + a.seq() + " than the anchor: the "
                                + "checkpoints were rewritten"));
            }
            checkpoints.add(new Checkpoint(0, a.seq(), a.hash(), a.at()));
        }

        private void checkTail(List<Checkpoint> checkpoints, Map<Long, Seen> seen, long maxSeq, long lines) {
            if (checkpoints.isEmpty()) {
                if (maxSeq > 0) {
                    warnings.add("no valid checkpoint: a truncated tail or a log rewritten from the start cannot be "
                            + "detected");
                }
                return;
            }
            Checkpoint highest = checkpoints.get(0);
            for (Checkpoint c : checkpoints) {
                if (c.seq() > highest.seq()) {
                    highest = c;
                }
                Seen s = seen.get(c.seq());
                if (c.seq() <= maxSeq && s != null && !s.storedHash().equals(c.hash())) {
                    checkpointProblems.add(problem(VerificationReport.Kind.CHECKPOINT_MISMATCH, s.line(),
                            OptionalLong.of(c.seq()), "record " + c.seq() + " does not match "
                                    + c.where() + " signed at " + c.at() + ": the log was rewritten after it was signed"));
                }
            }
            if (highest.seq() > maxSeq) {
                checkpointProblems.add(problem(VerificationReport.Kind.TRUNCATED_TAIL, lines + 1,
                        OptionalLong.of(maxSeq + 1), "the log ends at record " + maxSeq + " but "
                                + highest.where() + ", signed at " + highest.at() + ", covers " + highest.seq()
                                + " records: records " + (maxSeq + 1) + ".." + highest.seq() + " were cut off"));
            } else if (maxSeq > highest.seq()) {
                warnings.add((maxSeq - highest.seq()) + " record(s) after record " + highest.seq()
                        + " (the last checkpoint) are not covered by a signature yet");
            }
        }

        private List<Checkpoint> readCheckpoints(Path file) throws IOException {
            List<Checkpoint> out = new ArrayList<>();
            if (!Files.exists(file)) {
                warnings.add("checkpoint file " + file + " not found");
                return out;
            }
            long lineNo = 0;
            try (LineReader r = new LineReader(file, 0)) {
                String line;
                while ((line = r.next()) != null) {
                    lineNo++;
                    JsonNode n = parse(line);
                    if (n == null || !n.path("seq").isIntegralNumber() || !n.path("hash").isTextual()
                            || !n.path("at").isTextual() || !n.path("mac").isTextual()) {
                        checkpointProblems.add(problem(VerificationReport.Kind.BAD_CHECKPOINT_SIGNATURE, lineNo,
                                OptionalLong.empty(), "checkpoint line is not well-formed (damaged or forged)"));
                        continue;
                    }
                    long seq = n.get("seq").asLong();
                    String hash = n.get("hash").asText();
                    String at = n.get("at").asText();
                    String expected = LogLines.mac(seq, hash, at, key);
                    if (!Hashes.equalsConstantTime(expected, n.get("mac").asText())) {
                        checkpointProblems.add(problem(VerificationReport.Kind.BAD_CHECKPOINT_SIGNATURE, lineNo,
                                OptionalLong.of(seq), "checkpoint signature does not verify with this key: "
                                        + "forged or modified checkpoint (or the wrong key)"));
                        continue;
                    }
                    out.add(new Checkpoint(lineNo, seq, hash, at));
                }
                if (r.position() < r.length()) {
                    checkpointProblems.add(problem(VerificationReport.Kind.BAD_CHECKPOINT_SIGNATURE, lineNo + 1,
                            OptionalLong.empty(), "the last checkpoint line is incomplete"));
                }
            }
            return out;
        }

        private static @Nullable JsonNode parse(String text) {
            try {
                JsonNode n = MAPPER.readTree(text);
                return n != null && n.isObject() ? n : null;
            } catch (IOException e) {
                return null;
            }
        }

        private static VerificationReport.Problem problem(VerificationReport.Kind kind, long line, OptionalLong seq,
                                                          String message) {
            return new VerificationReport.Problem(kind, line, seq, message);
        }
    }
}
