package dev.llmmesh.agents.internal;

import dev.llmmesh.MeshBuilder;
import dev.llmmesh.agents.AgentSpec;
import dev.llmmesh.agents.AgentsPlugin;
import dev.llmmesh.agents.tool.AgentTool;
import dev.llmmesh.agents.tool.ConnectionSource;
import dev.llmmesh.agents.tool.HttpTool;
import dev.llmmesh.agents.tool.JdbcUrlPolicy;
import dev.llmmesh.agents.tool.SqlTool;
import dev.llmmesh.catalog.Lifecycle;
import dev.llmmesh.catalog.LifecycleState;
import dev.llmmesh.catalog.Ownership;
import dev.llmmesh.client.Capability;
import dev.llmmesh.config.ConfigNode;
import dev.llmmesh.config.MeshConfigException;
import dev.llmmesh.config.MeshConfigurer;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the {@code agents:} section of {@code mesh.yaml}: agents and SQL/HTTP tools as catalog entries, plus the
 * route filter that enforces each agent's cost cap ({@link AgentsPlugin}). Java tools and human escalation are set
 * in code, on the {@link dev.llmmesh.agents.AgentRuntime}. Loopback targets for the HTTP tool cannot be enabled
 * from configuration.
 *
 * <pre>{@code
 * agents:
 *   tools:
 *     - name: orders_sql
 *       kind: sql
 *       url: jdbc:h2:tcp://db.example.com/orders
 *       user: reader
 *       password: ${ORDERS_DB_PASSWORD}
 *       tables: {orders: [id, status, total]}
 *       maxRows: 50
 *       timeout: 5s
 *     - name: status_api
 *       kind: http
 *       hosts: [status.example.com]
 *       methods: [GET]
 *   agents:
 *     - id: billing
 *       description: billing and refunds
 *       skills: [billing, refunds]
 *       systemPrompt: You handle billing questions.
 *       tools: [orders_sql]
 *       requires: [tools]
 *       maxCostPerCall: 0.01
 *       owner: {domain: support, team: billing}
 * }</pre>
 */
public final class AgentsConfigurer implements MeshConfigurer {

    @Override
    public String section() {
        return "agents";
    }

    @Override
    public void configure(ConfigNode section, MeshBuilder builder) {
        AgentsPlugin.Builder plugin = AgentsPlugin.builder();
        for (ConfigNode t : section.nodeList("tools")) {
            plugin.tool(tool(t));
        }
        for (ConfigNode a : section.nodeList("agents")) {
            plugin.agent(agent(a, builder));
        }
        builder.install(plugin.build());
    }

    private static AgentTool tool(ConfigNode t) {
        String name = t.string("name");
        String kind = t.string("kind").toLowerCase(Locale.ROOT);
        Ownership owner = owner(t);
        try {
            return switch (kind) {
                case "sql" -> sql(t, name, owner);
                case "http" -> http(t, name, owner);
                default -> throw t.error("kind", "expected sql or http, got \"" + kind + "\" (Java tools and "
                        + "ask_human are set in code on the AgentRuntime)");
            };
        } catch (IllegalArgumentException | IllegalStateException e) {
            if (e instanceof MeshConfigException m) {
                throw m;
            }
            throw t.error(e.getMessage());
        }
    }

