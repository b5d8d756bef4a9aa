package dev.llmmesh.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmmesh.Mesh;
import dev.llmmesh.agents.tool.HttpTool;
import dev.llmmesh.agents.tool.SqlTool;
import dev.llmmesh.agents.tool.ToolBinding;
import dev.llmmesh.agents.tool.ToolCall;
import dev.llmmesh.agents.tool.ToolDescriptor;
import dev.llmmesh.agents.tool.ToolKind;
import dev.llmmesh.catalog.LifecycleState;
import dev.llmmesh.catalog.Ownership;
import dev.llmmesh.client.Capability;
import dev.llmmesh.config.MeshConfig;
import dev.llmmesh.config.MeshConfigException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AgentsConfigurerTest {
    private static final String YAML = """
            models:
              - {id: m1, provider: agents-test, model: m1, capabilities: [chat, tools], answer: "All good.",
                 pricing: {input: 0.15, output: 0.6}}
            agents:
              tools:
                - name: orders_sql
                  kind: sql
                  description: Customer orders.
                  url: jdbc:h2:mem:agents_config_test
                  user: READER
                  password: ${DB_PASSWORD}
                  tables: {orders: [id, status]}
                  maxRows: 10
                  timeout: 2s
                  owner: {domain: support, team: billing}
                - name: status_api
                  kind: http
                  hosts: [status.example.com, api.example.com:8443]
                  methods: [GET, HEAD]
              agents:
                - id: billing
                  description: billing and refunds
                  skills: [billing, refunds]
                  systemPrompt: You handle billing questions.
                  tools: [orders_sql]
                  requires: [tools]
                  maxCostPerCall: 0.01
                  maxOutputTokens: 800
                  owner: {domain: support, team: billing}
                - id: draft
                  systemPrompt: Not yet approved.
                  lifecycle: proposed
            """;
    private Connection admin;

    @BeforeEach
    void database() throws SQLException {
        admin = DriverManager.getConnection("jdbc:h2:mem:agents_config_test", "SA", "");
        try (Statement st = admin.createStatement()) {
            st.execute("CREATE TABLE orders(id INT PRIMARY KEY, status VARCHAR(20), secret VARCHAR(20));"
                    + "INSERT INTO orders VALUES (1, 'shipped', 'x');"
                    + "CREATE USER READER PASSWORD 'pw'; GRANT SELECT ON orders TO READER");
        }
    }

    @AfterEach
    void close() throws SQLException {
        try (Statement st = admin.createStatement()) {
            st.execute("SHUTDOWN");
        }
        admin.close();
    }

    @Test
    void theAgentsSectionRegistersAgentsAndToolsInTheCatalog() {
        try (Mesh mesh = MeshConfig.parse(YAML, Map.of("DB_PASSWORD", "pw")::get).build()) {
            AgentSpec billing = mesh.catalog().find(AgentSpec.class, "billing").orElseThrow();
            assertThat(billing.skills()).containsExactlyInAnyOrder("billing", "refunds");
            assertThat(billing.allowedTools()).containsExactly("orders_sql");
            assertThat(billing.requirements().capabilities()).containsExactly(Capability.TOOLS);
            assertThat(billing.requirements().maxCostPerCall()).contains(new BigDecimal("0.01"));
            assertThat(billing.requirements().maxOutputTokens()).contains(800);
            assertThat(billing.owner()).isEqualTo(Ownership.of("support", "billing"));
            assertThat(mesh.catalog().find(AgentSpec.class, "draft").orElseThrow().lifecycle().state())
                    .isEqualTo(LifecycleState.PROPOSED);
            ToolDescriptor sql = mesh.catalog().find(ToolDescriptor.class, "orders_sql").orElseThrow();
            assertThat(sql.kind()).isEqualTo(ToolKind.SQL);
            assertThat(sql.owner().team()).isEqualTo("billing");
            assertThat(mesh.catalog().find(ToolBinding.class, "status_api").orElseThrow().tool())
                    .isInstanceOf(HttpTool.class);

            AgentRuntime runtime = AgentRuntime.builder(mesh).build();
            assertThat(runtime.tools().names()).containsExactly("orders_sql", "status_api");
            assertThat(runtime.agents()).extracting(AgentSpec::id).containsExactly("billing");
            SqlTool tool = (SqlTool) runtime.tools().find("orders_sql").orElseThrow();
            assertThat(tool.execute(new ToolCall("r", "billing", "c", "orders_sql",
                    "{\"sql\": \"SELECT id, status FROM orders\"}")).text()).isEqualTo("id | status\n1 | shipped\n(1 row)");
            assertThatThrownBy(() -> tool.check("SELECT secret FROM orders")).hasMessageContaining("not allow-listed");
        }
    }

    @Test
    void aConfiguredAgentRunsThroughTheMesh() {
        try (Mesh mesh = MeshConfig.parse(YAML, Map.of("DB_PASSWORD", "pw")::get).build()) {
            AgentRun run = AgentRuntime.builder(mesh).build().startRun("single");
            AgentReply reply = run.ask("billing", "anything wrong?");
            assertThat(reply.text()).isEqualTo("All good.");
            assertThat(run.trace().modelSteps()).singleElement().extracting(s -> s.model().orElseThrow())
                    .isEqualTo("m1");
        }
    }

    @Test
    void mistakesAreReportedWithTheirPath() {
        assertThatThrownBy(() -> MeshConfig.parse(YAML.replace("skills: [billing, refunds]", "skilz: [billing]"),
                Map.of("DB_PASSWORD", "pw")::get)).isInstanceOf(MeshConfigException.class)
                .hasMessageStartingWith("agents.agents[0].skilz: unknown key").hasMessageContaining("skills");
        assertThatThrownBy(() -> MeshConfig.parse(YAML.replace("requires: [tools]", "requires: [telepathy]"),
                Map.of("DB_PASSWORD", "pw")::get)).isInstanceOf(MeshConfigException.class)
                .hasMessageStartingWith("agents.agents[0].requires").hasMessageContaining("unknown capability");
        assertThatThrownBy(() -> MeshConfig.parse(YAML.replace("status.example.com,", "169.254.169.254,"),
                Map.of("DB_PASSWORD", "pw")::get)).isInstanceOf(MeshConfigException.class)
                .hasMessageStartingWith("agents.tools[1].hosts").hasMessageContaining("can never be allow-listed");
        assertThatThrownBy(() -> MeshConfig.parse(YAML.replace("kind: http", "kind: shell"),
                Map.of("DB_PASSWORD", "pw")::get)).isInstanceOf(MeshConfigException.class)
                .hasMessageStartingWith("agents.tools[1].kind: expected sql or http");
        assertThatThrownBy(() -> MeshConfig.parse(YAML, Map.<String, String>of()::get))
                .isInstanceOf(MeshConfigException.class)
                .hasMessageStartingWith("agents.tools[0].password: environment variable DB_PASSWORD is not set");
        assertThatThrownBy(() -> MeshConfig.parse(YAML.replace("{orders: [id, status]}", "{orders: [id, select]}"),
                Map.of("DB_PASSWORD", "pw")::get)).isInstanceOf(MeshConfigException.class)
                .hasMessageStartingWith("agents.tools[0].tables.orders").hasMessageContaining("reserved SQL word");
    }
}
