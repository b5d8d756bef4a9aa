package dev.llmmesh.governance;

import dev.llmmesh.Verdict;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One governance decision, as the audit hook receives it. Holds no prompt or answer text and no PII values: only
 * the rule, the outcome, the model and a short detail such as {@code EMAIL x2 pseudonymize}.
 *
 * @param requestId the call's request id ({@code unknown} when a route filter ran outside a governed call)
 * @param at        when, by the mesh clock
 * @param team      the calling team, if any
 * @param modelId   the model concerned, if any
 * @param policyId  the rule, e.g. {@code team:checkout/models.deny}
 * @param decision  what happened
 * @param stage     where in the call it happened
 * @param detail    short, secret-free explanation
 * @param enforced  false in dry-run mode, when a denial was only recorded
 */
public record GovernanceEvent(String requestId, Instant at, Optional<String> team, Optional<String> modelId,
                              String policyId, Verdict.Decision decision, Stage stage, String detail,
                              boolean enforced) {

    /** Where in the call a decision was taken. */
    public enum Stage {
        /** A model was filtered out by policy (routing, or the re-check before an attempt). */
        ROUTING,
        /** Input size, max_tokens clamp, parameter stripping, tool allow-list. */
        ADMISSION,
        /** Prompt injection, deny lists, custom input guardrails. */
        INPUT_GUARDRAIL,
        /** PII redaction or blocking for a model. */
        PII,
        /** PII leakage, JSON schema, system-prompt echo, tool calls, custom output guardrails. */
        OUTPUT_GUARDRAIL
    }

    public GovernanceEvent {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(team, "team");
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(policyId, "policyId");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(detail, "detail");
    }

    /** Whether this event denied (or, in dry-run, would have denied) something. */
    public boolean denial() {
        return decision == Verdict.Decision.DENY || detail.startsWith(DRY_RUN_PREFIX);
    }

    /** How dry-run denials start their detail. */
    public static final String DRY_RUN_PREFIX = "dry-run: would deny: ";
}
