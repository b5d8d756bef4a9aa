package dev.llmmesh.agents.tool;

import java.util.Objects;

/**
 * What a tool returned to the model: text, and whether it is an error (refusals, bad arguments and failures are
 * errors; the model sees the text either way and may recover).
 *
 * @param text  the result, or a short description of the error
 * @param error whether the call failed or was refused
 */
public record ToolResult(String text, boolean error) {
    public ToolResult {
        Objects.requireNonNull(text, "text");
    }

    public static ToolResult ok(String text) {
        return new ToolResult(text, false);
    }

    public static ToolResult error(String text) {
        return new ToolResult(text, true);
    }
}
