package dev.llmmesh.governance.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmmesh.Mesh;
import dev.llmmesh.MeshBuilder;
import dev.llmmesh.Secret;
import dev.llmmesh.config.ConfigNode;
import dev.llmmesh.config.MeshConfigException;
import dev.llmmesh.governance.budget.BudgetConfig;
import dev.llmmesh.governance.budget.BudgetLimit;
import dev.llmmesh.governance.budget.BudgetPlugin;
import dev.llmmesh.governance.budget.BudgetWindow;
import dev.llmmesh.governance.budget.FakeModel;
import dev.llmmesh.testkit.ManualClock;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditConfigurerTest {
    @TempDir
    Path dir;

    private ConfigNode section(String yaml) {
        return ConfigNode.fromYaml(yaml, Map.of("DIR", dir.toString(), "AUDIT_KEY", "yaml-hmac-key-abc")::get)
                .child("audit");
    }

    @Test
    void theAuditSectionOpensTheLogTheOutboxAndThePlugin() {
        AuditConfig config = AuditConfigurer.read(section("""
                audit:
                  log: ${DIR}/logs/audit.jsonl
                  checkpoints: ${DIR}/worm/audit.checkpoints
                  hmacKey: ${AUDIT_KEY}
                  outboxDir: ${DIR}/outbox
                  checkpointEvery: 10
                  maxPending: 500
                  whenFull: fail_closed
                  deliveryInterval: 0s
                  includeContentForTeams: [legal]
                  drainOnShutdown: false
                """));
        assertThat(config.whenFull()).isEqualTo(WhenFull.FAIL_CLOSED);
        assertThat(config.maxPending()).isEqualTo(500);
        assertThat(config.contentTeams()).containsExactly("legal");
        assertThat(config.deliveryInterval()).isEqualTo(Duration.ZERO);
        AuditPlugin audit = AuditPlugin.open(config);
        Mesh mesh = Mesh.builder().clock(new ManualClock()).addModel(FakeModel.priced("m", 1, 1)).install(audit).build();
        mesh.chat("hello");
        audit.flush();
        audit.close();

        Path log = dir.resolve("logs/audit.jsonl");
        assertThat(AuditFixtures.records(log)).hasSize(1);
        assertThat(Files.exists(dir.resolve("worm/audit.checkpoints"))).isTrue();
        assertThat(AuditVerifier.verify(log, dir.resolve("worm/audit.checkpoints"), Secret.of("yaml-hmac-key-abc")).ok())
                .isTrue();
        mesh.close();
    }

    @Test
    void theConfigurerInstallsAuditFirstOrRefusesClearly() {
        MeshBuilder builder = Mesh.builder().addModel(FakeModel.priced("m", 1, 1));
        new AuditConfigurer().configure(section("""
                audit:
                  log: ${DIR}/a.jsonl
                  hmacKey: ${AUDIT_KEY}
                  deliveryInterval: 0s
                  drainOnShutdown: false
                """), builder);
        assertThat(builder.callInterceptors()).extracting(i -> i.name()).containsExactly("audit");

        MeshBuilder late = Mesh.builder().addModel(FakeModel.priced("m", 1, 1))
                .install(BudgetPlugin.of(BudgetConfig.builder().limit(BudgetLimit.org(BudgetWindow.DAY, BigDecimal.ONE))
                        .build()));
        new AuditConfigurer().configure(section("""
                audit:
                  log: ${DIR}/b.jsonl
                  hmacKey: ${AUDIT_KEY}
                  outboxDir: ${DIR}/b-outbox
                  drainOnShutdown: false
                """), late);
        assertThat(late.callInterceptors().get(0).name()).isEqualTo("audit"); // first, although installed last
    }

    @Test
    void badValuesFailWithTheirPathAndNeverEchoTheKey() {
        assertThatThrownBy(() -> AuditConfigurer.read(section("""
                audit:
                  log: ${DIR}/c.jsonl
                """))).isInstanceOf(MeshConfigException.class).hasMessageContaining("audit.hmacKey");
        assertThatThrownBy(() -> AuditConfigurer.read(section("""
                audit:
                  log: ${DIR}/c.jsonl
                  hmacKey: ${AUDIT_KEY}
                  whenFull: drop
                """))).hasMessageContaining("audit.whenFull").hasMessageContaining("block, fail_closed")
                .hasMessageNotContaining("yaml-hmac-key");
        assertThatThrownBy(() -> AuditConfigurer.read(section("""
                audit:
                  log: ${DIR}/c.jsonl
                  hmacKey: ${AUDIT_KEY}
                  checkpointEvry: 10
                """))).hasMessageContaining("audit.checkpointEvry").hasMessageContaining("did you mean");
        assertThat(Files.exists(dir.resolve("c.jsonl"))).as("nothing is opened before the section is valid").isFalse();
    }

    @Test
    void scenario44_theAnchorIsSetFromYamlAndTheVerifierUsesIt() throws Exception {
        AuditConfig config = AuditConfigurer.read(section("""
                audit:
                  log: ${DIR}/logs/audit.jsonl
                  anchor: ${DIR}/other/audit.anchor
                  hmacKey: ${AUDIT_KEY}
                  deliveryInterval: 0s
                """));
        AuditPlugin audit = AuditPlugin.open(config);
        Mesh mesh = Mesh.builder().clock(new ManualClock()).addModel(FakeModel.priced("m", 1, 1)).install(audit).build();
        mesh.chat("hello");
        audit.flush();
        audit.close();
        Path log = dir.resolve("logs/audit.jsonl");
        FileAuditAnchor anchor = new FileAuditAnchor(dir.resolve("other/audit.anchor"));
        assertThat(anchor.newest()).hasValueSatisfying(c -> assertThat(c.seq()).isEqualTo(1));
        Files.delete(FileAuditSink.defaultCheckpoints(log));
        assertThat(AuditVerifier.verify(log, FileAuditSink.defaultCheckpoints(log), Secret.of("yaml-hmac-key-abc"),
                anchor).has(VerificationReport.Kind.MISSING_CHECKPOINTS)).isTrue();

        assertThatThrownBy(() -> AuditConfigurer.read(section("""
                audit:
                  log: ${DIR}/logs/b.jsonl
                  anchor: ${DIR}/logs/b.jsonl.checkpoints
                  hmacKey: ${AUDIT_KEY}
                """))).isInstanceOf(MeshConfigException.class).hasMessageStartingWith("audit.anchor: ");
    }

    @Test
    void scenario44_anchorStoreKeyKeepsTheAnchorInTheMeshStateStore() throws Exception {
        dev.llmmesh.state.InMemoryStateStore store = new dev.llmmesh.state.InMemoryStateStore();
        AuditPlugin audit = AuditPlugin.open(AuditConfigurer.read(section("""
                audit:
                  log: ${DIR}/logs/audit.jsonl
                  anchorStoreKey: audit/anchor/test
                  hmacKey: ${AUDIT_KEY}
                  deliveryInterval: 0s
                """), store));
        Mesh mesh = Mesh.builder().clock(new ManualClock()).stateStore(store).addModel(FakeModel.priced("m", 1, 1))
                .install(audit).build();
        mesh.chat("hello");
        audit.flush();
        audit.close();
        StateStoreAuditAnchor anchor = new StateStoreAuditAnchor(store, "audit/anchor/test");
        assertThat(anchor.newest()).hasValueSatisfying(c -> assertThat(c.seq()).isEqualTo(1));
        Path log = dir.resolve("logs/audit.jsonl");
        Files.delete(FileAuditSink.defaultCheckpoints(log));
        assertThat(AuditVerifier.verify(log, FileAuditSink.defaultCheckpoints(log), Secret.of("yaml-hmac-key-abc"),
                anchor).has(VerificationReport.Kind.MISSING_CHECKPOINTS)).isTrue();

        assertThatThrownBy(() -> AuditConfigurer.read(section("""
                audit:
                  log: ${DIR}/logs/c.jsonl
                  anchor: ${DIR}/other/c.anchor
                  anchorStoreKey: audit/anchor/c
                  hmacKey: ${AUDIT_KEY}
                """), store)).isInstanceOf(MeshConfigException.class)
                .hasMessageStartingWith("audit.anchorStoreKey: give either anchor");
        assertThatThrownBy(() -> AuditConfigurer.read(section("""
                audit:
                  log: ${DIR}/logs/d.jsonl
                  anchorStoreKey: audit/anchor/d
                  hmacKey: ${AUDIT_KEY}
                """))).isInstanceOf(MeshConfigException.class)
                .hasMessageStartingWith("audit.anchorStoreKey: needs the mesh's state store");
    }

    @Test
    void scenario44_anchorStoreKeyFromMeshYamlUsesTheBuildersStore() throws Exception {
        dev.llmmesh.state.InMemoryStateStore store = new dev.llmmesh.state.InMemoryStateStore();
        dev.llmmesh.MeshBuilder builder = Mesh.builder().clock(new ManualClock()).stateStore(store);
        dev.llmmesh.config.MeshConfig.apply(ConfigNode.fromYaml("""
                models:
                  - {id: y-m, provider: governance-test, model: m, pricing: {input: 1, output: 1}}
                audit:
                  log: ${DIR}/logs/y.jsonl
                  anchorStoreKey: audit/anchor/y
                  hmacKey: ${AUDIT_KEY}
                  deliveryInterval: 0s
                  drainOnShutdown: false
                """, Map.of("DIR", dir.toString(), "AUDIT_KEY", "yaml-hmac-key-abc")::get), builder);
        try (Mesh mesh = builder.build()) {
            mesh.chat("hello");
        }
        assertThat(new StateStoreAuditAnchor(store, "audit/anchor/y").newest())
                .hasValueSatisfying(c -> assertThat(c.seq()).isEqualTo(1));
    }
}
