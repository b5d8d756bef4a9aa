package dev.llmmesh.governance.audit;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What {@link AuditVerifier} found.
 *
 * @param records     readable records in the log
 * @param checkpoints checkpoints with a valid signature
 * @param problems    evidence of tampering or damage, in the order found; empty when the log is intact
 * @param warnings    limits of what could be proven (e.g. records after the last checkpoint)
 */
public record VerificationReport(long records, int checkpoints, List<Problem> problems, List<String> warnings) {
    public VerificationReport {
        problems = List.copyOf(problems);
        warnings = List.copyOf(warnings);
    }

    /** Whether no problem was found. */
    public boolean ok() {
        return problems.isEmpty();
    }

    /** Whether a problem of {@code kind} was found. */
    public boolean has(Kind kind) {
        return problems.stream().anyMatch(p -> p.kind() == kind);
    }

    /** A human-readable report: a verdict line, then one line per problem and warning. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        if (ok()) {
            sb.append("OK: ").append(records).append(" record(s), hash chain intact, ").append(checkpoints)
                    .append(" valid checkpoint(s)\n");
        } else {
            sb.append("TAMPERED OR DAMAGED: ").append(problems.size()).append(" problem(s) in ").append(records)
                    .append(" readable record(s)\n");
            for (Problem p : problems) {
                sb.append("  ").append(p.kind()).append(" at line ").append(p.line())
                        .append(p.seq().isPresent() ? " (seq " + p.seq().getAsLong() + ")" : "").append(": ")
                        .append(p.message()).append('\n');
            }
        }
        for (String w : warnings) {
            sb.append("  warning: ").append(w).append('\n');
        }
        return sb.toString();
    }

    /** What kind of damage a problem is evidence of. */
    public enum Kind {
        /** A line is not a well-formed audit line (a flipped byte in its structure, or a torn write). */
        CORRUPT_RECORD,
        /** A record's content does not match its hash: it was modified. */
        HASH_MISMATCH,
        /** Sequence numbers jump and the skipped records are nowhere in the log: records were deleted. */
        MISSING_RECORDS,
        /** A record is out of sequence order: records were swapped or moved. */
        OUT_OF_ORDER,
        /** A record's {@code prev} is not the hash of the record before it: the chain was cut or rewritten. */
        BROKEN_CHAIN,
        /** The log ends before the last signed checkpoint: its tail was truncated. */
        TRUNCATED_TAIL,
        /** A checkpoint's signature is wrong: forged or modified checkpoint (or the wrong key). */
        BAD_CHECKPOINT_SIGNATURE,
        /** The record a valid checkpoint signed has another hash now: the log was rewritten after it was signed. */
        CHECKPOINT_MISMATCH,
        /** The checkpoint file ends before the checkpoint held by the anchor: checkpoints were deleted or cut back. */
        MISSING_CHECKPOINTS
    }

    /**
     * One problem.
     *
     * @param kind    what it is evidence of
     * @param line    the line of the log (or of the checkpoint file, for checkpoint problems) where it shows, from 1;
     *                0 for a problem with the anchor
     * @param seq     the record's sequence number, when known
     * @param message what is wrong, for people
     */
    public record Problem(Kind kind, long line, OptionalLong seq, String message) {
        public Problem {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(seq, "seq");
            Objects.requireNonNull(message, "message");
        }
    }
}
