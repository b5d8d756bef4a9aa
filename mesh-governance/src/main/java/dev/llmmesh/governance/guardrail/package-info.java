/**
 * Guardrails: input checks (prompt-injection score with a threshold, deny lists, size limits, custom
 * {@link dev.llmmesh.governance.guardrail.InputGuardrail}s with a timeout and fail-open or fail-closed mode) and
 * output checks (PII leakage, JSON-schema validity, system-prompt echo, custom
 * {@link dev.llmmesh.governance.guardrail.OutputGuardrail}s), each with an action: block, warn or redact.
 */
@NullMarked
package dev.llmmesh.governance.guardrail;

import org.jspecify.annotations.NullMarked;
