/**
 * The audit log: one {@link dev.llmmesh.governance.audit.AuditRecord} per logical call, delivered at least once
 * through a bounded durable outbox to an {@link dev.llmmesh.governance.audit.AuditSink}; the
 * {@link dev.llmmesh.governance.audit.FileAuditSink} writes an append-only JSONL log with a hash chain and
 * HMAC-signed checkpoints kept outside the log, which {@link dev.llmmesh.governance.audit.AuditVerifier} checks.
 * {@link dev.llmmesh.governance.audit.CostReport} totals cost per team, model and day from the log. Install with
 * {@code Mesh.builder().install(auditPlugin)} (its interceptor always runs first) or the {@code audit:} section of
 * {@code mesh.yaml}.
 */
@NullMarked
package dev.llmmesh.governance.audit;

import org.jspecify.annotations.NullMarked;
