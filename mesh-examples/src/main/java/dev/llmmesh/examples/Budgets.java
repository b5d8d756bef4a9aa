package dev.llmmesh.examples;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.BudgetExceededException;
import dev.llmmesh.CallContext;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.Secret;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.client.Pricing;
import dev.llmmesh.governance.audit.AuditConfig;
import dev.llmmesh.governance.audit.AuditPlugin;
import dev.llmmesh.governance.audit.AuditVerifier;
import dev.llmmesh.governance.audit.CostReport;
import dev.llmmesh.governance.audit.FileAuditSink;
import dev.llmmesh.governance.audit.VerificationReport;
import dev.llmmesh.governance.budget.BudgetConfig;
import dev.llmmesh.governance.budget.BudgetLimit;
import dev.llmmesh.governance.budget.BudgetPlugin;
import dev.llmmesh.governance.budget.BudgetStatus;
import dev.llmmesh.governance.budget.BudgetWindow;
import dev.llmmesh.governance.budget.Scope;
import dev.llmmesh.governance.ratelimit.RateLimit;
import dev.llmmesh.governance.ratelimit.RateLimitConfig;
import dev.llmmesh.governance.ratelimit.RateLimitPlugin;
import dev.llmmesh.testkit.ManualClock;
import dev.llmmesh.testkit.ScriptedLlmClient;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Budgets and the audit log, offline: (1) team {@code search} runs out of its daily budget in the middle of a stream
 * of requests and gets clear errors with the reset time, while another team carries on; (2) the audit log of those
 * calls is verified, costed per team and model, then tampered with three ways, and the verifier points at the broken
 * records.
 *
 * <p>Run: {@code ./mvnw -q -pl mesh-examples -am package -DskipTests -Prun -Dexample=Budgets}
 */
public final class Budgets {
    private Budgets() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("llm-mesh-budgets");
        // a simulated clock, so the output (reset times) is the same on every run: 17:00 in Paris
        ManualClock clock = new ManualClock(Instant.parse("2026-03-10T16:00:00Z"));
        Secret hmacKey = Secret.of(HexFormat.of().formatHex(new SecureRandom().generateSeed(16)));

        FileAuditSink sink = FileAuditSink.builder(dir.resolve("audit.jsonl"), hmacKey).checkpointEvery(10)
                .clock(clock).open();
        AuditPlugin audit = AuditPlugin.open(AuditConfig.builder(dir.resolve("outbox"), sink).build());
        BudgetPlugin budgets = BudgetPlugin.of(BudgetConfig.builder()
                .limit(BudgetLimit.team("search", BudgetWindow.DAY, new BigDecimal("0.05")))
                .limit(BudgetLimit.org(BudgetWindow.MONTH, new BigDecimal("100")))
                .zone(ZoneId.of("Europe/Paris"))
                .build());
        RateLimitPlugin limits = RateLimitPlugin.of(RateLimitConfig.builder()
                .limit(RateLimit.rpm(Scope.USER, 600)).build());
        Mesh mesh = Mesh.builder().clock(clock)
                .addModel(model("small", 0.15, 0.60, 900, 400))
                .addModel(model("large", 2.50, 10.00, 900, 400))
                .install(audit)   // first: it sees the calls the others refuse
                .install(budgets)
                .install(limits)
                .build();

        CallContext search = CallContext.builder().team("search").user("ana").build();
        ChatRequest ask = ChatRequest.builder().messages(UserMessage.from("Summarise today's tickets"))
                .modelName("large").maxOutputTokens(1000).build();
        System.out.println("== 1. Team search has $0.05 a day; each call reserves its worst case, "
                + budgets.estimate(ask, search, false).usd().stripTrailingZeros().toPlainString()
                + " USD, and settles to what it cost ==");
        for (int i = 1; i <= 12; i++) {
            clock.advance(Duration.ofSeconds(20));
            try {
                MeshResponse r = mesh.chat(ask, search);
                BudgetStatus s = budgets.status(search).get(0);
                System.out.printf("call %2d  ok   %-9s  team spent %s of %s%n", i, r.cost(), "$" + s.spentUsd(),
                        "$" + s.limitUsd());
            } catch (BudgetExceededException e) {
                System.out.printf("call %2d  DENIED  %s%n", i, e.getMessage());
            }
        }
        CallContext ads = CallContext.forTeam("ads");
        MeshResponse other = mesh.chat(ask, ads);
        System.out.println("team ads is unaffected: " + other.modelId().orElse("?") + " answered, " + other.cost());

        System.out.println();
        System.out.println("== 2. The audit log ==");
        audit.flush(); // deliver what is pending and sign the tail
        Path log = sink.log();
        System.out.println("records written to " + log);
        System.out.print(AuditVerifier.verify(log, hmacKey).toText());
        System.out.print(CostReport.fromLog(log, ZoneId.of("Europe/Paris")).toTable());

        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        tamper("a changed amount in record 5", dir, lines, hmacKey,
                l -> l.set(4, l.get(4).replaceFirst("\"costUsd\":\"0\\.", "\"costUsd\":\"1.")));
        tamper("record 7 deleted", dir, lines, hmacKey, l -> l.remove(6));
        tamper("records 3 and 4 swapped", dir, lines, hmacKey, l -> l.set(2, l.set(3, l.get(2))));
        tamper("the last two records cut off", dir, lines, hmacKey, l -> {
            l.remove(l.size() - 1);
            l.remove(l.size() - 1);
        });

        mesh.close();
        audit.close();
    }

    private static void tamper(String what, Path dir, List<String> original, Secret key,
                               java.util.function.Consumer<List<String>> change) throws IOException {
        List<String> lines = new ArrayList<>(original);
        change.accept(lines);
        Path copy = dir.resolve("tampered.jsonl");
        Files.write(copy, lines, StandardCharsets.UTF_8);
        VerificationReport r = AuditVerifier.verify(copy, FileAuditSink.defaultCheckpoints(dir.resolve("audit.jsonl")),
                key);
        System.out.println();
        System.out.println("-- tampered: " + what);
        System.out.print(r.toText());
    }

    private static ScriptedLlmClient model(String id, double in, double out, int inputTokens, int outputTokens) {
        return ScriptedLlmClient.builder(ModelDescriptor.builder(id, "simulated", id)
                        .pricing(Pricing.perMillion(in, out)).build())
                .byDefault(ScriptedLlmClient.Step.answer("Here is the summary from " + id + ".")
                        .tokens(inputTokens, outputTokens))
                .build();
    }
}
