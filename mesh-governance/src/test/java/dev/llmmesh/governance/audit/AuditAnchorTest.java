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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit tail anchored outside the log: the attacks that need no key, reported given the anchor. */
class AuditAnchorTest {
    private static final Secret KEY = Secret.of("test-hmac-key-0123456789");
    private static final Map<String, String> ENV = Map.of("AUDIT_KEY", "test-hmac-key-0123456789");
    @TempDir
    Path dir;
    Path log;
    Path checkpoints;
    Path anchorFile;

    /** 40 records, checkpoints every 5, the newest also in the anchor (another folder). */
    @BeforeEach
    void writeLog() throws IOException {
        log = dir.resolve("audit.jsonl");
        anchorFile = dir.resolve("elsewhere").resolve("audit.anchor");
        FileAuditSink sink = FileAuditSink.builder(log, KEY).checkpointEvery(5).anchor(new FileAuditAnchor(anchorFile))
                .open();
        for (int i = 1; i <= 40; i++) {
            sink.write(List.of(new AuditEntry("outbox-1", i, AuditFixtures.record(i, "search", "gpt",
                    "0.00" + (i % 10), Instant.parse("2026-01-01T10:00:00Z").plusSeconds(i)))));
        }
        sink.close();
        checkpoints = sink.checkpoints();
        assertThat(AuditFixtures.lines(checkpoints)).hasSize(8);
        assertThat(new FileAuditAnchor(anchorFile).newest()).hasValueSatisfying(c -> assertThat(c.seq()).isEqualTo(40));
    }

    private VerificationReport verify() {
        return AuditVerifier.verify(log, checkpoints, KEY, new FileAuditAnchor(anchorFile));
    }

