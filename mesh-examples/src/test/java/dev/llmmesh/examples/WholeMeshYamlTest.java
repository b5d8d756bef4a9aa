package dev.llmmesh.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.CallContext;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.config.MeshConfig;
import dev.llmmesh.testkit.SimulatedOpenAiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every module's section in one {@code mesh.yaml}: providers, routing, governance, budgets, rate limits, audit, RAG
 * and agents are found through their ServiceLoader configurers and work together on one call over real HTTP.
 */
class WholeMeshYamlTest {

    @Test
    void oneMeshYamlConfiguresEveryModuleAndACallPassesThemAll(@TempDir Path dir) throws Exception {
        try (SimulatedOpenAiServer server = SimulatedOpenAiServer.builder().defaultAnswer("Refunds take 5 days [1].")
                .start()) {
            Map<String, String> env = Map.of("BASE_URL", server.baseUrl().toString(), "DIR", dir.toString(),
                    "AUDIT_KEY", "0123456789abcdef0123456789abcdef");
            String yaml = """
                    models:
                      - id: mini
                        provider: openai
                        model: gpt-4o-mini
                        baseUrl: ${BASE_URL}
                        capabilities: [chat, streaming, tools]
                        contextWindow: 128000
                        maxOutputTokens: 4096
                        pricing: {input: 0.15, output: 0.60}
                    routing:
                      maxAttempts: 2
                      defaultTimeout: 20s
                    audit:
                      log: ${DIR}/audit.jsonl
                      hmacKey: ${AUDIT_KEY}
                      deliveryInterval: 0s
                      drainOnShutdown: false
                    governance:
                      baseline:
                        models: { allow: [gpt-4o-mini] }
                        pii: { email: pseudonymize }
                        maxOutputTokens: 1024
                    budgets:
                      limits:
                        - {scope: team, window: day, usd: 5}
                    rateLimits:
                      limits:
                        - {scope: team, rpm: 600}
                    rag:
                      knowledgeBases:
                        - id: handbook
                          description: refunds
                          owner: { domain: payments, team: core }
                          allowedTeams: ["*"]
                      teamDefaults:
                        support: [handbook]
                    agents:
                      agents:
                        - id: billing
                          description: charges and refunds
                          skills: [billing]
                          systemPrompt: You handle billing.
                    """;

            try (Mesh mesh = MeshConfig.parse(yaml, env::get).build()) {
                MeshResponse r = mesh.chat(ChatRequest.builder()
                                .messages(UserMessage.from("How long do refunds take? Mail me at ann@example.com")).build(),
                        CallContext.builder().team("support").user("u1").build());

                assertThat(r.text()).isEqualTo("Refunds take 5 days [1].");
                assertThat(r.modelId()).contains("mini");
                assertThat(r.cost().known()).isTrue();
                // governance redacted the e-mail before it left the process
                String sent = server.lastRequest().orElseThrow().body();
                assertThat(sent).doesNotContain("ann@example.com");
                assertThat(mesh.catalog().summary()).containsKeys("model");
                assertThat(mesh.catalog().summary().keySet()).anyMatch(k -> k.toLowerCase().contains("knowledge"));
                assertThat(mesh.catalog().summary().keySet()).anyMatch(k -> k.toLowerCase().contains("agent"));
            }
            assertThat(Files.readString(dir.resolve("audit.jsonl"))).contains("\"team\":\"support\"");
        }
    }
}
