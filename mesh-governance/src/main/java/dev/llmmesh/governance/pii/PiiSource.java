package dev.llmmesh.governance.pii;

import java.util.Locale;

/**
 * Where a pseudonymized value came from. Restore puts a value back only when the caller itself sent it: a value
 * found in one of the caller's own {@link #USER} messages is always restorable; values found only in the other
 * sources stay placeholders unless the plugin opts that source in
 * ({@code GovernancePlugin.Builder.restoreFrom(..)}, {@code governance.pii.restoreFrom} in mesh.yaml). Otherwise a
 * user could make the model repeat a system prompt's or a tool result's placeholders and have the mesh fill in the
 * values (a confused deputy).
 */
public enum PiiSource {
    /** The caller's own user messages (outside retrieved sources). Always restorable. */
    USER,
    /** System prompts (the operator's text). */
    SYSTEM,
    /** Tool results. */
    TOOL_RESULT,
    /** Retrieved chunks added to a user message as numbered sources (RAG). */
    RETRIEVED,
    /** Earlier assistant messages of the conversation, their text and tool-call arguments. */
    ASSISTANT;

    /** The name used in {@code mesh.yaml}, e.g. {@code tool_result}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** How the source reads in verdicts and audit events, e.g. "a tool result". */
    public String description() {
        return switch (this) {
            case USER -> "the caller's user messages";
            case SYSTEM -> "a system prompt";
            case TOOL_RESULT -> "a tool result";
            case RETRIEVED -> "a retrieved source";
            case ASSISTANT -> "an earlier assistant message";
        };
    }

    /**
     * Parses a config name (either case, {@code -} or {@code _}).
     *
     * @throws IllegalArgumentException naming the allowed values
     */
    public static PiiSource parse(String name) {
        String n = name.trim().replace('-', '_');
        for (PiiSource s : values()) {
            if (s.name().equalsIgnoreCase(n)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown PII source \"" + name
                + "\"; expected one of user, system, tool_result, retrieved, assistant");
    }
}
