package dev.llmmesh.agents.tool;

import dev.llmmesh.Secret;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Opens the JDBC connections a {@link SqlTool} queries through. The connection should belong to a database user
 * that may only {@code SELECT} the allow-listed tables: the SQL tool's parser is the second line of defence, the
 * database's grants the first. {@link EmbeddedH2} creates such a user for you.
 *
 * <p>Implementations must be thread-safe; each call returns a new connection that the caller closes.
 */
@FunctionalInterface
public interface ConnectionSource {

    /**
     * A new connection.
     *
     * @throws SQLException when the database cannot be reached
     */
    Connection open() throws SQLException;

    /**
     * A source whose connections can read only {@code columns} of each table, enforced by the database (views or
     * column grants), or this source itself when the database cannot do it for you; the {@link SqlTool} asks for it
     * once, when built, so that no construct of a query (an expression over a hidden column, a subquery, an oracle
     * over many calls) can see a column outside its allow-list. {@link EmbeddedH2} answers with views holding only
     * those columns and a user granted nothing else. The default returns {@code this}: the SQL tool's parser is then
     * the only column check, so prefer a database user whose grants or views already hide the other columns.
     *
     * @param columns table name to the column names it may read (upper case)
     * @throws IllegalStateException if the restriction cannot be set up (for example a column does not exist)
     */
    default ConnectionSource restrictTo(Map<String, Set<String>> columns) {
        return this;
    }

    /** Connections from a pooled {@link DataSource}. */
    static ConnectionSource of(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        return dataSource::getConnection;
    }

    /**
     * Connections from {@link DriverManager}, with the URL checked by {@link JdbcUrlPolicy#defaults()} (no file
     * databases, public hosts only, H2 settings that run code refused). The password is revealed only to the driver.
     *
     * @param url      the JDBC URL (from operator configuration, never from a model)
     * @param user     the database user, ideally one with {@code SELECT} grants only
     * @param password its password
     * @throws IllegalArgumentException if the policy refuses the URL
     */
    static ConnectionSource url(String url, String user, Secret password) {
        return url(url, user, password, JdbcUrlPolicy.defaults());
    }

    /**
     * Connections from {@link DriverManager}, with the URL checked by {@code policy} now and again before every
     * connection (host names are resolved each time, so a name that starts resolving to a private address is
     * refused). The password is revealed only to the driver.
     *
     * @throws IllegalArgumentException if the policy refuses the URL
     */
    static ConnectionSource url(String url, String user, Secret password, JdbcUrlPolicy policy) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(policy, "policy");
        policy.check(url);
        return () -> {
            try {
                policy.check(url);
            } catch (IllegalArgumentException e) {
                throw new SQLException("JDBC URL refused: " + e.getMessage());
            }
            return DriverManager.getConnection(url, user, password.reveal());
        };
    }
}
