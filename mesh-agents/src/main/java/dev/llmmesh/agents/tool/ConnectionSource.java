package dev.llmmesh.agents.tool;

import dev.llmmesh.Secret;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;
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

    /** Connections from a pooled {@link DataSource}. */
    static ConnectionSource of(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        return dataSource::getConnection;
    }

    /**
     * Connections from {@link DriverManager}. The password is revealed only to the driver.
     *
     * @param url      the JDBC URL (from operator configuration, never from a model)
     * @param user     the database user, ideally one with {@code SELECT} grants only
     * @param password its password
     */
    static ConnectionSource url(String url, String user, Secret password) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        return () -> DriverManager.getConnection(url, user, password.reveal());
    }
}
