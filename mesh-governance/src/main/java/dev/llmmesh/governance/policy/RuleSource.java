package dev.llmmesh.governance.policy;

import java.util.Objects;

/**
 * Where an effective value came from.
 *
 * @param layer    the layer id: {@code org}, {@code domain:<name>}, {@code team:<name>}, or {@code default} for
 *                 a built-in default
 * @param rulePath the rule's path as in {@code mesh.yaml}, e.g. {@code governance.teams.checkout.models.deny}
 * @param setting  the setting
 * @param item     for per-item settings, the item: the entity type of {@code pii} (e.g. {@code email}) or the model
 *                 name of {@code dataClassCeiling}; empty otherwise
 */
public record RuleSource(String layer, String rulePath, PolicySetting setting, String item) {
    public RuleSource {
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(rulePath, "rulePath");
        Objects.requireNonNull(setting, "setting");
        Objects.requireNonNull(item, "item");
    }

    /** A source for a setting without items. */
    public RuleSource(String layer, String rulePath, PolicySetting setting) {
        this(layer, rulePath, setting, "");
    }

    /**
     * The policy id used in verdicts, denials and audit events: {@code <layer>/<setting path>}, plus
     * {@code .<item>} for per-item settings, e.g. {@code team:checkout/models.deny}, {@code org/pii.email}.
     */
    public String policyId() {
        return layer + "/" + setting.path() + (item.isEmpty() ? "" : "." + item);
    }

    @Override
    public String toString() {
        return policyId() + " (" + rulePath + ")";
    }
}
