package dev.llmmesh.agents.tool;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.llmmesh.agents.internal.Json;
import dev.llmmesh.agents.internal.SqlGuard;
import dev.llmmesh.catalog.Lifecycle;
import dev.llmmesh.catalog.Ownership;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A read-only SQL query tool over JDBC. The model passes one {@code SELECT} statement; the tool answers with the rows
 * as a small text table.
 *
 * <p>Read-only is enforced twice:
 * <ol>
 *   <li><b>by the connection</b>: connections come from a {@link ConnectionSource} that should log in as a user with
 *       {@code SELECT} grants only ({@link EmbeddedH2} creates one); each query also runs with
 *       {@link Connection#setReadOnly(boolean) setReadOnly(true)} and auto-commit off, and is rolled back;</li>
 *   <li><b>by parsing</b>: only a single plain {@code SELECT} over the allow-listed tables and columns is accepted.
 *       Comments, {@code ;}-separated statements, writes, DDL, {@code SELECT … INTO}, {@code FOR UPDATE},
 *       {@code *}, quoted identifiers, schema-qualified names and functions outside a small allow-list are refused
 *       before any connection is opened.</li>
 * </ol>
 * Each query returns at most {@link Builder#maxRows(int) maxRows} rows and is cancelled after
 * {@link Builder#timeout(Duration) timeout} (JDBC query timeout, rounded up to whole seconds).
 *
 * <p>Hidden columns: when built, the tool asks its source for connections that can read only the allow-listed
 * columns ({@link ConnectionSource#restrictTo}); {@link EmbeddedH2} answers with views holding exactly those columns,
 * so no expression, subquery, alias or oracle over many calls can read another one. Over other sources the parser
 * decides alone: a select alias may only be a whole {@code ORDER BY} key, and with several tables an unqualified
 * column must be allow-listed in each of them. Because the database checks its timeout between rows but not inside
 * one {@code LIKE} match, a pattern must be a string literal with at most one {@code %} before its end; nesting is
 * limited to 32 levels of parentheses and {@code CASE} (an error result, never a
 * {@link StackOverflowError}).
 *
 * <pre>{@code
 * SqlTool orders = SqlTool.builder(db)
 *     .name("query_orders")
 *     .allowTable("orders", "id", "customer", "status", "total")
 *     .maxRows(50)
 *     .build();
 * }</pre>
 *
 * Immutable and thread-safe.
 */
public final class SqlTool implements AgentTool {
    private static final Pattern IDENT = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,62}");

    private final ConnectionSource source;
    private final ToolDescriptor descriptor;
    private final ToolSpecification specification;
    private final SqlGuard guard;
    private final Map<String, Set<String>> tables;
    private final int maxRows;
    private final int timeoutSeconds;
    private final int maxCellChars;

    private SqlTool(Builder b) {
        this.tables = Map.copyOf(b.tables);
        this.source = b.source.restrictTo(tables);
        this.guard = new SqlGuard(tables, b.maxStatementLength);
        this.maxRows = b.maxRows;
        this.timeoutSeconds = (int) Math.max(1, (b.timeout.toMillis() + 999) / 1000);
        this.maxCellChars = b.maxCellChars;
        StringBuilder schema = new StringBuilder();
        b.tables.forEach((t, cols) -> schema.append(schema.length() == 0 ? "" : "; ")
                .append(t.toLowerCase(Locale.ROOT)).append('(')
                .append(String.join(", ", cols.stream().map(c -> c.toLowerCase(Locale.ROOT)).toList())).append(')'));
        String description = (b.description.isBlank() ? "Runs one read-only SQL SELECT statement." : b.description)
                + " Tables and columns you may use: " + schema + ". Name columns explicitly (no *), no comments, "
                + "one statement, at most " + maxRows + " rows are returned.";
        this.descriptor = new ToolDescriptor(b.name, description, ToolKind.SQL, true, b.owner, b.lifecycle);
        this.specification = ToolSpecification.builder().name(b.name).description(description)
                .parameters(JsonObjectSchema.builder()
                        .addStringProperty("sql", "a single SELECT statement")
                        .required("sql").build())
                .build();
    }

    /** A builder reading through {@code source}. */
    public static Builder builder(ConnectionSource source) {
        return new Builder(Objects.requireNonNull(source, "source"));
    }

    @Override
    public ToolDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public ToolSpecification specification() {
        return specification;
    }

    /**
     * Checks {@code sql} the way {@link #execute} does, without running it.
     *
     * @return the statement as it would run (without a trailing {@code ;})
     * @throws IllegalArgumentException with the reason when the statement is refused
     */
    public String check(String sql) {
        return guard.check(Objects.requireNonNull(sql, "sql"));
    }

    @Override
    public ToolResult execute(ToolCall call) {
        String sql;
        try {
            JsonNode args = Json.parseObject(call.arguments());
            JsonNode node = args.get("sql");
            if (node == null || !node.isTextual()) {
                return ToolResult.error("invalid arguments: expected {\"sql\": \"SELECT ...\"}");
            }
            sql = guard.check(node.asText());
        } catch (IllegalArgumentException e) {
            return ToolResult.error("refused: " + e.getMessage());
        }
        try (Connection c = source.open()) {
            c.setReadOnly(true);
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.setQueryTimeout(timeoutSeconds);
                st.setMaxRows(maxRows + 1);
                try (ResultSet rs = st.executeQuery(sql)) {
                    return ToolResult.ok(render(rs));
                }
            } finally {
                c.rollback();
            }
        } catch (SQLTimeoutException e) {
            return ToolResult.error("query cancelled after " + timeoutSeconds + " s");
        } catch (SQLException e) {
            return ToolResult.error("query failed: " + firstLine(e.getMessage()));
        } catch (StackOverflowError e) {
            // the parser's nesting limits should prevent this; a driver's recursive parser must still not escape
            return ToolResult.error("refused: the statement is nested too deeply for the database to parse");
        }
    }

    private String render(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        int cols = md.getColumnCount();
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= cols; i++) {
            sb.append(i == 1 ? "" : " | ").append(md.getColumnLabel(i).toLowerCase(Locale.ROOT));
        }
        sb.append('\n');
        int rows = 0;
        boolean truncated = false;
        while (rs.next()) {
            if (rows == maxRows) {
                truncated = true;
                break;
            }
            for (int i = 1; i <= cols; i++) {
                Object v = rs.getObject(i);
                String s = v == null ? "NULL" : v.toString();
                if (s.length() > maxCellChars) {
                    s = s.substring(0, maxCellChars) + "…";
                }
                sb.append(i == 1 ? "" : " | ").append(s.replace('\n', ' '));
            }
            sb.append('\n');
            rows++;
        }
        sb.append('(').append(rows).append(rows == 1 ? " row" : " rows")
                .append(truncated ? ", truncated at the row limit" : "").append(')');
        return sb.toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @Override
    public String toString() {
        return "SqlTool[" + descriptor.id() + ", tables=" + tables.keySet() + ", maxRows=" + maxRows + "]";
    }

    /** Builds a {@link SqlTool}. Every setter validates at once. Not thread-safe. */
    public static final class Builder {
        private final ConnectionSource source;
        private final Map<String, Set<String>> tables = new LinkedHashMap<>();
        private String name = "sql_query";
        private String description = "";
        private int maxRows = 100;
        private Duration timeout = Duration.ofSeconds(5);
        private int maxCellChars = 200;
        private int maxStatementLength = 4000;
        private Ownership owner = Ownership.UNOWNED;
        private Lifecycle lifecycle = Lifecycle.approvedByDefault();

        private Builder(ConnectionSource source) {
            this.source = source;
        }

        /**
         * The tool name the model calls. Default {@code sql_query}.
         *
         * @throws IllegalArgumentException if not 1 to 64 characters of {@code [A-Za-z0-9_-]}
         */
        public Builder name(String name) {
            this.name = ToolDescriptor.requireName(name);
            return this;
        }

        /** What the data is about, sent to the model before the list of tables. */
        public Builder description(String description) {
            this.description = Objects.requireNonNull(description, "description");
            return this;
        }

        /**
         * Allows {@code table} and exactly {@code columns} of it (case-insensitive, unquoted names).
         *
         * @throws IllegalArgumentException if a name is not a plain identifier, is a reserved SQL word, or no column
         *                                  is given
         */
        public Builder allowTable(String table, String... columns) {
            String t = ident(table, "table");
            if (columns.length == 0) {
                throw new IllegalArgumentException("allowTable(\"" + table + "\"): list the columns the model may "
                        + "read; '*' is never allowed");
            }
            Set<String> cols = new LinkedHashSet<>();
            for (String c : columns) {
                cols.add(ident(c, "column"));
            }
            tables.put(t, java.util.Collections.unmodifiableSet(cols));
            return this;
        }

        /**
         * The most rows one query returns. Default 100.
         *
         * @throws IllegalArgumentException if not in [1, 10000]
         */
        public Builder maxRows(int maxRows) {
            if (maxRows < 1 || maxRows > 10_000) {
                throw new IllegalArgumentException("maxRows must be in [1, 10000], got " + maxRows);
            }
            this.maxRows = maxRows;
            return this;
        }

        /**
         * The statement timeout (rounded up to whole seconds, as JDBC counts). Default 5 s.
         *
         * @throws IllegalArgumentException if zero or negative
         */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * The most characters of one cell in the result; longer values are cut. Default 200.
         *
         * @throws IllegalArgumentException if less than 8
         */
        public Builder maxCellChars(int chars) {
            if (chars < 8) {
                throw new IllegalArgumentException("maxCellChars must be >= 8, got " + chars);
            }
            this.maxCellChars = chars;
            return this;
        }

        /**
         * The longest statement accepted. Default 4000 characters.
         *
         * @throws IllegalArgumentException if less than 16
         */
        public Builder maxStatementLength(int chars) {
            if (chars < 16) {
                throw new IllegalArgumentException("maxStatementLength must be >= 16, got " + chars);
            }
            this.maxStatementLength = chars;
            return this;
        }

        public Builder owner(Ownership owner) {
            this.owner = Objects.requireNonNull(owner, "owner");
            return this;
        }

        public Builder lifecycle(Lifecycle lifecycle) {
            this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
            return this;
        }

        /**
         * @throws IllegalStateException if no table is allow-listed
         */
        public SqlTool build() {
            if (tables.isEmpty()) {
                throw new IllegalStateException("SQL tool \"" + name + "\" has no table; call allowTable(table, "
                        + "columns...) at least once");
            }
            return new SqlTool(this);
        }

        private static String ident(String s, String what) {
            if (s == null || !IDENT.matcher(s).matches()) {
                throw new IllegalArgumentException(what + " name \"" + s + "\" must be a plain identifier "
                        + "([A-Za-z][A-Za-z0-9_]*)");
            }
            if (SqlGuard.reserved(s)) {
                throw new IllegalArgumentException(what + " name \"" + s + "\" is a reserved SQL word; the SQL tool "
                        + "cannot allow-list it");
            }
            return s.toUpperCase(Locale.ROOT);
        }
    }
}
