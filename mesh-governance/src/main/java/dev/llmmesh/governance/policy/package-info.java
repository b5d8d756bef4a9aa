/**
 * Federated policies: an org baseline plus domain and team overlays ({@link
 * dev.llmmesh.governance.policy.GovernancePolicy}), folded per team into an explainable {@link
 * dev.llmmesh.governance.policy.EffectivePolicy}. Overlays may only tighten unless the baseline delegates a setting.
 */
@NullMarked
package dev.llmmesh.governance.policy;

import org.jspecify.annotations.NullMarked;
