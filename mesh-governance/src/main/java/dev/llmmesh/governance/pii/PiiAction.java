package dev.llmmesh.governance.pii;

import java.util.Locale;

/**
 * What happens to a detected value before the text goes to a model that may not see it raw. Declared from the
 * least to the most protective; {@link #strictness()} is what policy overlays are compared by (an overlay may only
 * move a type to an equal or stricter action unless the org delegates it).
 */
public enum PiiAction {
    /** Sent as is. */
    NONE,
    /**
     * Replaced by a keyed hash such as {@code <EMAIL#3f9a0c1d2b4e>}: the model can tell equal values apart, also
     * across calls, but cannot read them. Not restored.
     */
    HASH,
    /**
     * Replaced by a numbered placeholder with a random per-call tag such as {@code <EMAIL_1_k7q2mx9d>} (equal values
     * share a number within the call) and restored in the answer, streamed or not, when the caller sent the value
     * itself (see {@link PiiSource}). The model sees neither the value nor anything stable across calls.
     */
    PSEUDONYMIZE,
    /** Replaced by the type alone, such as {@code <EMAIL>}. Not restored. */
    MASK,
    /**
     * Never sent to a model whose data-class ceiling is below the type's sensitivity: the router keeps to trusted
     * models, and the call is denied when no trusted model may be used.
     */
    BLOCK;

    /** 0 for {@link #NONE} up to 4 for {@link #BLOCK}. */
    public int strictness() {
        return ordinal();
    }

    /** The name used in {@code mesh.yaml}, e.g. {@code pseudonymize}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a config name (either case).
     *
     * @throws IllegalArgumentException naming the allowed values
     */
    public static PiiAction parse(String name) {
        for (PiiAction a : values()) {
            if (a.name().equalsIgnoreCase(name.trim())) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown PII action \"" + name
                + "\"; expected one of none, hash, pseudonymize, mask, block");
    }
}
