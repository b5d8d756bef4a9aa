package dev.llmmesh.agents;

import dev.llmmesh.MeshBuilder;
import dev.llmmesh.MeshPlugin;
import dev.llmmesh.agents.internal.MaxCallCostFilter;
import dev.llmmesh.agents.tool.AgentTool;
import dev.llmmesh.agents.tool.ToolBinding;
import dev.llmmesh.agents.tool.ToolDescriptor;
import dev.llmmesh.catalog.CatalogItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Adds the agents module to a mesh: the route filter that enforces each agent's cost cap per call on every hop,
 * and catalog entries for agents and tools known when the mesh is built (others may be registered later, e.g. by
 * {@link AgentRuntime.Builder#agent(AgentSpec)}).
 *
 * <pre>{@code
 * Mesh mesh = Mesh.builder().addModel(a).addModel(b)
 *     .install(AgentsPlugin.builder().agent(billing).tool(sqlTool).build())
 *     .build();
 * }</pre>
 *
 * Immutable and thread-safe.
 */
public final class AgentsPlugin implements MeshPlugin {
    private final List<CatalogItem> items;

    private AgentsPlugin(List<CatalogItem> items) {
        this.items = List.copyOf(items);
    }

    /** The route filter only; agents and tools get into the catalog through the runtime. */
    public static AgentsPlugin create() {
        return new AgentsPlugin(List.of());
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void install(MeshBuilder builder) {
        builder.addRouteFilter(new MaxCallCostFilter());
        items.forEach(builder::addCatalogItem);
    }

    /** Builds an {@link AgentsPlugin}. Not thread-safe. */
    public static final class Builder {
        private final List<CatalogItem> items = new ArrayList<>();

        private Builder() {
        }

        /** Registers {@code agent} in the catalog. */
        public Builder agent(AgentSpec agent) {
            items.add(Objects.requireNonNull(agent, "agent"));
            return this;
        }

        /**
         * Registers {@code tool} in the catalog: its descriptor, and a {@link ToolBinding} so that every
         * {@link AgentRuntime} on the mesh can execute it without adding it to its own toolbox.
         */
        public Builder tool(AgentTool tool) {
            items.add(Objects.requireNonNull(tool, "tool").descriptor());
            items.add(new ToolBinding(tool));
            return this;
        }

        /** Registers a tool descriptor in the catalog. */
        public Builder tool(ToolDescriptor tool) {
            items.add(Objects.requireNonNull(tool, "tool"));
            return this;
        }

        public AgentsPlugin build() {
            return new AgentsPlugin(items);
        }
    }
}
