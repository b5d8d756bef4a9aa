package dev.llmmesh.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.CallContext;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.config.ConfigNode;
import dev.llmmesh.config.MeshConfig;
import dev.llmmesh.config.MeshConfigException;
import dev.llmmesh.governance.pii.EntityType;
import dev.llmmesh.governance.pii.PiiAction;
import dev.llmmesh.governance.policy.EffectivePolicy;
import dev.llmmesh.governance.policy.PolicyConflictException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GovernanceConfigurerTest {
    private static final String YAML = """
            governance:
              mode: enforce
              pii:
                hashKey: ${PII_HASH_KEY}
              baseline:
                models: { deny: [x] }
                pii: { email: pseudonymize, credit_card: block }
                maxOutputTokens: 4096
                guardrails:
                  injection: { threshold: 0.8, action: block }
                  output: { piiLeak: redact }
                delegate: [maxOutputTokens]
              domains:
                payments:
                  teams: [checkout]
                  providers: { allow: [openai] }
              teams:
                checkout:
                  maxOutputTokens: 8192
                  models: { deny: [y] }
            """;

    private static ConfigNode section(String yaml) {
        return ConfigNode.fromYaml(yaml, Map.of("PII_HASH_KEY", "0123456789abcdef0123")::get).child("governance");
    }

    @Test
    void theGovernanceSectionBuildsThePolicyWithItsRulePaths() {
        GovernancePlugin plugin = GovernanceConfigurer.read(section(YAML)).build();
        EffectivePolicy p = plugin.effectivePolicy("checkout");
        assertThat(p.layers()).containsExactly("default", "org", "domain:payments", "team:checkout");
        assertThat(p.maxOutputTokens()).contains(8192);
        assertThat(p.piiAction(EntityType.CREDIT_CARD)).isEqualTo(PiiAction.BLOCK);
        assertThat(p.injectionThreshold()).isEqualTo(0.8);
        assertThat(p.explain()).contains("y  <- team:checkout/models.deny (governance.teams.checkout.models.deny)")
                .contains("[openai]  <- domain:payments/providers.allow (governance.domains.payments.providers.allow)");
    }

    @Test
    void meshConfigFindsTheConfigurerAndInstallsGovernance() {
        String yaml = """
                models:
                  - {id: cfg-x, provider: governance-test, model: x, pricing: {input: 0.01, output: 0.01}}
                  - {id: cfg-b, provider: governance-test, model: b, pricing: {input: 1, output: 1}}
                """ + YAML.replace("deny: [x]", "deny: [cfg-x]").replace("allow: [openai]", "allow: [governance-test]")
                .replace("deny: [y]", "deny: [y*]"); // every plain model name must exist in the mesh
        try (Mesh mesh = MeshConfig.parse(yaml, Map.of("PII_HASH_KEY", "0123456789abcdef0123")::get).build()) {
            MeshResponse r = mesh.chat(ChatRequest.builder().messages(UserMessage.from("mail ann@example.com"))
                    .build(), CallContext.forTeam("checkout"));
            assertThat(r.modelId()).contains("cfg-b");
            assertThat(TestModelFactory.CREATED.get("cfg-x").calls()).isZero();
            assertThat(((UserMessage) TestModelFactory.CREATED.get("cfg-b").lastRequest().messages().get(0))
                    .singleText()).matches("mail <EMAIL_1_[a-z2-9]{8}>");
        }
    }

    @Test
    void aLooseningOverlayInYamlIsRejectedAtLoadNamingBothRules() {
        String loose = """
                governance:
                  baseline:
                    maxInputChars: 1000
                  teams:
                    checkout:
                      maxInputChars: 5000
                """;
        assertThatThrownBy(() -> GovernanceConfigurer.read(section(loose)))
                .isInstanceOf(PolicyConflictException.class)
                .hasMessageContaining("governance.teams.checkout.maxInputChars")
                .hasMessageContaining("governance.baseline.maxInputChars = 1000");
    }

    @Test
    void dryRunModeIsReadFromYaml() {
        assertThat(GovernanceConfigurer.read(section("governance:\n  mode: dry-run\n")).build().mode())
                .isEqualTo(GovernanceMode.DRY_RUN);
    }

    @Test
    void typosAndBadValuesAreReportedWithTheirPath() {
        assertThatThrownBy(() -> GovernanceConfigurer.read(section("""
                governance:
                  baseline:
                    maxOutputToken: 10
                """))).isInstanceOf(MeshConfigException.class)
                .hasMessageContaining("governance.baseline.maxOutputToken");
        assertThatThrownBy(() -> GovernanceConfigurer.read(section("""
                governance:
                  baseline:
                    pii: { email: scramble }
                """))).isInstanceOf(MeshConfigException.class)
                .hasMessageContaining("pii.email").hasMessageContaining("pseudonymize");
        assertThatThrownBy(() -> GovernanceConfigurer.read(section("""
                governance:
                  teams:
                    t: { delegate: [maxOutputTokens] }
                """))).isInstanceOf(MeshConfigException.class)
                .hasMessageContaining("governance.teams.t.delegate");
        assertThatThrownBy(() -> GovernanceConfigurer.read(section("""
                governance:
                  pii: { hashKey: short }
                """))).isInstanceOf(MeshConfigException.class)
                .hasMessageContaining("governance.pii.hashKey").hasMessageNotContaining("short");
    }
}
