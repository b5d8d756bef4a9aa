package dev.llmmesh.agents.tool;

import dev.langchain4j.agent.tool.ToolSpecification;

/**
 * A tool an agent may call: its catalog entry, the specification sent to the model, and the code that runs it.
 * Implementations must be thread-safe (one instance serves concurrent runs) and must not throw for expected
 * failures: return {@link ToolResult#error(String)} instead. An unexpected exception is caught by the runtime and
 * reported to the model as an error with the exception's class name only.
 */
public interface AgentTool {

    /** The catalog entry; {@code descriptor().id()} equals {@code specification().name()}. */
    ToolDescriptor descriptor();

    /** The name, description and JSON schema of the arguments, as sent to the model. */
    ToolSpecification specification();

    /** Runs the tool with the model's arguments. */
    ToolResult execute(ToolCall call);
}
