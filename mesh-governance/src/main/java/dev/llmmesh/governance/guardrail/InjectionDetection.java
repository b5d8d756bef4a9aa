package dev.llmmesh.governance.guardrail;

import java.util.Locale;

/**
 * Which detector scores untrusted input (user messages, tool results) for prompt injection; the policy's
 * {@code guardrails.injection.threshold} and {@code action} apply to its score either way.
 */
public enum InjectionDetection {
    /** The keyword tripwire {@link PromptInjectionDetector} (default; about a microsecond per message). */
    KEYWORDS,
    /**
     * The statistical {@link InjectionClassifier} (character n-grams, any language; tens of microseconds per KB).
     * Its operating point is the default threshold 0.8.
     */
    CLASSIFIER,
    /** Both; the higher score counts. */
    BOTH;

    /** The name used in {@code mesh.yaml}, e.g. {@code classifier}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
