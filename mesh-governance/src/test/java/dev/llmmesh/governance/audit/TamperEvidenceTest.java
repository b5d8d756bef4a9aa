package dev.llmmesh.governance.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmmesh.Secret;
import dev.llmmesh.governance.internal.audit.Hashes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TamperEvidenceTest {
    private static final Secret KEY = Secret.of("test-hmac-key-0123456789");
    @TempDir
    Path dir;
    Path log;
    Path checkpoints;

    /** 20 records, checkpoints every 5. */
    @BeforeEach
    void writeLog() {
        log = dir.resolve("audit.jsonl");
        FileAuditSink sink = FileAuditSink.builder(log, KEY).checkpointEvery(5).open();
        for (int i = 1; i <= 20; i++) {
            sink.write(List.of(new AuditEntry("outbox-1", i, AuditFixtures.record(i, "search", "gpt",
                    "0.00" + i, Instant.parse("2026-01-01T10:00:00Z").plusSeconds(i)))));
        }
        sink.close();
        checkpoints = sink.checkpoints();
        assertThat(AuditFixtures.lines(checkpoints)).hasSize(4);
    }

    private VerificationReport verify() {
        return AuditVerifier.verify(log, KEY);
    }

    private List<String> lines() {
        return new ArrayList<>(AuditFixtures.lines(log));
    }

    private void write(List<String> lines) throws IOException {
        Files.writeString(log, lines.isEmpty() ? "" : String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    @Test
    void anUntouchedLogVerifies() {
        VerificationReport r = verify();
        assertThat(r.ok()).isTrue();
        assertThat(r.records()).isEqualTo(20);
        assertThat(r.checkpoints()).isEqualTo(4);
        assertThat(r.warnings()).isEmpty();
        assertThat(r.toText()).startsWith("OK: 20 record(s)");
    }

    @Test
    void scenario31_aFlippedByteIsDetectedAtItsRecord() throws IOException {
        byte[] bytes = Files.readAllBytes(log);
        String text = new String(bytes, StandardCharsets.UTF_8);
        int line7 = nthLineStart(text, 7);
        int at = text.indexOf("\"costUsd\":\"0.007\"", line7) + "\"costUsd\":\"0.00".length();
        bytes[at] ^= 0x01; // '7' becomes '6'
        Files.write(log, bytes);

        VerificationReport r = verify();

        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(VerificationReport.Kind.HASH_MISMATCH);
            assertThat(p.line()).isEqualTo(7);
            assertThat(p.seq()).hasValue(7);
        });
    }

    @Test
    void scenario31_aFlippedByteThatBreaksTheLineIsDetectedAtItsLine() throws IOException {
        byte[] bytes = Files.readAllBytes(log);
        String text = new String(bytes, StandardCharsets.UTF_8);
        int line3 = nthLineStart(text, 3);
        bytes[line3 + 1] ^= 0x20; // '"' of "seq" becomes a different character
        Files.write(log, bytes);

        VerificationReport r = verify();

        assertThat(r.ok()).isFalse();
        assertThat(r.problems().get(0).kind()).isIn(VerificationReport.Kind.CORRUPT_RECORD,
                VerificationReport.Kind.HASH_MISMATCH);
        assertThat(r.problems().get(0).line()).isEqualTo(3);
    }

    @Test
    void scenario31_aDeletedRecordIsDetectedWhereItWas() throws IOException {
        List<String> lines = lines();
        lines.remove(11); // record 12
        write(lines);

        VerificationReport r = verify();

        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(VerificationReport.Kind.MISSING_RECORDS);
            assertThat(p.line()).isEqualTo(12);
            assertThat(p.message()).contains("record 12 missing");
        });
    }

    @Test
    void scenario31_swappedRecordsAreDetectedAtBothLines() throws IOException {
        List<String> lines = lines();
        String nine = lines.get(8);
        lines.set(8, lines.get(9));
        lines.set(9, nine);
        write(lines);

        VerificationReport r = verify();

        assertThat(r.problems()).extracting(VerificationReport.Problem::kind)
                .containsOnly(VerificationReport.Kind.OUT_OF_ORDER);
        assertThat(r.problems()).extracting(VerificationReport.Problem::line).containsExactly(9L, 10L);
        assertThat(r.problems()).extracting(VerificationReport.Problem::seq)
                .containsExactly(OptionalLong.of(10), OptionalLong.of(9));
    }

    @Test
    void scenario31_aTruncatedTailIsDetectedAgainstTheSignedCheckpoint() throws IOException {
        List<String> lines = lines();
        write(lines.subList(0, 17)); // records 18-20 cut off; the checkpoint signed 20

        VerificationReport r = verify();

        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(VerificationReport.Kind.TRUNCATED_TAIL);
            assertThat(p.message()).contains("ends at record 17", "records 18..20 were cut off");
        });
    }

    @Test
    void aTailCutInTheMiddleOfARecordIsDetectedToo() throws IOException {
        byte[] bytes = Files.readAllBytes(log);
        Files.write(log, java.util.Arrays.copyOf(bytes, bytes.length - 40));

        VerificationReport r = verify();

        assertThat(r.problems()).extracting(VerificationReport.Problem::kind)
                .contains(VerificationReport.Kind.CORRUPT_RECORD, VerificationReport.Kind.TRUNCATED_TAIL);
    }

    @Test
    void aLogRewrittenWithRecomputedHashesFailsItsSignedCheckpoints() throws IOException {
        List<String> lines = lines();
        List<String> forged = new ArrayList<>(lines.subList(0, 3));
        String prev = AuditFixtures.json(lines.get(2)).get("hash").asText();
        for (int i = 3; i < lines.size(); i++) {
            String body = lines.get(i).substring(0, lines.get(i).lastIndexOf(",\"hash\":")) + "}";
            body = body.replaceFirst("\"prev\":\"[0-9a-f]{64}\"", "\"prev\":\"" + prev + "\"");
            if (i == 3) {
                body = body.replace("\"costUsd\":\"0.004\"", "\"costUsd\":\"0.000\"");
            }
            String hash = Hashes.sha256(body);
            forged.add(body.substring(0, body.length() - 1) + ",\"hash\":\"" + hash + "\"}");
            prev = hash;
        }
        write(forged);

        VerificationReport r = verify();

        assertThat(r.problems()).extracting(VerificationReport.Problem::kind)
                .containsOnly(VerificationReport.Kind.CHECKPOINT_MISMATCH);
        assertThat(r.problems()).extracting(VerificationReport.Problem::seq).contains(OptionalLong.of(5));
    }

    @Test
    void aForgedCheckpointOrTheWrongKeyFailsTheSignature() throws IOException {
        List<String> cps = new ArrayList<>(AuditFixtures.lines(checkpoints));
        cps.set(3, cps.get(3).replace("\"seq\":20", "\"seq\":25"));
        Files.writeString(checkpoints, String.join("\n", cps) + "\n");

        assertThat(verify().problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(VerificationReport.Kind.BAD_CHECKPOINT_SIGNATURE);
            assertThat(p.line()).isEqualTo(4);
        });
        assertThat(AuditVerifier.verify(log, Secret.of("another-key-xxxxxxxx")).problems())
                .hasSize(4).allMatch(p -> p.kind() == VerificationReport.Kind.BAD_CHECKPOINT_SIGNATURE);
    }

    @Test
    void theCommandVerifiesAndPointsAtTheBrokenRecord() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = Map.of("AUDIT_KEY", "test-hmac-key-0123456789");
        List<String> args = List.of("verify", log.toString(), "--key-env", "AUDIT_KEY");

        assertThat(AuditTool.run(args, new PrintStream(out), new PrintStream(err), env::get)).isZero();
        assertThat(out.toString()).startsWith("OK: 20 record(s)");

        List<String> lines = lines();
        lines.set(6, lines.get(6).replace("\"team\":\"search\"", "\"team\":\"searcH\""));
        write(lines);
        out.reset();
        assertThat(AuditTool.run(args, new PrintStream(out), new PrintStream(err), env::get)).isEqualTo(1);
        assertThat(out.toString()).contains("TAMPERED", "HASH_MISMATCH at line 7 (seq 7)");
        assertThat(out.toString()).doesNotContain("test-hmac-key");

        assertThat(AuditTool.run(List.of("verify", log.toString()), new PrintStream(out), new PrintStream(err),
                env::get)).isEqualTo(2);
        assertThat(AuditTool.run(List.of("verify", log.toString(), "--key-env", "NOPE"), new PrintStream(out),
                new PrintStream(err), env::get)).isEqualTo(2);
        assertThat(err.toString()).contains("--key-env", "NOPE is not set");
    }

    private static int nthLineStart(String text, int n) {
        int at = 0;
        for (int i = 1; i < n; i++) {
            at = text.indexOf('\n', at) + 1;
        }
        return at;
    }
}
