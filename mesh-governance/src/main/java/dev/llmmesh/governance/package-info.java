/**
 * Governance for LLM Mesh: {@link dev.llmmesh.governance.GovernancePlugin} installs federated policies (checked on
 * every hop), PII redaction per model trust with restore, and guardrails on a mesh; decisions reach the
 * {@link dev.llmmesh.governance.GovernanceAuditSink}. Sub-packages: {@code policy} (baseline and overlays),
 * {@code pii} (detectors, redaction, restore), {@code guardrail} (input and output checks).
 */
@NullMarked
package dev.llmmesh.governance;

import org.jspecify.annotations.NullMarked;
