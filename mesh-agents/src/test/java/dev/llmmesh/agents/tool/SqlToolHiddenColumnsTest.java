package dev.llmmesh.agents.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.llmmesh.agents.internal.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hidden columns stay hidden, every query ends at the timeout, and deep nesting is an error result. Two databases
 * that differ only in their hidden columns must give every query the same answer: then no bit of a hidden column
 * leaks, however many calls an oracle makes.
 */
class SqlToolHiddenColumnsTest {
    private static final String SCHEMA = """
            CREATE TABLE users(id INT PRIMARY KEY, name VARCHAR(40), email VARCHAR(80), ssn VARCHAR(11));
            CREATE TABLE orders(id INT PRIMARY KEY, customer VARCHAR(40), email VARCHAR(80));
            CREATE TABLE notes(id INT PRIMARY KEY, body VARCHAR(100000));
            INSERT INTO orders VALUES (1, 'ada', 'orders@example.org'), (2, 'bob', 'orders@example.org');
            INSERT INTO notes VALUES (1, REPEAT('a', 30000));
            """;
    /** The same rows, hidden values swapped between the two databases. */
    private static final String USERS_A = "INSERT INTO users VALUES (1, 'ada', 'ada@example.org', '111-11-1111'),"
            + " (2, 'bob', 'zed@example.org', '999-99-9999');";
    private static final String USERS_B = "INSERT INTO users VALUES (1, 'ada', 'zed@example.org', '999-99-9999'),"
            + " (2, 'bob', 'ada@example.org', '111-11-1111');";

    private static EmbeddedH2 dbA;
    private static EmbeddedH2 dbB;

    @BeforeAll
    static void databases() {
        dbA = EmbeddedH2.create("hiddenA", SCHEMA + USERS_A, "users", "orders", "notes");
        dbB = EmbeddedH2.create("hiddenB", SCHEMA + USERS_B, "users", "orders", "notes");
    }

    @AfterAll
    static void close() {
        dbA.close();
        dbB.close();
    }

    /** Views in the database (EmbeddedH2) and the parser alone (any other source) are both checked. */
    private static List<SqlTool[]> toolPairs() {
        List<SqlTool[]> pairs = new ArrayList<>();
        pairs.add(new SqlTool[] {tool(dbA), tool(dbB)});
        ConnectionSource plainA = dbA::open;
        ConnectionSource plainB = dbB::open;
        pairs.add(new SqlTool[] {tool(plainA), tool(plainB)});
        return pairs;
    }

    private static SqlTool tool(ConnectionSource source) {
        return SqlTool.builder(source).allowTable("users", "id", "name").allowTable("orders", "id", "customer",
                "email").allowTable("notes", "id", "body").timeout(Duration.ofSeconds(2)).build();
    }

    private static ToolResult run(SqlTool tool, String sql) {
        return tool.execute(new ToolCall("r", "a", "c", "sql_query", "{\"sql\": " + Json.quote(sql) + "}"));
    }

    @Test
    void scenario49_noConstructOfAnAllowedQueryRevealsAHiddenColumn() {
        List<String> attacks = List.of(
                // a select alias named like a hidden column, read by an ORDER BY expression
                "SELECT id AS email FROM users ORDER BY CASE WHEN email LIKE 'a%' THEN id ELSE -id END",
                "SELECT id AS ssn, name FROM users ORDER BY LENGTH(ssn), id",
                "SELECT id AS email FROM users ORDER BY email",
                "SELECT id AS email FROM users ORDER BY email DESC, id",
                "SELECT name AS email FROM users ORDER BY SUBSTRING(email, 1, 1), name",
                "SELECT id AS email FROM users ORDER BY (email)",
                // WHERE, GROUP BY and HAVING with the alias
                "SELECT id AS email FROM users WHERE email LIKE 'a%'",
                "SELECT name AS email FROM users GROUP BY email",
                "SELECT COUNT(*) AS ssn FROM users HAVING MIN(ssn) < '5'",
                // an unqualified name in a subquery resolves to the hidden users.email, not orders.email
                "SELECT id FROM orders WHERE EXISTS (SELECT id FROM users WHERE email LIKE 'ada%' AND id = 1)",
                "SELECT id, (SELECT COUNT(*) FROM users WHERE email < 'b') AS n FROM orders",
                "SELECT customer FROM orders o WHERE o.id IN (SELECT id FROM users WHERE ssn LIKE '1%')",
                // qualified names, a table alias shadowing another table, functions over hidden columns
                "SELECT u.id FROM users u WHERE u.email LIKE 'a%'",
                "SELECT users.id FROM orders users WHERE users.email LIKE 'o%' AND EXISTS (SELECT id FROM users)",
                "SELECT id FROM users WHERE LENGTH(ssn) > 0",
                "SELECT MAX(LENGTH(email)) AS m FROM users",
                "SELECT id FROM users WHERE COALESCE(email, name) LIKE 'a%'",
                // comparisons used as an oracle over many calls
                "SELECT id FROM users WHERE id = 1 AND email > 'm'",
                "SELECT id FROM users WHERE CASE WHEN ssn < '5' THEN 1 ELSE 0 END = 1");
        for (SqlTool[] pair : toolPairs()) {
            for (String attack : attacks) {
                String a = run(pair[0], attack).text();
                String b = run(pair[1], attack).text();
                assertThat(a).as(attack).isEqualTo(b).doesNotContain("example.org", "-11-", "-99-");
            }
        }
    }

