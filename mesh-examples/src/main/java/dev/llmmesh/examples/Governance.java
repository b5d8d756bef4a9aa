package dev.llmmesh.examples;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.CallContext;
import dev.llmmesh.DataClass;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.NoRouteException;
import dev.llmmesh.Verdict;
import dev.llmmesh.client.Capability;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.client.Pricing;
import dev.llmmesh.governance.GovernanceEvent;
import dev.llmmesh.governance.GovernancePlugin;
import dev.llmmesh.governance.pii.EntityType;
import dev.llmmesh.governance.pii.PiiAction;
import dev.llmmesh.governance.policy.GovernancePolicy;
import dev.llmmesh.governance.policy.PolicyConflictException;
import dev.llmmesh.governance.policy.PolicyRules;
import dev.llmmesh.governance.policy.PolicySetting;
import dev.llmmesh.testkit.ScriptedLlmClient;
import java.util.Set;

/**
 * Federated governance, offline: an org baseline, a domain overlay for customer support and a team overlay for
 * research; PII redacted for an external model and restored in the answer, the same request sent raw to a trusted
 * internal model; a denied model skipped in routing with the denial explained; a loosening overlay rejected at load.
 * The models are in-process scripted clients that answer by echoing what they received, so the output shows exactly
 * what each model saw.
 *
 * <p>Run: {@code ./mvnw -q -pl mesh-examples -am package -DskipTests -Prun -Dexample=Governance}
 */
public final class Governance {
    private Governance() {
    }

    private static ScriptedLlmClient echoModel(String id, String provider, DataClass ceiling, double price) {
        ModelDescriptor d = ModelDescriptor.builder(id, provider, id)
                .capabilities(Capability.CHAT, Capability.STREAMING).contextWindow(32_000).maxOutputTokens(4_000)
                .maxDataClass(ceiling).pricing(Pricing.perMillion(price, price * 4)).build();
        return ScriptedLlmClient.builder(d)
                .answers(r -> "[" + id + " saw] " + ((UserMessage) r.messages().get(r.messages().size() - 1))
                        .singleText())
                .build();
    }

    public static void main(String[] args) {
        ScriptedLlmClient external = echoModel("ext-gpt", "openai", DataClass.PUBLIC, 0.15);
        ScriptedLlmClient preview = echoModel("ext-preview", "openai", DataClass.PUBLIC, 0.05);
        ScriptedLlmClient internal = echoModel("int-llama", "ollama", DataClass.RESTRICTED, 0.60);

        GovernancePolicy policy = GovernancePolicy.builder()
                .baseline(PolicyRules.builder()
                        .denyModels("gpt-3.5*")
                        .pii(EntityType.EMAIL, PiiAction.PSEUDONYMIZE)
                        .pii(EntityType.CREDIT_CARD, PiiAction.PSEUDONYMIZE)
                        .maxOutputTokens(2_000)
                        .delegate(PolicySetting.MAX_OUTPUT_TOKENS)
                        .build())
                .domain("customer", Set.of("support"), PolicyRules.builder()
                        .denyModels("ext-preview")                       // support may not use preview models
                        .pii(EntityType.PHONE, PiiAction.MASK)
                        .build())
                .team("research", PolicyRules.builder()
                        .maxOutputTokens(4_000)                          // delegated by the org: may loosen
                        .build())
                .build();

        GovernancePlugin governance = GovernancePlugin.builder()
                .policy(policy)
                .auditSink(e -> System.out.println("  audit: " + summary(e)))
                .build();

        try (Mesh mesh = Mesh.builder().addModel(external).addModel(preview).addModel(internal)
                .install(governance).build()) {
            String prompt = "Customer ann.lee@example.com paid with 4111 1111 1111 1111 and asks for a refund.";
            CallContext support = CallContext.forTeam("support");

            System.out.println("== 1. support -> external model: PII redacted for the model, restored for the caller");
            MeshResponse r1 = mesh.chat(ChatRequest.builder().messages(UserMessage.from(prompt)).modelName("ext-gpt")
                    .build(), support);
            System.out.println("  model saw : " + ((UserMessage) external.lastRequest().orElseThrow().messages().get(0))
                    .singleText());
            System.out.println("  caller got: " + r1.text());

            System.out.println("\n== 2. support -> trusted internal model: the same request goes raw");
            MeshResponse r2 = mesh.chat(ChatRequest.builder().messages(UserMessage.from(prompt))
                    .modelName("int-llama").build(), support);
            System.out.println("  model saw : " + ((UserMessage) internal.lastRequest().orElseThrow().messages().get(0))
                    .singleText());
            System.out.println("  caller got: " + r2.text());

            System.out.println("\n== 3. support, auto-routing: the cheapest model (ext-preview) is denied and skipped");
            MeshResponse r3 = mesh.chat(ChatRequest.builder().messages(UserMessage.from("Summarise our refund policy."))
                    .build(), support);
            System.out.println("  answered by " + r3.modelId().orElseThrow());
            System.out.println(indent(r3.decision().orElseThrow().toTable()));

            System.out.println("== 4. research, auto-routing: ext-preview is allowed for this team");
            MeshResponse r4 = mesh.chat(ChatRequest.builder().messages(UserMessage.from("Summarise our refund policy."))
                    .build(), CallContext.forTeam("research"));
            System.out.println("  answered by " + r4.modelId().orElseThrow());

            System.out.println("\n== 5. support pins ext-preview: refused with the policy id, 0 calls");
            try {
                mesh.chat(ChatRequest.builder().messages(UserMessage.from("hi")).modelName("ext-preview").build(),
                        support);
            } catch (NoRouteException e) {
                System.out.println("  " + e.getMessage());
            }

            System.out.println("\n== 6. where support's policy comes from");
            System.out.println(indent(governance.effectivePolicy("support").explain()));

            System.out.println("== 7. verdicts on call 1");
            for (Verdict v : r1.verdicts()) {
                System.out.println("  " + v.decision() + " " + v.policyId() + ": " + v.detail());
            }
        }

        System.out.println("\n== 8. an overlay that loosens the baseline is rejected at load");
        try {
            GovernancePolicy.builder()
                    .baseline(PolicyRules.builder().pii(EntityType.CREDIT_CARD, PiiAction.MASK).build())
                    .team("growth", PolicyRules.builder().pii(EntityType.CREDIT_CARD, PiiAction.NONE).build())
                    .build();
        } catch (PolicyConflictException e) {
            System.out.println("  " + e.getMessage());
        }
        System.out.println("\ncalls: ext-gpt=" + external.calls() + " ext-preview=" + preview.calls()
                + " int-llama=" + internal.calls());
    }

    private static String summary(GovernanceEvent e) {
        return e.decision() + " " + e.policyId() + " [" + e.stage().name().toLowerCase(java.util.Locale.ROOT) + "] "
                + e.detail();
    }

    private static String indent(String text) {
        return "  " + text.strip().replace("\n", "\n  ") + "\n";
    }
}
