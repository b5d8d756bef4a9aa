package dev.llmmesh.governance;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
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

    @Test
    void aPresidioAnalyzerInYamlScansTheInputAsOneMoreDetector() {
        WireMockServer presidio = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1")
                .dynamicPort().containerThreads(8).jettyAcceptors(1));
        presidio.start();
        try {
            presidio.stubFor(post(urlEqualTo("/analyze")).atPriority(9).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json").withBody("[]")));
            presidio.stubFor(post(urlEqualTo("/analyze")).atPriority(1)
                    .withRequestBody(matchingJsonPath("$.text", equalTo("call Ann Lee in Paris")))
                    .willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody("[{\"entity_type\": \"PERSON\", \"start\": 5, \"end\": 12, \"score\": 0.85},"
                            + "{\"entity_type\": \"LOCATION\", \"start\": 16, \"end\": 21, \"score\": 0.4}]")));
            String yaml = """
                    models:
                      - {id: cfg-presidio, provider: governance-test, model: p, pricing: {input: 1, output: 1}}
                    governance:
                      pii:
                        presidio:
                          url: http://127.0.0.1:%d
                          language: en
                          minScore: 0.5
                          timeout: 10s
                          entities: [PERSON, LOCATION]
                    """.formatted(presidio.port());
            try (Mesh mesh = MeshConfig.parse(yaml, Map.<String, String>of()::get).build()) {
                mesh.chat(ChatRequest.builder().messages(UserMessage.from("call Ann Lee in Paris")).build(),
                        CallContext.forTeam("t"));
            }
            // the name is pseudonymized; the location scored under minScore and stays
            assertThat(((UserMessage) TestModelFactory.CREATED.get("cfg-presidio").lastRequest().messages().get(0))
                    .singleText()).matches("call <PERSON_1_[a-z2-9]{8}> in Paris");
            presidio.verify(postRequestedFor(urlEqualTo("/analyze")).withRequestBody(equalToJson(
                    "{\"text\": \"call Ann Lee in Paris\", \"language\": \"en\", \"score_threshold\": 0.5,"
                            + " \"entities\": [\"PERSON\", \"LOCATION\"]}")));
            // analyzer down: the call fails closed, naming the analyzer, and the model is never called
            int port = presidio.port();
            presidio.stop();
            try (Mesh mesh = MeshConfig.parse(yaml, Map.<String, String>of()::get).build()) {
                assertThatThrownBy(() -> mesh.chat(ChatRequest.builder()
                        .messages(UserMessage.from("call Ann Lee in Paris")).build(), CallContext.forTeam("t")))
                        .isInstanceOf(dev.llmmesh.governance.pii.PiiDetectionException.class)
                        .hasStackTraceContaining("Presidio analyzer at http://127.0.0.1:" + port)
                        .hasStackTraceContaining("fails closed");
                assertThat(TestModelFactory.CREATED.get("cfg-presidio").calls()).isZero();
            }
        } finally {
            presidio.stop();
        }
    }

    @Test
    void badPresidioSettingsAreReportedWithTheirPath() {
        assertThatThrownBy(() -> GovernanceConfigurer.read(section("""
                governance:
                  pii: { presidio: { url: "http://169.254.169.254:5002" } }
                """))).isInstanceOf(MeshConfigException.class)
                .hasMessageContaining("governance.pii.presidio.url").hasMessageContaining("metadata");
        assertThatThrownBy(() -> GovernanceConfigurer.read(section("""
                governance:
                  pii: { presidio: { url: "http://localhost:5002", minScore: 1.5 } }
                """))).isInstanceOf(MeshConfigException.class)
                .hasMessageContaining("governance.pii.presidio.minScore");
        assertThatThrownBy(() -> GovernanceConfigurer.read(section("""
                governance:
                  pii: { presidio: { url: "http://localhost:5002", timeout: soon } }
                """))).isInstanceOf(MeshConfigException.class)
                .hasMessageContaining("governance.pii.presidio.timeout");
        assertThatThrownBy(() -> GovernanceConfigurer.read(section("""
                governance:
                  pii: { presidio: { url: "http://localhost:5002", failMode: maybe } }
                """))).isInstanceOf(MeshConfigException.class)
                .hasMessageContaining("governance.pii.presidio.failMode");
        assertThatThrownBy(() -> GovernanceConfigurer.read(section("""
                governance:
                  pii: { presidio: { url: "http://localhost:5002", entities: [person] } }
                """))).isInstanceOf(MeshConfigException.class)
                .hasMessageContaining("governance.pii.presidio.entities");
        assertThatThrownBy(() -> GovernanceConfigurer.read(section("""
                governance:
                  pii: { presidio: { url: "http://localhost:5002", langauge: en } }
                """))).isInstanceOf(MeshConfigException.class)
                .hasMessageContaining("governance.pii.presidio.langauge");
    }
}