    private static SqlTool sql(ConfigNode t, String name, Ownership owner) {
        String url = t.string("url");
        JdbcUrlPolicy policy = JdbcUrlPolicy.defaults();
        Optional<String> folder = t.optionalString("fileFolder");
        if (folder.isPresent()) {
            try {
                policy = policy.allowFileFolder(Path.of(folder.get()));
            } catch (IllegalArgumentException e) {
                throw t.error("fileFolder", e.getMessage());
            }
        }
        String user = t.string("user");
        dev.llmmesh.Secret password = t.secret("password");
        ConnectionSource source;
        try {
            source = ConnectionSource.url(url, user, password, policy);
        } catch (IllegalArgumentException e) {
            throw t.error("url", e.getMessage());
        }
        SqlTool.Builder b = SqlTool.builder(source).name(name).owner(owner);
        t.optionalString("description").ifPresent(b::description);
        ConfigNode tables = t.child("tables");
        if (tables.keys().isEmpty()) {
            throw t.error("tables", "list at least one table with its columns, e.g. {orders: [id, status]}");
        }
        for (String table : tables.keys()) {
            List<String> columns = tables.stringList(table);
            try {
                b.allowTable(table, columns.toArray(new String[0]));
            } catch (IllegalArgumentException e) {
                throw tables.error(table, e.getMessage());
            }
        }
        t.optionalInteger("maxRows", 1).ifPresent(b::maxRows);
        t.optionalDuration("timeout").ifPresent(b::timeout);
        return b.build();
    }

    private static HttpTool http(ConfigNode t, String name, Ownership owner) {
        HttpTool.Builder b = HttpTool.builder().name(name).owner(owner);
        t.optionalString("description").ifPresent(b::description);
        List<String> hosts = t.stringList("hosts");
        if (hosts.isEmpty()) {
            throw t.error("hosts", "list at least one host name, e.g. [status.example.com]");
        }
        for (String h : hosts) {
            int colon = h.lastIndexOf(':');
            try {
                if (colon > 0 && !h.contains("]") && h.indexOf(':') == colon) {
                    b.allowHost(h.substring(0, colon), Integer.parseInt(h.substring(colon + 1)));
                } else {
                    b.allowHost(h);
                }
            } catch (NumberFormatException e) {
                throw t.error("hosts", "bad port in \"" + h + "\"; write host or host:port");
            } catch (IllegalArgumentException e) {
                throw t.error("hosts", e.getMessage());
            }
        }
        List<String> methods = t.stringList("methods");
        if (!methods.isEmpty()) {
            b.allowMethods(methods.toArray(new String[0]));
        }
        List<String> schemes = t.stringList("schemes");
        if (!schemes.isEmpty()) {
            b.allowSchemes(schemes.toArray(new String[0]));
        }
        t.optionalDuration("timeout").ifPresent(b::timeout);
        t.optionalInteger("maxResponseBytes", 1).ifPresent(b::maxResponseBytes);
        return b.build();
    }

    private static AgentSpec agent(ConfigNode a, MeshBuilder builder) {
        AgentSpec.Builder b = AgentSpec.builder(a.string("id"));
        try {
            a.optionalString("description").ifPresent(b::description);
            b.skills(a.stringList("skills").toArray(new String[0]));
            b.systemPrompt(a.string("systemPrompt"));
            b.tools(a.stringList("tools").toArray(new String[0]));
            for (String c : a.stringList("requires")) {
                try {
                    b.requires(Capability.parse(c));
                } catch (IllegalArgumentException e) {
                    throw a.error("requires", e.getMessage());
                }
            }
            Optional<BigDecimal> cap = a.optionalDecimal("maxCostPerCall", BigDecimal.ZERO);
            cap.ifPresent(c -> {
                if (c.signum() == 0) {
                    throw a.error("maxCostPerCall", "must be > 0 USD");
                }
                b.maxCostPerCall(c.doubleValue());
            });
            a.optionalInteger("maxOutputTokens", 1).ifPresent(b::maxOutputTokens);
            b.owner(owner(a));
            LifecycleState state = a.enumValue("lifecycle", LifecycleState.class, LifecycleState.APPROVED);
            Optional<String> by = a.optionalString("changedBy");
            b.lifecycle(by.map(who -> Lifecycle.of(state, who, builder.clock().instant()))
                    .orElseGet(() -> new Lifecycle(state, Optional.empty(), Optional.empty())));
            return b.build();
        } catch (MeshConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw a.error(e.getMessage());
        }
    }

    private static Ownership owner(ConfigNode n) {
        return n.optionalChild("owner").map(o -> Ownership.of(o.string("domain"), o.string("team")))
                .orElse(Ownership.UNOWNED);
    }

}