    private int command() {
        List<String> args = List.of("verify", log.toString(), "--key-env", "AUDIT_KEY", "--anchor",
                anchorFile.toString());
        return AuditTool.run(args, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()), ENV::get);
    }

    private List<String> lines(Path file) {
        return new ArrayList<>(AuditFixtures.lines(file));
    }

    private static void write(Path file, List<String> lines) throws IOException {
        Files.writeString(file, lines.isEmpty() ? "" : String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    /** Rewrites every record from index {@code from} on, recomputing the chain (no key needed). */
    private List<String> rewritten(int from) {
        List<String> lines = lines(log);
        List<String> forged = new ArrayList<>(lines.subList(0, from));
        String prev = from == 0 ? Hashes.ZERO : AuditFixtures.json(lines.get(from - 1)).get("hash").asText();
        for (int i = from; i < lines.size(); i++) {
            String body = lines.get(i).substring(0, lines.get(i).lastIndexOf(",\"hash\":")) + "}";
            body = body.replaceFirst("\"prev\":\"[0-9a-f]{64}\"", "\"prev\":\"" + prev + "\"");
            body = body.replace("\"team\":\"search\"", "\"team\":\"other\"");
            String hash = Hashes.sha256(body);
            forged.add(body.substring(0, body.length() - 1) + ",\"hash\":\"" + hash + "\"}");
            prev = hash;
        }
        return forged;
    }

    @Test
    void scenario44_anUntouchedLogVerifiesWithItsAnchor() {
        VerificationReport r = verify();
        assertThat(r.ok()).as(r.toText()).isTrue();
        assertThat(command()).isZero();
    }

    @Test
    void scenario44_aLogRewrittenWithItsCheckpointFileDeletedIsReported() throws IOException {
        write(log, rewritten(0));
        Files.delete(checkpoints);
        // without the anchor this passes (nothing signed is left to compare with)
        assertThat(AuditVerifier.verify(log, checkpoints, KEY).ok()).isTrue();

        VerificationReport r = verify();
        assertThat(r.ok()).isFalse();
        assertThat(r.has(VerificationReport.Kind.MISSING_CHECKPOINTS)).isTrue();
        assertThat(r.has(VerificationReport.Kind.CHECKPOINT_MISMATCH)).as(r.toText()).isTrue();
        assertThat(command()).isEqualTo(1);
    }

    @Test
    void scenario44_anEmptiedCheckpointFileIsReportedEvenIfTheLogIsUntouched() throws IOException {
        write(checkpoints, List.of());
        VerificationReport r = verify();
        assertThat(r.problems()).extracting(VerificationReport.Problem::kind)
                .containsOnly(VerificationReport.Kind.MISSING_CHECKPOINTS);
        assertThat(command()).isEqualTo(1);
    }

    @Test
    void scenario44_logAndCheckpointsCutBackByHalfAreReported() throws IOException {
        write(log, lines(log).subList(0, 20));
        write(checkpoints, lines(checkpoints).subList(0, 4));
        // consistent with each other: without the anchor this passes
        assertThat(AuditVerifier.verify(log, checkpoints, KEY).ok()).isTrue();

        VerificationReport r = verify();
        assertThat(r.has(VerificationReport.Kind.TRUNCATED_TAIL)).as(r.toText()).isTrue();
        assertThat(r.has(VerificationReport.Kind.MISSING_CHECKPOINTS)).isTrue();
        assertThat(r.toText()).contains("the log ends at record 20 but the anchored checkpoint");
        assertThat(command()).isEqualTo(1);
    }

    @Test
    void scenario44_aForgedAnchorFailsItsSignature() throws IOException {
        String text = Files.readString(anchorFile).replace("\"seq\":40", "\"seq\":41");
        Files.writeString(anchorFile, text);
        assertThat(verify().has(VerificationReport.Kind.BAD_CHECKPOINT_SIGNATURE)).isTrue();
    }

    @Test
    void scenario44_theAnchorNeverMovesBackAndTheSinkKeepsPublishing() throws IOException {
        FileAuditAnchor anchor = new FileAuditAnchor(anchorFile);
        AuditAnchor.Checkpoint newest = anchor.newest().orElseThrow();
        anchor.publish(new AuditAnchor.Checkpoint(3, newest.hash(), newest.at(), newest.mac()));
        assertThat(anchor.newest()).contains(newest);

        FileAuditSink sink = FileAuditSink.builder(log, KEY).checkpointEvery(5).anchor(anchor).open();
        for (int i = 41; i <= 45; i++) {
            sink.write(List.of(new AuditEntry("outbox-1", i, AuditFixtures.record(i, "search", "gpt", "0.001",
                    Instant.parse("2026-01-01T11:00:00Z").plusSeconds(i)))));
        }
        sink.close();
        assertThat(anchor.newest()).hasValueSatisfying(c -> assertThat(c.seq()).isEqualTo(45));
        assertThat(verify().ok()).isTrue();
    }

    @Test
    void scenario44_aStateStoreAnchorReportsLogAndCheckpointsCutBackAndNeverMovesBack() throws IOException {
        dev.llmmesh.state.InMemoryStateStore store = new dev.llmmesh.state.InMemoryStateStore();
        StateStoreAuditAnchor anchor = new StateStoreAuditAnchor(store, "audit/anchor/main");
        anchor.publish(new FileAuditAnchor(anchorFile).newest().orElseThrow());
        AuditAnchor.Checkpoint newest = anchor.newest().orElseThrow();
        anchor.publish(new AuditAnchor.Checkpoint(3, newest.hash(), newest.at(), newest.mac()));
        assertThat(anchor.newest()).contains(newest);
        assertThat(AuditVerifier.verify(log, checkpoints, KEY, anchor).ok()).isTrue();

        write(log, lines(log).subList(0, 20));
        write(checkpoints, lines(checkpoints).subList(0, 4));
        VerificationReport r = AuditVerifier.verify(log, checkpoints, KEY, anchor);
        assertThat(r.has(VerificationReport.Kind.TRUNCATED_TAIL)).as(r.toText()).isTrue();

        store.compareAndSet("audit/anchor/main", store.get("audit/anchor/main").orElseThrow(), "{not json", 
                java.time.Duration.ofDays(1));
        org.assertj.core.api.Assertions.assertThatThrownBy(anchor::newest).isInstanceOf(IOException.class)
                .hasMessageContaining("is not a checkpoint");
    }
}
