package dev.llmmesh.governance.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.CallContext;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshException;
import dev.llmmesh.NonRetryableException;
import dev.llmmesh.ErrorKind;
import dev.llmmesh.PolicyDeniedException;
import dev.llmmesh.Secret;
import dev.llmmesh.Verdict;
import dev.llmmesh.governance.budget.FakeModel;
import dev.llmmesh.governance.budget.ScopeIdentity;
import dev.llmmesh.governance.internal.audit.Hashes;
import dev.llmmesh.testkit.ManualClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditHygieneTest {
    /** Canary credentials in the formats of scenario 34. */
    private static final List<String> CANARIES = List.of(
            "sk-proj-Zq8CANARYopenai4f7d1e2c9b",
            "gsk_CANARYgroq7Hk2mPq9Rt5Vw3Xy",
            "AKIACANARY7QX4ZLM2KB",
            "FwoGZXIvYXdzECANARYstsTOKEN9kLmN0pQrS1tU2vW3xY4z",
            "AIzaSyCANARYgoogle-x7Kp2Qm9Rt5Vw3",
            "c4n4ry0aa7e5b1d2f3e4a5b6c7d8e9f0",
            "audit-hmac-CANARY-key-5mK9");

    @TempDir
    Path dir;

    @Test
    void scenario32_aRecordHoldsWhatAnAuditorNeedsAndNoSecretInAnyForm() throws IOException {
        Path log = dir.resolve("audit.jsonl");
        FileAuditSink sink = FileAuditSink.builder(log, Secret.of(CANARIES.get(6))).open();
        ScopeIdentity identity = ScopeIdentity.of("auth.key", "agents.run", Optional.of(Secret.of("pepper-xyz-123")));
        AuditPlugin audit = AuditPlugin.open(AuditConfig.builder(dir.resolve("outbox"), sink)
                .deliveryInterval(Duration.ZERO).identity(identity).build());
        FakeModel good = FakeModel.priced("gpt-good", 2.5, 10).usage(40, 60);
        FakeModel leaky = FakeModel.priced("leaky", 0.01, 0.01).failing(() -> new NonRetryableException(
                ErrorKind.AUTHENTICATION, "401 from upstream: invalid api key " + CANARIES.get(0) + " (Authorization: Bearer "
                        + CANARIES.get(1) + ", key=" + CANARIES.get(4) + ")", "leaky", null));
        Mesh mesh = Mesh.builder().clock(new ManualClock()).addModel(good).addModel(leaky).install(audit)
                .addCallInterceptor(chain -> {
                    if (chain.context().tags().containsKey("deny")) {
                        chain.call().addVerdict(new Verdict("org/data.export", Verdict.Decision.DENY,
                                "blocked; caller sent x-api-key=" + CANARIES.get(2)));
                        throw new PolicyDeniedException("org/data.export", "export denied", null);
                    }
                    return chain.proceed(chain.request());
                })
                .addRouteFilter((model, request, context) -> model.id().equals("gpt-good")
                        && context.team().orElse("").equals("ops")
                        ? Optional.of("azure key " + CANARIES.get(5) + " not allowed") : Optional.empty())
                .build();
        CallContext caller = CallContext.builder().requestId("req-32").tenant("acme").team("search").user("u-1")
                .attribute("auth.key", CANARIES.get(0)).attribute("aws.session", CANARIES.get(3))
                .tag("feature", "qa").tag("debug", CANARIES.get(1)).build();
        ChatRequest ask = ChatRequest.builder().messages(UserMessage.from("What is our refund policy?"))
                .modelName("gpt-good").build();

        mesh.chat(ask, caller);
        assertThatThrownBy(() -> mesh.chat(ask.toBuilder().modelName("leaky").build(),
                caller.toBuilder().requestId("req-leak").build())).isInstanceOf(MeshException.class);
        assertThatThrownBy(() -> mesh.chat(ask, caller.toBuilder().requestId("req-deny").tag("deny", "1").build()))
                .isInstanceOf(PolicyDeniedException.class);
        assertThatThrownBy(() -> mesh.chat(ask, caller.toBuilder().requestId("req-ops").team("ops").build()))
                .isInstanceOf(MeshException.class);
        audit.flush();
        mesh.close();

        AuditRecord r = AuditFixtures.records(log).stream().filter(x -> x.requestId().equals("req-32")).findFirst()
                .orElseThrow();
        assertThat(r.team()).contains("search");
        assertThat(r.model()).contains("gpt-good");
        assertThat(r.tokens().input()).isEqualTo(40);
        assertThat(r.tokens().output()).isEqualTo(60);
        assertThat(r.costUsd()).isEqualByComparingTo("0.0007");
        assertThat(r.apiKeyId()).contains(identity.apiKeyId(CANARIES.get(0)));
        assertThat(r.prompt().text()).isEmpty();
        assertThat(r.prompt().sha256()).hasSize(64).isNotEqualTo(Hashes.sha256("What is our refund policy?"))
                .as("the hash covers the canonical messages").isNotBlank();
        AuditRecord denied = AuditFixtures.records(log).stream().filter(x -> x.requestId().equals("req-deny"))
                .findFirst().orElseThrow();
        assertThat(denied.decisions()).extracting(AuditRecord.Decision::policyId, AuditRecord.Decision::decision)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("org/data.export", Verdict.Decision.DENY));

        // the canaries did reach the audit pipeline, and were masked on the way in
        AuditRecord leak = AuditFixtures.records(log).stream().filter(x -> x.requestId().equals("req-leak"))
                .findFirst().orElseThrow();
        assertThat(leak.attempts().get(0).detail()).hasValueSatisfying(d -> assertThat(d)
                .contains("401 from upstream", "[redacted]"));
        assertThat(r.tags()).containsEntry("feature", "qa").containsEntry("debug", "[redacted]");
        AuditRecord ops = AuditFixtures.records(log).stream().filter(x -> x.requestId().equals("req-ops"))
                .findFirst().orElseThrow();
        assertThat(ops.routing().orElseThrow().rejected()).anySatisfy(x -> assertThat(x.reason())
                .isEqualTo("azure key [redacted] not allowed"));

        audit.close();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).forEach(files::add);
        }
        assertThat(files).extracting(p -> p.getFileName().toString())
                .contains("audit.jsonl", "audit.jsonl.checkpoints", "cursor");
        List<String> forbidden = new ArrayList<>();
        for (String canary : CANARIES) {
            for (int i = 0; i + 8 <= canary.length(); i++) {
                forbidden.add(canary.substring(i, i + 8));
            }
            for (String algorithm : List.of("MD5", "SHA-1", "SHA-256", "SHA-512")) {
                byte[] digest = digest(algorithm, canary);
                forbidden.add(HexFormat.of().formatHex(digest));
                forbidden.add(Base64.getEncoder().encodeToString(digest));
            }
            forbidden.add(Base64.getEncoder().encodeToString(canary.getBytes(StandardCharsets.UTF_8)));
        }
        for (Path f : files) {
            String content = Files.readString(f, StandardCharsets.UTF_8);
            for (String needle : forbidden) {
                assertThat(content).as("%s must not contain a canary fragment or hash", f.getFileName())
                        .doesNotContain(needle);
            }
        }
    }

    private static byte[] digest(String algorithm, String text) {
        try {
            return MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
