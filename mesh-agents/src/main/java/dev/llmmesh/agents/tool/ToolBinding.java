package dev.llmmesh.agents.tool;

import dev.llmmesh.catalog.CatalogItem;
import dev.llmmesh.catalog.Lifecycle;
import dev.llmmesh.catalog.Ownership;
import java.util.Objects;

/**
 * A catalog entry holding a tool's implementation, for tools configured outside code (the {@code agents.tools}
 * section of {@code mesh.yaml}, or {@link dev.llmmesh.agents.AgentsPlugin.Builder#tool(AgentTool)}): every
 * {@link dev.llmmesh.agents.AgentRuntime} on the mesh adds bound tools to its toolbox. The tool's lifecycle lives in
 * its {@link ToolDescriptor} entry; this entry only carries the implementation, which must be immutable and
 * thread-safe (as {@link SqlTool} and {@link HttpTool} are).
 *
 * @param tool the implementation
 */
public record ToolBinding(AgentTool tool) implements CatalogItem {
    public ToolBinding {
        Objects.requireNonNull(tool, "tool");
    }

    @Override
    public String id() {
        return tool.descriptor().id();
    }

    @Override
    public String description() {
        return tool.descriptor().description();
    }

    @Override
    public Ownership owner() {
        return tool.descriptor().owner();
    }

    @Override
    public Lifecycle lifecycle() {
        return tool.descriptor().lifecycle();
    }
}
