package dev.llmmesh.governance.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmmesh.DataClass;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.governance.guardrail.GuardrailAction;
import dev.llmmesh.governance.pii.EntityType;
import dev.llmmesh.governance.pii.PiiAction;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GovernancePolicyTest {

    private static final ModelDescriptor GPT = ModelDescriptor.builder("ext-gpt", "openai", "gpt-4o").build();
    private static final ModelDescriptor LLAMA = ModelDescriptor.builder("int-llama", "ollama", "llama3")
            .maxDataClass(DataClass.RESTRICTED).build();

    @Test
    void anOverlayThatAllowsAModelTheBaselineDoesNotIsRejectedNamingBothRules() {
        assertThatThrownBy(() -> GovernancePolicy.builder()
                .baseline(PolicyRules.builder().allowModels("gpt-4o-mini", "llama3").build())
                .team("checkout", PolicyRules.builder().allowModels("llama3", "gpt-4o").build())
                .build())
                .isInstanceOf(PolicyConflictException.class)
                .hasMessageContaining("governance.teams.checkout.models.allow")
                .hasMessageContaining("governance.baseline.models.allow")
                .satisfies(e -> {
                    PolicyConflictException c = (PolicyConflictException) e;
                    assertThat(c.overlayRule()).isEqualTo("governance.teams.checkout.models.allow");
                    assertThat(c.baselineRule()).isEqualTo("governance.baseline.models.allow");
                });
    }

    @Test
    void anOverlayThatAllowsADeniedModelIsRejectedNamingTheDenyRule() {
        assertThatThrownBy(() -> GovernancePolicy.builder()
                .baseline(PolicyRules.builder().denyModels("gpt-4o").build())
                .domain("payments", Set.of("checkout"), PolicyRules.builder().allowModels("gpt-4o").build())
                .build())
                .isInstanceOf(PolicyConflictException.class)
                .hasMessageContaining("governance.domains.payments.models.allow")
                .hasMessageContaining("governance.baseline.models.deny");
    }

    @Test
    void looserLimitsFlagsAndPiiActionsAreRejectedAtLoadWithBothPaths() {
        PolicyRules baseline = PolicyRules.builder().maxOutputTokens(4096).maxInputChars(10_000)
                .pii(EntityType.EMAIL, PiiAction.MASK).injectionThreshold(0.7).build();
        assertThatThrownBy(() -> GovernancePolicy.builder().baseline(baseline)
                .team("t", PolicyRules.builder().maxOutputTokens(8192).build()).build())
                .hasMessageContaining("governance.teams.t.maxOutputTokens")
                .hasMessageContaining("governance.baseline.maxOutputTokens = 4096");
        assertThatThrownBy(() -> GovernancePolicy.builder().baseline(baseline)
                .team("t", PolicyRules.builder().pii(EntityType.EMAIL, PiiAction.PSEUDONYMIZE).build()).build())
                .hasMessageContaining("governance.teams.t.pii.email")
                .hasMessageContaining("governance.baseline.pii.email = mask");
        assertThatThrownBy(() -> GovernancePolicy.builder().baseline(baseline)
                .team("t", PolicyRules.builder().injectionThreshold(0.9).build()).build())
                .hasMessageContaining("governance.teams.t.guardrails.injection.threshold")
                .hasMessageContaining("governance.baseline.guardrails.injection.threshold");
        // the baseline does not set allowLogprobs: the built-in default (not allowed) binds overlays
        assertThatThrownBy(() -> GovernancePolicy.builder().baseline(baseline)
                .team("t", PolicyRules.builder().allowLogprobs(true).build()).build())
                .hasMessageContaining("governance.teams.t.allowLogprobs")
                .hasMessageContaining("governance.baseline.allowLogprobs (unset, so the built-in default)");
        assertThatThrownBy(() -> GovernancePolicy.builder()
                .baseline(PolicyRules.builder().dataClassCeiling("*", DataClass.INTERNAL).build())
                .team("t", PolicyRules.builder().dataClassCeiling("ext-gpt", DataClass.CONFIDENTIAL).build()).build())
                .hasMessageContaining("governance.teams.t.dataClassCeiling")
                .hasMessageContaining("governance.baseline.dataClassCeiling");
        assertThatThrownBy(() -> GovernancePolicy.builder()
                .baseline(PolicyRules.builder().systemPromptEchoAction(GuardrailAction.BLOCK).build())
                .team("t", PolicyRules.builder().systemPromptEchoAction(GuardrailAction.WARN).build()).build())
                .hasMessageContaining("governance.teams.t.guardrails.output.systemPromptEcho")
                .hasMessageContaining("governance.baseline.guardrails.output.systemPromptEcho = block");
    }

    @Test
    void aTeamOverlayIsCheckedAgainstItsDomainOverlayToo() {
        assertThatThrownBy(() -> GovernancePolicy.builder()
                .domain("payments", Set.of("checkout"), PolicyRules.builder().maxOutputTokens(1000).build())
                .team("checkout", PolicyRules.builder().maxOutputTokens(2000).build())
                .build())
                .hasMessageContaining("governance.teams.checkout.maxOutputTokens")
                .hasMessageContaining("governance.domains.payments.maxOutputTokens = 1000");
    }

    @Test
    void delegatedSettingsMayBeLoosenedByOverlays() {
        GovernancePolicy policy = GovernancePolicy.builder()
                .baseline(PolicyRules.builder().maxOutputTokens(4096).allowModels("gpt-4o-mini")
                        .delegate(PolicySetting.MAX_OUTPUT_TOKENS, PolicySetting.MODELS_ALLOW).build())
                .team("research", PolicyRules.builder().maxOutputTokens(16_000).allowModels("gpt-4o").build())
                .build();
        EffectivePolicy p = policy.effectivePolicy("research");
        assertThat(p.maxOutputTokens()).contains(16_000);
        assertThat(p.checkModel(GPT, DataClass.PUBLIC)).isEmpty();
        assertThat(policy.effectivePolicy("other").checkModel(GPT, DataClass.PUBLIC)).get()
                .extracting(Denial::policyId).isEqualTo("org/models.allow");
    }

    @Test
    void denyListsCannotBeDelegated() {
        assertThatThrownBy(() -> PolicyRules.builder().delegate(PolicySetting.MODELS_DENY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("models.deny cannot be delegated");
    }

    @Test
    void effectivePolicyExplainsWhereEachValueCameFrom() {
        GovernancePolicy policy = GovernancePolicy.builder()
                .baseline(PolicyRules.builder().denyModels("gpt-3.5*").maxOutputTokens(4096)
                        .pii(EntityType.CREDIT_CARD, PiiAction.BLOCK).build())
                .domain("payments", Set.of("checkout"), PolicyRules.builder().allowProviders("ollama", "openai")
                        .build())
                .team("checkout", PolicyRules.builder().denyModels("gpt-4o").maxOutputTokens(1024).build())
                .build();
        EffectivePolicy p = policy.effectivePolicy("checkout");

        assertThat(p.layers()).containsExactly("default", "org", "domain:payments", "team:checkout");
        assertThat(p.sources(PolicySetting.MAX_OUTPUT_TOKENS)).singleElement()
                .satisfies(s -> assertThat(s.rulePath()).isEqualTo("governance.teams.checkout.maxOutputTokens"));
        assertThat(p.sources(PolicySetting.MODELS_DENY)).extracting(RuleSource::policyId)
                .containsExactlyInAnyOrder("org/models.deny", "team:checkout/models.deny");
        assertThat(p.piiSource(EntityType.CREDIT_CARD).rulePath()).isEqualTo("governance.baseline.pii.credit_card");
        assertThat(p.piiSource(EntityType.EMAIL).layer()).isEqualTo("default");
        String text = p.explain();
        assertThat(text).contains("team checkout")
                .contains("maxOutputTokens").contains("1024  <- team:checkout/maxOutputTokens")
                .contains("gpt-4o  <- team:checkout/models.deny (governance.teams.checkout.models.deny)")
                .contains("gpt-3.5*  <- org/models.deny")
                .contains("[ollama, openai]  <- domain:payments/providers.allow")
                .containsPattern("pii.credit_card +\\= block  <- org/pii.credit_card \\(governance.baseline.pii.credit_card\\)");
        assertThat(p.checkModel(GPT, DataClass.PUBLIC)).get().extracting(Denial::policyId)
                .isEqualTo("team:checkout/models.deny");
        assertThat(p.checkModel(LLAMA, DataClass.PUBLIC)).isEmpty();
    }

    @Test
    void aTeamNamedByNoLayerGetsTheBaselineAndTeamsBelongToOneDomainAtMost() {
        GovernancePolicy policy = GovernancePolicy.builder()
                .baseline(PolicyRules.builder().maxInputChars(500).build()).build();
        assertThat(policy.effectivePolicy("nobody").maxInputChars()).contains(500);
        assertThatThrownBy(() -> GovernancePolicy.builder()
                .domain("a", Set.of("t"), PolicyRules.EMPTY)
                .domain("b", Set.of("t"), PolicyRules.EMPTY))
                .hasMessageContaining("team \"t\" already belongs to domain \"a\"");
    }
}
