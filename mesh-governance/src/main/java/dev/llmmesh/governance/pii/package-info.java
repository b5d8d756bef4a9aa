/**
 * PII detection and redaction: {@link dev.llmmesh.governance.pii.PiiScanner} runs pluggable
 * {@link dev.llmmesh.governance.pii.PiiDetector}s (built-in: e-mail, phone, payment card with Luhn, IBAN with
 * mod-97, US SSN, IPv4/IPv6, API keys and secrets, URL credentials, dates of birth; opt-in dictionary person names),
 * {@link dev.llmmesh.governance.pii.PiiRedactor} masks, hashes or pseudonymizes what they find, and
 * {@link dev.llmmesh.governance.pii.PiiVault} restores pseudonyms in the answer, streamed or not. Usable on their own;
 * the {@link dev.llmmesh.governance.GovernancePlugin} applies them per model trust on every attempt.
 */
@NullMarked
package dev.llmmesh.governance.pii;

import org.jspecify.annotations.NullMarked;
