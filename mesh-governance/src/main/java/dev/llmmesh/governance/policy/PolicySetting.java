package dev.llmmesh.governance.policy;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The settings a policy layer may set, each with the path it has under a layer in {@code mesh.yaml} (e.g.
 * {@code governance.teams.checkout.models.allow}). The org baseline may {@linkplain PolicyRules.Builder#delegate
 * delegate} any of them except the deny lists, letting overlays set it freely instead of only tightening it.
 */
public enum PolicySetting {
    MODELS_ALLOW("models.allow"),
    MODELS_DENY("models.deny"),
    PROVIDERS_ALLOW("providers.allow"),
    PROVIDERS_DENY("providers.deny"),
    REGIONS_ALLOW("regions.allow"),
    REGIONS_DENY("regions.deny"),
    DATA_CLASS_CEILING("dataClassCeiling"),
    PII("pii"),
    MAX_INPUT_CHARS("maxInputChars"),
    MAX_OUTPUT_TOKENS("maxOutputTokens"),
    TOOLS_ALLOW("tools.allow"),
    ALLOW_LOGPROBS("allowLogprobs"),
    ALLOW_LOGIT_BIAS("allowLogitBias"),
    INJECTION_THRESHOLD("guardrails.injection.threshold"),
    INJECTION_ACTION("guardrails.injection.action"),
    DENY_KEYWORDS("guardrails.denyList.keywords"),
    DENY_PATTERNS("guardrails.denyList.patterns"),
    DENY_LIST_ACTION("guardrails.denyList.action"),
    PII_LEAK_ACTION("guardrails.output.piiLeak"),
    JSON_SCHEMA_ACTION("guardrails.output.jsonSchema"),
    SYSTEM_PROMPT_ECHO_ACTION("guardrails.output.systemPromptEcho");

    private final String path;

    PolicySetting(String path) {
        this.path = path;
    }

    /** The path under a layer, e.g. {@code models.allow}; also the second half of a policy id. */
    public String path() {
        return path;
    }

    /** Whether the baseline may delegate it (deny lists are always additive, so they cannot be). */
    public boolean delegable() {
        return this != MODELS_DENY && this != PROVIDERS_DENY && this != REGIONS_DENY && this != DENY_KEYWORDS
                && this != DENY_PATTERNS;
    }

    /**
     * The setting with path {@code path}.
     *
     * @throws IllegalArgumentException listing the valid paths
     */
    public static PolicySetting fromPath(String path) {
        for (PolicySetting s : values()) {
            if (s.path.equals(path)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown policy setting \"" + path + "\"; expected one of "
                + Arrays.stream(values()).map(PolicySetting::path).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return path;
    }
}
