package dev.llmmesh.governance.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.llmmesh.CallContext;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.Secret;
import dev.llmmesh.StreamTruncatedException;
import dev.llmmesh.client.Capability;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.client.Pricing;
import dev.llmmesh.governance.budget.FakeModel;
import dev.llmmesh.testkit.ManualClock;
import dev.llmmesh.testkit.ScriptedLlmClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CostReportTest {
    private static final Secret KEY = Secret.of("cost-report-hmac-key-1");
    @TempDir
    Path dir;

    @Test
    void totalsPerTeamModelAndDayEqualTheSumOfPerCallCostsToTheCent() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-03-01T08:00:00Z"));
        Path log = dir.resolve("audit.jsonl");
        FileAuditSink sink = FileAuditSink.builder(log, KEY).clock(clock).open();
        AuditPlugin audit = AuditPlugin.open(AuditConfig.builder(dir.resolve("outbox"), sink)
                .deliveryInterval(Duration.ZERO).build());
        FakeModel small = FakeModel.priced("small", 0.15, 0.6);
        FakeModel large = FakeModel.priced("large", 2.5, 10);
        ScriptedLlmClient cut = ScriptedLlmClient.builder(ModelDescriptor.builder("cut", "scripted", "cut")
                        .capabilities(Capability.CHAT, Capability.STREAMING).pricing(Pricing.perMillion(3, 15)).build())
                .byDefault(ScriptedLlmClient.Step.answer("one two three four five six seven eight").chunks(4)
                        .cutAfter(2))
                .build();
        Mesh mesh = Mesh.builder().clock(clock).addModel(small).addModel(large).addModel(cut).install(audit).build();
        Map<List<Object>, BigDecimal> expected = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        String[] teams = {"search", "ads", "legal"};
        for (int day = 0; day < 3; day++) {
            for (int i = 0; i < 40; i++) {
                String team = teams[i % 3];
                String model = i % 4 == 0 ? "large" : "small";
                (model.equals("large") ? large : small).usage(97 + 13 * i + day, 31 + 7 * i);
                MeshResponse r = mesh.chat(ChatRequest.builder().messages(UserMessage.from("q" + i)).modelName(model)
                        .build(), CallContext.forTeam(team));
                expected.merge(List.of(LocalDate.of(2026, 3, 1 + day), team, model), r.cost().usd(), BigDecimal::add);
            }
            // a stream cut after content reached the caller: billed for what was streamed
            try {
                mesh.stream(ChatRequest.builder().messages(UserMessage.from("stream me")).modelName("cut").build(),
                        CallContext.forTeam("ads"), new Ignore()).get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                StreamTruncatedException t = (StreamTruncatedException) e.getCause();
                expected.merge(List.of(LocalDate.of(2026, 3, 1 + day), "ads", "cut"), t.partialCost().usd(),
                        BigDecimal::add);
            }
            clock.advance(Duration.ofDays(1));
        }
        audit.flush();

        CostReport report = CostReport.fromLog(log, ZoneOffset.UTC);

        assertThat(report.unreadableLines()).isZero();
        assertThat(report.lines()).hasSize(expected.size());
        BigDecimal sumOfCalls = BigDecimal.ZERO;
        for (CostReport.Line line : report.lines()) {
            BigDecimal want = expected.get(List.of(line.day(), line.team(), line.model()));
            assertThat(line.costUsd()).as(line.toString()).isEqualByComparingTo(want);
            assertThat(line.costUsd().setScale(2, RoundingMode.HALF_UP)).isEqualTo(want.setScale(2, RoundingMode.HALF_UP));
            sumOfCalls = sumOfCalls.add(want);
        }
        assertThat(report.total()).isEqualByComparingTo(sumOfCalls);
        assertThat(report.lines().stream().filter(l -> l.model().equals("cut")).mapToLong(CostReport.Line::calls).sum())
                .isEqualTo(3);
        assertThat(report.totalsByTeam()).containsOnlyKeys("ads", "legal", "search");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(AuditTool.run(List.of("costs", log.toString()), new PrintStream(out), new PrintStream(out),
                k -> null)).isZero();
        assertThat(out.toString()).contains("day", "team", "model", "cost (USD)", "2026-03-02", "legal", "large",
                "total", report.total().setScale(6, RoundingMode.HALF_UP).toPlainString());
        mesh.close();
        audit.close();
    }

    @Test
    void aRecordDeliveredTwiceCountsOnceAndDaysFollowTheReportsZone() {
        List<AuditRecord> records = new ArrayList<>();
        records.add(AuditFixtures.record(1, "search", "gpt", "0.10", Instant.parse("2026-01-01T23:30:00Z")));
        records.add(AuditFixtures.record(2, "search", "gpt", "0.25", Instant.parse("2026-01-02T00:30:00Z")));
        records.add(records.get(0));

        CostReport utc = CostReport.of(records, ZoneOffset.UTC);
        CostReport tokyo = CostReport.of(records, java.time.ZoneId.of("Asia/Tokyo"));

        assertThat(utc.total()).isEqualByComparingTo("0.35");
        assertThat(utc.lines()).extracting(CostReport.Line::day)
                .containsExactly(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 1, 2));
        assertThat(tokyo.lines()).singleElement().satisfies(l -> {
            assertThat(l.day()).isEqualTo(LocalDate.of(2026, 1, 2));
            assertThat(l.calls()).isEqualTo(2);
        });
    }

    private static final class Ignore implements StreamingChatResponseHandler {
        @Override
        public void onPartialResponse(String partialResponse) {
        }

        @Override
        public void onCompleteResponse(ChatResponse completeResponse) {
        }

        @Override
        public void onError(Throwable error) {
        }
    }
}
