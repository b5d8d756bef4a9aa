package dev.llmmesh.governance.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmmesh.CallContext;
import dev.llmmesh.Mesh;
import dev.llmmesh.Secret;
import dev.llmmesh.governance.budget.FakeModel;
import dev.llmmesh.testkit.ManualClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrashRecoveryTest {
    private static final Secret KEY = Secret.of("crash-test-hmac-key-7");
    @TempDir
    Path dir;

    /**
     * A sink that "dies" in the middle of a batch: it writes part of the batch, leaves a half-written line at the end
     * of the log (as a process killed mid-write would), and from then on is gone.
     */
    private static final class DyingSink implements AuditSink {
        private final FileAuditSink real;
        private final int writeBeforeDying;
        private final AtomicBoolean dead = new AtomicBoolean();

        DyingSink(FileAuditSink real, int writeBeforeDying) {
            this.real = real;
            this.writeBeforeDying = writeBeforeDying;
        }

        @Override
        public void write(List<AuditEntry> entries) {
            if (dead.get()) {
                throw AuditSinkException.unavailable("process is gone (test)", null);
            }
            int n = Math.min(writeBeforeDying, entries.size());
            real.write(entries.subList(0, n));
            try {
                String next = entries.get(n).record().toJson();
                Files.writeString(real.log(), "{\"seq\":999,\"outbox\":\"x\",\"oseq\":1,\"record\":"
                        + next.substring(0, next.length() / 2), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            dead.set(true);
            throw AuditSinkException.unavailable("killed mid-write (test)", null);
        }
    }

    private AuditConfig.Builder config(AuditSink sink) {
        return AuditConfig.builder(dir.resolve("outbox"), sink).deliveryInterval(Duration.ZERO).batchSize(200)
                .segmentRecords(64);
    }

    @Test
    void scenario29_anAbruptStopOfTheSinkMidRunLosesNoRecordOnceRestarted() {
        Path log = dir.resolve("audit.jsonl");
        FakeModel model = FakeModel.priced("m", 1, 2);
        Set<String> answered = new HashSet<>();

        // first life: the sink dies mid-batch, the process keeps answering, then stops without any shutdown
        DyingSink dying = new DyingSink(FileAuditSink.builder(log, KEY).checkpointEvery(50).open(), 137);
        AuditPlugin first = AuditPlugin.open(config(dying).build());
        Mesh mesh1 = Mesh.builder().clock(new ManualClock()).addModel(model).install(first).build();
        for (int i = 0; i < 300; i++) {
            answered.add(mesh1.chat(ask(i), CallContext.builder().requestId("call-" + i).team("t" + i % 3).build())
                    .requestId());
            if (i == 149) {
                assertThat(first.flush().error()).hasValueSatisfying(e -> assertThat(e).contains("killed mid-write"));
            }
        }
        assertThat(first.stats().pending()).isEqualTo(300); // the dead sink acknowledged nothing
        // no close(), no flush: the process is gone

        // second life: same outbox, same log
        FileAuditSink sink = FileAuditSink.builder(log, KEY).checkpointEvery(50).open();
        AuditPlugin second = AuditPlugin.open(config(sink).build());
        Mesh mesh2 = Mesh.builder().clock(new ManualClock()).addModel(model).install(second).build();
        answered.add(mesh2.chat(ask(300), CallContext.builder().requestId("call-300").build()).requestId());
        DeliveryReport report = second.flush();

        assertThat(report.drained()).isTrue();
        List<AuditRecord> records = AuditFixtures.records(log);
        assertThat(records).hasSize(301);
        assertThat(records.stream().map(AuditRecord::requestId).collect(Collectors.toSet())).isEqualTo(answered);
        VerificationReport verified = AuditVerifier.verify(log, KEY);
        assertThat(verified.ok()).as(verified.toText()).isTrue();
        assertThat(verified.warnings()).isEmpty();
        mesh2.close();
        second.close();
        mesh1.close();
    }

    @Test
    void closingDeliversEverythingPendingAndSignsTheTail() {
        Path log = dir.resolve("audit.jsonl");
        FileAuditSink sink = FileAuditSink.builder(log, KEY).checkpointEvery(1000).open();
        AuditPlugin audit = AuditPlugin.open(config(sink).build());
        Mesh mesh = Mesh.builder().clock(new ManualClock()).addModel(FakeModel.priced("m", 1, 2)).install(audit).build();
        for (int i = 0; i < 250; i++) {
            mesh.chat(ask(i), CallContext.EMPTY);
        }
        mesh.close();
        audit.close();

        assertThat(AuditFixtures.records(log)).hasSize(250);
        VerificationReport r = AuditVerifier.verify(log, KEY);
        assertThat(r.ok()).isTrue();
        assertThat(r.warnings()).as("the tail is signed").isEmpty();
        try (var files = Files.list(dir.resolve("outbox"))) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("outbox-0")))
                    .as("delivered segments are deleted").hasSizeLessThanOrEqualTo(1);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aRecordLeftInTheOutboxByAClosedPluginIsDeliveredByTheNextOne() {
        AuditFixtures.MemorySink down = new AuditFixtures.MemorySink(r -> false);
        down.down.set(true);
        AuditPlugin audit = AuditPlugin.open(config(down).closeTimeout(Duration.ZERO).build());
        Mesh mesh = Mesh.builder().clock(new ManualClock()).addModel(FakeModel.priced("m", 1, 2)).install(audit).build();
        mesh.chat(ask(1), CallContext.EMPTY);
        mesh.close();
        audit.close();

        AuditFixtures.MemorySink up = new AuditFixtures.MemorySink(r -> false);
        AuditPlugin next = AuditPlugin.open(config(up).build());
        assertThat(next.stats().pending()).isEqualTo(1);
        next.flush();
        assertThat(up.stored).hasSize(1);
        next.close();
    }

    @Test
    void unreadableOutboxLinesAreDeadLetteredAndTheRestDeliveredInOrder() throws IOException {
        AuditFixtures.MemorySink down = new AuditFixtures.MemorySink(r -> false);
        down.down.set(true);
        AuditPlugin first = AuditPlugin.open(config(down).closeTimeout(Duration.ZERO).build());
        Mesh mesh = Mesh.builder().clock(new ManualClock()).addModel(FakeModel.priced("m", 1, 2)).install(first).build();
        for (int i = 0; i < 3; i++) {
            mesh.chat(ask(i), CallContext.builder().requestId("call-" + i).build());
        }
        mesh.close();
        first.close();
        Path segment;
        try (var files = Files.list(dir.resolve("outbox"))) {
            segment = files.filter(p -> p.getFileName().toString().startsWith("outbox-0")).findFirst().orElseThrow();
        }
        List<String> lines = AuditFixtures.lines(segment);
        // damage: record 2 is no longer a record, and a line of garbage appears after it
        String damaged = lines.get(0) + "\n" + "2\t{\"v\":1,\"broken\":true}" + "\n" + "%%garbage%%" + "\n"
                + lines.get(2) + "\n";
        Files.writeString(segment, damaged, StandardCharsets.UTF_8);

        AuditFixtures.MemorySink up = new AuditFixtures.MemorySink(r -> false);
        AuditPlugin next = AuditPlugin.open(config(up).build());
        DeliveryReport report = next.flush();

        assertThat(report.delivered()).isEqualTo(2);
        assertThat(report.deadLettered()).isEqualTo(2);
        assertThat(report.drained()).isTrue();
        assertThat(up.stored).extracting(e -> e.record().requestId()).containsExactly("call-0", "call-2");
        assertThat(AuditFixtures.lines(next.deadLetterFile())).hasSize(2)
                .anySatisfy(l -> assertThat(l).contains("unreadable record", "\"oseq\":2"))
                .anySatisfy(l -> assertThat(l).contains("unreadable outbox line", "%%garbage%%"));
        next.close();
    }

    private static dev.langchain4j.model.chat.request.ChatRequest ask(int i) {
        return dev.langchain4j.model.chat.request.ChatRequest.builder()
                .messages(dev.langchain4j.data.message.UserMessage.from("question " + i)).build();
    }
}
