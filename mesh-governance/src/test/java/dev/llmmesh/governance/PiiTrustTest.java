package dev.llmmesh.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.llmmesh.CallContext;
import dev.llmmesh.DataClass;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.PolicyDeniedException;
import dev.llmmesh.Verdict;
import dev.llmmesh.governance.guardrail.GuardrailAction;
import dev.llmmesh.governance.pii.EntityType;
import dev.llmmesh.governance.pii.PiiAction;
import dev.llmmesh.governance.pii.PiiVault;
import dev.llmmesh.governance.policy.GovernancePolicy;
import dev.llmmesh.governance.policy.PolicyRules;
import dev.llmmesh.intercept.StreamTransformer;
import dev.llmmesh.testkit.ScriptedLlmClient;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PiiTrustTest {
    private static final String PROMPT = "Write to ann.lee@example.com about card 4111 1111 1111 1111, thanks";

    private static ChatRequest ask(String text, String model) {
        return ChatRequest.builder().messages(UserMessage.from(text)).modelName(model).build();
    }

    private static String sent(TestModel m) {
        return ((UserMessage) m.lastRequest().messages().get(0)).singleText();
    }

    /** Answers by echoing what the model received, so restore can be checked end to end. */
    private static TestModel echoing(String id, DataClass ceiling, double price) {
        return TestModel.of(id, ceiling, price).answering(r -> "Done: "
                + ((UserMessage) r.messages().get(0)).singleText());
    }

    @Test
    void anExternalModelGetsPlaceholdersATrustedModelGetsRawTextAndTheCallerGetsTheOriginals() {
        TestModel external = echoing("external", DataClass.PUBLIC, 0.1);
        TestModel internal = echoing("internal", DataClass.RESTRICTED, 1);
        try (Mesh mesh = Mesh.builder().addModel(external).addModel(internal).install(GovernancePlugin.defaults())
                .build()) {
            MeshResponse viaExternal = mesh.chat(ask(PROMPT, "external"), CallContext.forTeam("t"));
            assertThat(sent(external)).matches("Write to <EMAIL_1_[a-z2-9]{8}> about card <CREDIT_CARD_1_[a-z2-9]{8}>, "
                    + "thanks");
            assertThat(viaExternal.text()).isEqualTo("Done: " + PROMPT);
            assertThat(viaExternal.verdicts()).extracting(Verdict::detail).contains(
                    "EMAIL x1 pseudonymize for model external (trusted up to public)",
                    "CREDIT_CARD x1 pseudonymize for model external (trusted up to public)");

            MeshResponse viaInternal = mesh.chat(ask(PROMPT, "internal"), CallContext.forTeam("t"));
            assertThat(sent(internal)).isEqualTo(PROMPT);
            assertThat(viaInternal.text()).isEqualTo("Done: " + PROMPT);
            assertThat(viaInternal.verdicts()).noneMatch(v -> v.decision() == Verdict.Decision.REDACT);
        }
    }

    @Test
    void aPolicyCeilingLowersWhatATrustedModelMaySeeAndActionsMaskOrHash() {
        TestModel internal = echoing("internal", DataClass.RESTRICTED, 1);
        GovernancePolicy policy = GovernancePolicy.builder().baseline(PolicyRules.builder()
                .dataClassCeiling("internal", DataClass.CONFIDENTIAL)
                .pii(EntityType.CREDIT_CARD, PiiAction.MASK).pii(EntityType.EMAIL, PiiAction.HASH).build()).build();
        try (Mesh mesh = Mesh.builder().addModel(internal).install(GovernancePlugin.builder().policy(policy).build())
                .build()) {
            MeshResponse r = mesh.chat(ask(PROMPT, "internal"), CallContext.EMPTY);
            // confidential ceiling: the e-mail (confidential) stays raw, the card (restricted) is masked
            assertThat(sent(internal)).isEqualTo("Write to ann.lee@example.com about card <CREDIT_CARD>, thanks");
            assertThat(r.text()).isEqualTo("Done: Write to ann.lee@example.com about card <CREDIT_CARD>, thanks");
        }
        TestModel external = echoing("external", DataClass.PUBLIC, 1);
        try (Mesh mesh = Mesh.builder().addModel(external).install(GovernancePlugin.builder().policy(policy).build())
                .build()) {
            mesh.chat(ask(PROMPT + " and again ann.lee@example.com", "external"), CallContext.EMPTY);
            assertThat(sent(external)).matches("Write to <EMAIL#[0-9a-f]{12}> about card <CREDIT_CARD>, thanks and "
                    + "again <EMAIL#[0-9a-f]{12}>");
            String[] parts = sent(external).split("<EMAIL#");
            assertThat(parts[1].substring(0, 12)).as("equal values hash alike").isEqualTo(parts[2].substring(0, 12));
        }
    }

    @Test
    void blockedPiiIsRoutedOnlyToTrustedModelsAndDeniedWhenThereIsNone() {
        TestModel external = echoing("external", DataClass.PUBLIC, 0.01);
        TestModel internal = echoing("internal", DataClass.RESTRICTED, 5);
        RecordingSink audit = new RecordingSink();
        GovernancePolicy policy = GovernancePolicy.builder().baseline(PolicyRules.builder()
                .pii(EntityType.CREDIT_CARD, PiiAction.BLOCK).build()).build();
        try (Mesh mesh = Mesh.builder().addModel(external).addModel(internal)
                .install(GovernancePlugin.builder().policy(policy).auditSink(audit).build()).build()) {
            MeshResponse r = mesh.chat(ChatRequest.builder().messages(UserMessage.from(PROMPT)).build());
            assertThat(r.modelId()).contains("internal");
            assertThat(external.calls()).isZero();
            assertThat(mesh.chat(ChatRequest.builder().messages(UserMessage.from("no card here")).build()).modelId())
                    .contains("external");
        }
        try (Mesh onlyExternal = Mesh.builder().addModel(external)
                .install(GovernancePlugin.builder().policy(policy).auditSink(audit).build()).build()) {
            assertThatThrownBy(() -> onlyExternal.chat(ChatRequest.builder().messages(UserMessage.from(PROMPT))
                    .build())).isInstanceOfSatisfying(PolicyDeniedException.class, e -> {
                        assertThat(e.policyId()).isEqualTo("org/pii.credit_card");
                        assertThat(e.getMessage()).contains("credit_card").doesNotContain("4111");
                    });
            assertThat(external.calls()).isEqualTo(1);
        }
        assertThat(audit.events()).allSatisfy(e -> assertThat(e.detail()).doesNotContain("4111")
                .doesNotContain("ann.lee"));
    }

    @Test
    void placeholdersSplitAcrossOneCharacterStreamChunksAreRestored() throws Exception {
        TestModel external = echoing("external", DataClass.PUBLIC, 1).chunks(1);
        try (Mesh mesh = Mesh.builder().addModel(external).install(GovernancePlugin.defaults()).build()) {
            StringBuilder received = new StringBuilder();
            MeshResponse r = mesh.stream(ask(PROMPT, "external"), CallContext.EMPTY, collect(received))
                    .get(10, TimeUnit.SECONDS);
            assertThat(sent(external)).containsPattern("<EMAIL_1_[a-z2-9]{8}>")
                    .containsPattern("<CREDIT_CARD_1_[a-z2-9]{8}>");
            assertThat(received.toString()).isEqualTo("Done: " + PROMPT);
            assertThat(r.text()).isEqualTo("Done: " + PROMPT);
        }
    }

    @Test
    void theRestoringTransformerHandlesEverySplitOfAPlaceholder() {
        PiiVault vault = new PiiVault();
        String p1 = vault.placeholderFor(EntityType.EMAIL, "a@b.io");
        String p2 = vault.placeholderFor(EntityType.PHONE, "+1 415 555 0100");
        String streamed = "mail " + p1 + ", call " + p2 + " <b>bold</b> <EMAIL_9> <";
        String expected = "mail a@b.io, call +1 415 555 0100 <b>bold</b> <EMAIL_9> <";
        for (int size = 1; size <= streamed.length(); size++) {
            StreamTransformer t = vault.restoringTransformer();
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < streamed.length(); i += size) {
                out.append(t.onPartial(streamed.substring(i, Math.min(streamed.length(), i + size))));
            }
            out.append(t.flush());
            assertThat(out.toString()).as("chunks of %d", size).isEqualTo(expected);
        }
        assertThat(vault.toString()).isEqualTo("PiiVault{2 value(s)}");
    }

    @Test
    void everyKindOfMessageIsRedactedForAnUntrustedModel() {
        TestModel external = TestModel.of("external", DataClass.PUBLIC, 1);
        ToolExecutionRequest call = ToolExecutionRequest.builder().id("c1").name("lookup")
                .arguments("{\"email\":\"ann@example.com\"}").build();
        ChatRequest request = ChatRequest.builder().messages(
                dev.langchain4j.data.message.SystemMessage.from("Customer phone: +1 415 555 0100"),
                UserMessage.from("Who is ann@example.com?"),
                dev.langchain4j.data.message.AiMessage.from(call),
                dev.langchain4j.data.message.ToolExecutionResultMessage.from(call, "ann@example.com, card 4111111111111111"))
                .build();
        try (Mesh mesh = Mesh.builder().addModel(external).install(GovernancePlugin.defaults()).build()) {
            mesh.chat(request);
            List<dev.langchain4j.data.message.ChatMessage> sent = external.lastRequest().messages();
            String tag = "_[a-z2-9]{8}>";
            assertThat(((dev.langchain4j.data.message.SystemMessage) sent.get(0)).text())
                    .matches("Customer phone: <PHONE_1" + tag);
            assertThat(((UserMessage) sent.get(1)).singleText()).matches("Who is <EMAIL_1" + tag + "\\?");
            assertThat(((dev.langchain4j.data.message.AiMessage) sent.get(2)).toolExecutionRequests().get(0)
                    .arguments()).matches("\\{\"email\":\"<EMAIL_1" + tag + "\"}");
            assertThat(((dev.langchain4j.data.message.ToolExecutionResultMessage) sent.get(3)).text())
                    .matches("<EMAIL_1" + tag + ", card <CREDIT_CARD_1" + tag);
        }
    }

    @Test
    void placeholdersInToolCallArgumentsAreRestoredForAToolAllowedTheDataClass() {
        TestModel external = TestModel.of("external", DataClass.PUBLIC, 1).answering("")
                .callingTools(r -> List.of(ToolExecutionRequest.builder().id("1").name("send_mail")
                        .arguments("{\"to\":\"" + ((UserMessage) r.messages().get(0)).singleText().substring(5)
                                + "\"}").build()));
        GovernancePlugin governance = GovernancePlugin.builder().toolDataClass("send_mail", DataClass.CONFIDENTIAL)
                .build();
        try (Mesh mesh = Mesh.builder().addModel(external).install(governance).build()) {
            MeshResponse r = mesh.chat(ChatRequest.builder().messages(UserMessage.from("mail bo@x.org")).build());
            assertThat(sent(external)).matches("mail <EMAIL_1_[a-z2-9]{8}>");
            assertThat(r.chatResponse().aiMessage().toolExecutionRequests().get(0).arguments())
                    .isEqualTo("{\"to\":\"bo@x.org\"}");
        }
    }

    @Test
    void piiLeakedByTheModelIsMaskedInTheStreamEvenWhenSplitAcrossChunks() throws Exception {
        String leak = "Sure, call Bob on +1 415 555 0100 or mail bob.smith@corp.example today.";
        TestModel model = TestModel.of("m", DataClass.PUBLIC, 1).answering(leak).chunks(1);
        GovernancePolicy policy = GovernancePolicy.builder().baseline(PolicyRules.builder()
                .piiLeakAction(GuardrailAction.REDACT).build()).build();
        try (Mesh mesh = Mesh.builder().addModel(model).install(GovernancePlugin.builder().policy(policy).build())
                .build()) {
            StringBuilder received = new StringBuilder();
            MeshResponse r = mesh.stream(ChatRequest.builder().messages(UserMessage.from("who can help?")).build(),
                    CallContext.EMPTY, collect(received)).get(10, TimeUnit.SECONDS);
            String masked = "Sure, call Bob on <PHONE> or mail <EMAIL> today.";
            assertThat(received.toString()).isEqualTo(masked);
            assertThat(r.text()).isEqualTo(masked);
            assertThat(r.verdicts()).anySatisfy(v -> {
                assertThat(v.policyId()).isEqualTo("org/guardrails.output.piiLeak");
                assertThat(v.detail()).isEqualTo("answer holds PII not in the input: PHONE x1, EMAIL x1");
            });
        }
    }

    @Test
    void textHeldBackFromAStreamThatFailedBeforeCommitIsDroppedWhenTheNextModelTakesOver() throws Exception {
        ScriptedLlmClient first = ScriptedLlmClient.builder(TestModel.of("first", DataClass.PUBLIC, 0.01)
                        .descriptor())
                .then(ScriptedLlmClient.Step.answer("stale words from the first model").cutAfter(3)).build();
        TestModel second = TestModel.of("second", DataClass.PUBLIC, 1).answering("fresh answer").chunks(2);
        GovernancePolicy policy = GovernancePolicy.builder().baseline(PolicyRules.builder()
                .piiLeakAction(GuardrailAction.REDACT).build()).build();
        try (Mesh mesh = Mesh.builder().addModel(first).addModel(second)
                .install(GovernancePlugin.builder().policy(policy).build()).build()) {
            StringBuilder received = new StringBuilder();
            MeshResponse r = mesh.stream(ChatRequest.builder().messages(UserMessage.from("hi")).build(),
                    CallContext.EMPTY, collect(received)).get(10, TimeUnit.SECONDS);
            assertThat(first.calls()).isEqualTo(1);
            assertThat(r.modelId()).contains("second");
            assertThat(received.toString()).isEqualTo("fresh answer");
        }
    }

    @Test
    void theCallersOwnDataEchoedBackIsNotALeak() {
        TestModel model = echoing("m", DataClass.RESTRICTED, 1);
        GovernancePolicy policy = GovernancePolicy.builder().baseline(PolicyRules.builder()
                .piiLeakAction(GuardrailAction.BLOCK).build()).build();
        try (Mesh mesh = Mesh.builder().addModel(model).install(GovernancePlugin.builder().policy(policy).build())
                .build()) {
            assertThat(mesh.chat(ChatRequest.builder().messages(UserMessage.from(PROMPT)).build()).text())
                    .isEqualTo("Done: " + PROMPT);
        }
    }

    static StreamingChatResponseHandler collect(StringBuilder into) {
        return new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
                synchronized (into) {
                    into.append(partial.text());
                }
            }

            @Override
            public void onPartialResponse(String text) {
                synchronized (into) {
                    into.append(text);
                }
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
            }

            @Override
            public void onError(Throwable error) {
            }
        };
    }
}
