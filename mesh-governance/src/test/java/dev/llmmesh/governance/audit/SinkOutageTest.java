package dev.llmmesh.governance.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.CallContext;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.governance.budget.FakeModel;
import dev.llmmesh.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SinkOutageTest {
    private static final ChatRequest ASK = ChatRequest.builder().messages(UserMessage.from("hi")).build();
    @TempDir
    Path dir;

    @Test
    void scenario30_aSinkDownForTenMinutesLosesNothingAndPoisonRecordsAreDeadLettered() {
        ManualClock clock = new ManualClock();
        AuditFixtures.MemorySink sink = new AuditFixtures.MemorySink(r -> r.team().orElse("").equals("poison"));
        AuditPlugin audit = AuditPlugin.open(AuditConfig.builder(dir.resolve("outbox"), sink)
                .deliveryInterval(Duration.ZERO).batchSize(100).segmentRecords(128).maxPending(5_000).build());
        Mesh mesh = Mesh.builder().clock(clock).addModel(FakeModel.priced("m", 1, 2)).install(audit).build();
        sink.down.set(true);

        for (int minute = 0; minute < 10; minute++) {
            for (int i = 0; i < 100; i++) {
                int n = minute * 100 + i;
                mesh.chat(ASK, CallContext.builder().requestId("call-" + n).team(n % 50 == 7 ? "poison" : "ok").build());
            }
            DeliveryReport retry = audit.flush(); // the background retry of that minute
            assertThat(retry.delivered()).isZero();
            assertThat(retry.error()).hasValueSatisfying(e -> assertThat(e).contains("connection refused"));
            clock.advance(Duration.ofMinutes(1));
        }
        assertThat(audit.stats().pending()).isEqualTo(1000);

        sink.down.set(false);
        DeliveryReport recovered = audit.flush();

        assertThat(recovered.delivered()).isEqualTo(980);
        assertThat(recovered.deadLettered()).isEqualTo(20);
        assertThat(recovered.drained()).as("one flush empties the outbox: no first-N truncation").isTrue();
        List<String> delivered = sink.stored.stream().map(e -> e.record().requestId()).toList();
        assertThat(delivered).hasSize(980).doesNotHaveDuplicates();
        assertThat(sink.stored).extracting(AuditEntry::sequence).isSorted();
        List<String> dead = AuditFixtures.lines(audit.deadLetterFile());
        assertThat(dead).hasSize(20).allSatisfy(line -> {
            assertThat(AuditFixtures.json(line).get("reason").asText()).contains("rejected by the sink", "schema violation");
            assertThat(AuditFixtures.json(line).get("record").get("team").asText()).isEqualTo("poison");
        });
        assertThat(audit.stats().deadLettered()).isEqualTo(20);
        mesh.close();
        audit.close();
    }

    @Test
    void aFullOutboxFailsClosedBeforeTheModelIsCalledWhenConfiguredSo() {
        AuditFixtures.MemorySink sink = new AuditFixtures.MemorySink(r -> false);
        sink.down.set(true);
        AuditPlugin audit = AuditPlugin.open(AuditConfig.builder(dir.resolve("outbox"), sink)
                .deliveryInterval(Duration.ZERO).maxPending(5).whenFull(WhenFull.FAIL_CLOSED).build());
        FakeModel model = FakeModel.priced("m", 1, 2);
        Mesh mesh = Mesh.builder().clock(new ManualClock()).addModel(model).install(audit).build();
        for (int i = 0; i < 5; i++) {
            mesh.chat(ASK, CallContext.EMPTY);
        }

        assertThatThrownBy(() -> mesh.chat(ASK, CallContext.EMPTY)).isInstanceOf(AuditUnavailableException.class)
                .hasMessageContaining("audit outbox is full (5 undelivered records)").hasMessageContaining("fail_closed");
        assertThat(model.calls()).isEqualTo(5);

        sink.down.set(false);
        audit.flush();
        assertThat(mesh.chat(ASK, CallContext.EMPTY).text()).isNotEmpty();
        mesh.close();
        audit.close();
    }

    @Test
    void aFullOutboxMakesCallsWaitForRoomWhenBlocking() throws Exception {
        AuditFixtures.MemorySink sink = new AuditFixtures.MemorySink(r -> false);
        sink.down.set(true);
        AuditPlugin audit = AuditPlugin.open(AuditConfig.builder(dir.resolve("outbox"), sink)
                .deliveryInterval(Duration.ZERO).maxPending(2).whenFull(WhenFull.BLOCK)
                .blockTimeout(Duration.ofSeconds(30)).build());
        FakeModel model = FakeModel.priced("m", 1, 2);
        Mesh mesh = Mesh.builder().clock(new ManualClock()).addModel(model).install(audit).build();
        mesh.chat(ASK, CallContext.EMPTY);
        mesh.chat(ASK, CallContext.EMPTY);

        CompletableFuture<MeshResponse> third = mesh.chatAsync(ASK, CallContext.EMPTY);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (audit.stats().waiting() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(audit.stats().waiting()).isEqualTo(1);
        assertThat(third).isNotDone();
        assertThat(model.calls()).isEqualTo(2);

        sink.down.set(false);
        audit.flush();
        assertThat(third.get(20, TimeUnit.SECONDS).text()).isNotEmpty();
        audit.flush();
        assertThat(sink.stored).hasSize(3);
        mesh.close();
        audit.close();
    }

    @Test
    void waitingForRoomEndsInARefusalWhenTheBlockTimeoutPasses() {
        AuditFixtures.MemorySink sink = new AuditFixtures.MemorySink(r -> false);
        sink.down.set(true);
        AuditPlugin audit = AuditPlugin.open(AuditConfig.builder(dir.resolve("outbox"), sink)
                .deliveryInterval(Duration.ZERO).maxPending(1).blockTimeout(Duration.ZERO).build());
        Mesh mesh = Mesh.builder().clock(new ManualClock()).addModel(FakeModel.priced("m", 1, 2)).install(audit).build();
        mesh.chat(ASK, CallContext.EMPTY);

        assertThatThrownBy(() -> mesh.chat(ASK, CallContext.EMPTY)).isInstanceOf(AuditUnavailableException.class)
                .hasMessageContaining("stayed full");
        mesh.close();
        audit.close();
    }
}
