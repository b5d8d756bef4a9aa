package dev.llmmesh.agents.tool;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * An in-memory H2 database for the {@link SqlTool}, created from a setup script, whose {@link #open()} connections
 * belong to a user that may only {@code SELECT} the tables you grant. Writes, DDL and H2's file functions
 * ({@code FILE_READ}, {@code CSVWRITE}) fail in the database itself with "not enough rights", whatever SQL reaches
 * it. (H2 ignores {@link Connection#setReadOnly(boolean)} and {@code ACCESS_MODE_DATA=r} on an in-memory database that
 * is already open, so least privilege is how read-only is enforced by the connection.)
 *
 * <pre>{@code
 * try (EmbeddedH2 db = EmbeddedH2.create("orders", "CREATE TABLE orders(id INT PRIMARY KEY, status VARCHAR(20));"
 *         + "INSERT INTO orders VALUES (1, 'shipped')", "orders")) {
 *     SqlTool sql = SqlTool.builder(db).allowTable("orders", "id", "status").build();
 * }
 * }</pre>
 *
 * <p>The administrator and reader passwords are random per instance and never leave it. Thread-safe; the database
 * lives until {@link #close()}.
 */
public final class EmbeddedH2 implements ConnectionSource, AutoCloseable {
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,62}");
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String url;
    private final String readerPassword;
    private final Connection admin;
    private final Set<String> readable;
    private final AtomicInteger restrictions = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedH2(String url, String readerPassword, Connection admin, Set<String> readable) {
        this.url = url;
        this.readerPassword = readerPassword;
        this.admin = admin;
        this.readable = readable;
    }

    /**
     * Creates the database, runs {@code setupSql} as administrator, and grants the reader {@code SELECT} on
     * {@code readableTables} only.
     *
     * @param name           a name for the database ({@code [A-Za-z][A-Za-z0-9_]*}); made unique per instance
     * @param setupSql       statements separated by {@code ;} that create and fill the tables (trusted input)
     * @param readableTables the tables the reader may select from
     * @throws IllegalArgumentException if a name is invalid or no table is given
     * @throws IllegalStateException    if the setup script fails (the database is dropped)
     */
    public static EmbeddedH2 create(String name, String setupSql, String... readableTables) {
        Objects.requireNonNull(setupSql, "setupSql");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("database name \"" + name + "\" is invalid: use a letter followed by "
                    + "letters, digits or '_'");
        }
        if (readableTables.length == 0) {
            throw new IllegalArgumentException("readableTables is empty: grant the reader at least one table");
        }
        List<String> tables = new ArrayList<>();
        for (String t : readableTables) {
            if (t == null || !NAME.matcher(t).matches()) {
                throw new IllegalArgumentException("table name \"" + t + "\" is invalid: use a letter followed by "
                        + "letters, digits or '_'");
            }
            tables.add(t.toUpperCase(Locale.ROOT));
        }
        String url = "jdbc:h2:mem:" + name + "_" + SEQUENCE.incrementAndGet() + "_" + token(4);
        String adminPassword = token(16);
        String readerPassword = token(16);
        Connection admin = null;
        try {
            admin = DriverManager.getConnection(url, "SA", adminPassword);
            try (Statement st = admin.createStatement()) {
                st.execute(setupSql);
                st.execute("CREATE USER MESH_READER PASSWORD '" + readerPassword + "'");
                for (String t : tables) {
                    st.execute("GRANT SELECT ON " + t + " TO MESH_READER");
                }
            }
            return new EmbeddedH2(url, readerPassword, admin, Set.copyOf(tables));
        } catch (SQLException e) {
            if (admin != null) {
                try (Statement st = admin.createStatement()) {
                    st.execute("SHUTDOWN");
                } catch (SQLException ignored) {
                    // already broken
                }
            }
            throw new IllegalStateException("embedded H2 setup failed: " + e.getMessage(), e);
        }
    }

    /** A new connection as the read-only user. */
    @Override
    public Connection open() throws SQLException {
        if (closed.get()) {
            throw new SQLException("embedded H2 database is closed");
        }
        Connection c = DriverManager.getConnection(url, "MESH_READER", readerPassword);
        c.setReadOnly(true);
        return c;
    }

    /**
     * Connections that read only {@code columns}: a schema of its own holds one view per table with exactly those
     * columns, and a user of its own may {@code SELECT} those views and nothing else, so hidden columns do not exist
     * for the queries it runs (whatever expression, subquery or alias names them). Its connections start in that
     * schema, so unqualified table names reach the views.
     *
     * @throws IllegalStateException if a table was not granted at {@link #create} or a column does not exist
     */
    @Override
    public ConnectionSource restrictTo(Map<String, Set<String>> columns) {
        if (closed.get()) {
            throw new IllegalStateException("embedded H2 database is closed");
        }
        String schema = "MESH_TOOL_" + restrictions.incrementAndGet();
        String user = schema + "_READER";
        String password = token(16);
        synchronized (admin) {
            try (Statement st = admin.createStatement()) {
                st.execute("CREATE SCHEMA " + schema);
                st.execute("CREATE USER " + user + " PASSWORD '" + password + "'");
                for (Map.Entry<String, Set<String>> e : columns.entrySet()) {
                    String table = name(e.getKey(), "table");
                    if (!readable.contains(table)) {
                        throw new IllegalStateException("table " + table + " was not granted to the reader: list it "
                                + "in EmbeddedH2.create(name, setupSql, readableTables...)");
                    }
                    StringBuilder cols = new StringBuilder();
                    for (String c : e.getValue()) {
                        cols.append(cols.length() == 0 ? "" : ", ").append(name(c, "column"));
                    }
                    st.execute("CREATE VIEW " + schema + "." + table + " AS SELECT " + cols + " FROM PUBLIC." + table);
                    st.execute("GRANT SELECT ON " + schema + "." + table + " TO " + user);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("embedded H2: cannot create the column views: "
                        + e.getMessage().lines().findFirst().orElse(""), e);
            }
        }
        return () -> {
            if (closed.get()) {
                throw new SQLException("embedded H2 database is closed");
            }
            Connection c = DriverManager.getConnection(url, user, password);
            try (Statement st = c.createStatement()) {
                st.execute("SET SCHEMA " + schema);
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            return c;
        };
    }

    private static String name(String s, String what) {
        if (s == null || !NAME.matcher(s).matches()) {
            throw new IllegalArgumentException(what + " name \"" + s + "\" is invalid: use a letter followed by "
                    + "letters, digits or '_'");
        }
        return s.toUpperCase(Locale.ROOT);
    }

    /** Drops the database. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try (Statement st = admin.createStatement()) {
            st.execute("SHUTDOWN");
        } catch (SQLException ignored) {
            // closing anyway
        }
        try {
            admin.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
    }

    @Override
    public String toString() {
        return "EmbeddedH2[" + url + "]";
    }

    private static String token(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
