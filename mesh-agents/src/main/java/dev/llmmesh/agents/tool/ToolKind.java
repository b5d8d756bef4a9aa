package dev.llmmesh.agents.tool;

/** What a tool is made of; shown in the catalog and the trace. */
public enum ToolKind {
    /** A Java method annotated with langchain4j's {@code @Tool}. */
    JAVA,
    /** A read-only SQL query over JDBC ({@link SqlTool}). */
    SQL,
    /** An HTTP request to an allow-listed host ({@link HttpTool}). */
    HTTP,
    /** A question to a human ({@link dev.llmmesh.agents.HumanEscalation}). */
    HUMAN
}
