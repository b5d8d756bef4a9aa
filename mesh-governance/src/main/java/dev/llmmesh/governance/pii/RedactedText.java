package dev.llmmesh.governance.pii;

import java.util.List;
import java.util.Objects;

/**
 * A text after redaction, and what was changed (types and actions only, never values).
 *
 * @param text    the rewritten text
 * @param changes one entry per rewritten span, in text order
 */
public record RedactedText(String text, List<Change> changes) {
    public RedactedText {
        Objects.requireNonNull(text, "text");
        changes = List.copyOf(changes);
    }

    /** Whether anything was rewritten. */
    public boolean changed() {
        return !changes.isEmpty();
    }

    /**
     * One rewritten span.
     *
     * @param type   what it was
     * @param action what was done
     */
    public record Change(EntityType type, PiiAction action) {
        public Change {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(action, "action");
        }
    }
}