    @Test
    void scenario49_anOracleOverManyCallsLearnsNothingAboutTheHiddenEmail() {
        // the attack found from outside: bisect a hidden e-mail one character at a time through an ORDER BY oracle
        for (SqlTool[] pair : toolPairs()) {
            for (char c = 'a'; c <= 'z'; c++) {
                String q = "SELECT id AS email FROM users ORDER BY CASE WHEN email LIKE '" + c + "%' THEN 0 ELSE 1 END,"
                        + " email";
                assertThat(run(pair[0], q).text()).as(q).isEqualTo(run(pair[1], q).text());
            }
        }
    }

    @Test
    void scenario49_allowedQueriesStillWork() {
        for (SqlTool[] pair : toolPairs()) {
            SqlTool t = pair[0];
            assertThat(run(t, "SELECT id AS n, name FROM users ORDER BY n DESC").text())
                    .isEqualTo("n | name\n2 | bob\n1 | ada\n(2 rows)");
            assertThat(run(t, "SELECT o.id, u.name FROM orders o JOIN users u ON u.id = o.id WHERE o.email LIKE "
                    + "'orders%' ORDER BY o.id").text()).isEqualTo("id | name\n1 | ada\n2 | bob\n(2 rows)");
            assertThat(run(t, "SELECT id FROM notes WHERE body LIKE '%aaa%'").text()).isEqualTo("id\n1\n(1 row)");
        }
        // the views hide the column from the database itself, not only from the parser
        assertThat(run(tool(dbA), "SELECT id FROM users ORDER BY id").error()).isFalse();
    }

    @Test
    void scenario49_likePatternsThatBacktrackAreRefusedAndEveryQueryEndsAtTheTimeout() {
        SqlTool t = tool(dbA);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (String q : List.of(
                    "SELECT id FROM notes WHERE body LIKE '%a%a%a%a%a%a%ab'",
                    "SELECT id FROM notes WHERE body LIKE '" + "%a".repeat(23) + "'",
                    "SELECT id FROM notes WHERE body ILIKE '%a%ab'",
                    "SELECT id FROM notes WHERE body NOT LIKE '%a%a%b'",
                    "SELECT id FROM notes WHERE body LIKE '%' || '%a%a%ab'",
                    "SELECT id FROM notes WHERE body LIKE CONCAT('%a', '%a', '%ab')",
                    "SELECT id FROM notes WHERE body LIKE body")) {
                ToolResult r = run(t, q);
                assertThat(r.error()).as(q).isTrue();
                assertThat(r.text()).as(q).startsWith("refused: ");
            }
            // the shapes that stay linear run and answer
            assertThat(run(t, "SELECT id FROM notes WHERE body LIKE '%ab'").text()).endsWith("(0 rows)");
            assertThat(run(t, "SELECT id FROM notes WHERE body LIKE 'a%b'").text()).endsWith("(0 rows)");
            assertThat(run(t, "SELECT id FROM notes WHERE body LIKE '%" + "a".repeat(500) + "b%'").text())
                    .endsWith("(0 rows)");
        });
    }

    @Test
    void scenario49_deepNestingIsAnErrorResultNeverAStackOverflow() {
        SqlTool t = tool(dbA);
        List<String> deep = List.of(
                "SELECT id FROM users WHERE id = " + "(".repeat(1000) + "1" + ")".repeat(1000),
                "SELECT id FROM users WHERE " + "(".repeat(600) + "id = 1" + ")".repeat(600),
                "SELECT " + "CASE WHEN id = 1 THEN ".repeat(200) + "1" + " END".repeat(200) + " AS x FROM users",
                "SELECT id FROM users WHERE " + "NOT ".repeat(900) + "id = 1",
                "SELECT " + "- ".repeat(1500) + "id AS x FROM users");
        for (String q : deep) {
            ToolResult r = run(t, q);
            assertThat(r.error()).as(q.substring(0, 40)).isTrue();
            assertThat(r.text()).startsWith("refused: ");
        }
        assertThat(run(t, "SELECT id FROM users WHERE id = " + "(".repeat(20) + "1" + ")".repeat(20)).text())
                .isEqualTo("id\n1\n(1 row)");
    }
}
