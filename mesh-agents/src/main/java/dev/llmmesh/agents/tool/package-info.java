/**
 * Tools an agent may call: Java methods annotated with langchain4j's {@code @Tool}
 * ({@link dev.llmmesh.agents.tool.JavaTools}),
 * read-only SQL over JDBC ({@link dev.llmmesh.agents.tool.SqlTool}, H2 embedded by default) and HTTP APIs on
 * allow-listed hosts ({@link dev.llmmesh.agents.tool.HttpTool}). Tools are catalog entries
 * ({@link dev.llmmesh.agents.tool.ToolDescriptor}); every call passes the {@link dev.llmmesh.agents.tool.ToolPolicy}s
 * and is reported to the {@link dev.llmmesh.agents.tool.ToolCallListener}s (the audit hook).
 */
@NullMarked
package dev.llmmesh.agents.tool;

import org.jspecify.annotations.NullMarked;
