package dev.llmmesh.agents.tool;

import dev.llmmesh.net.HostRefusedException;
import dev.llmmesh.net.HostRules;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which JDBC URLs a {@link SqlTool} may connect to, checked when the URL is configured and again before every
 * connection. A URL from operator configuration can open sockets, write files and, for H2, run code
 * ({@code INIT=RUNSCRIPT FROM …}, {@code CREATE ALIAS} in an init script, {@code TRACE_LEVEL_FILE}), so:
 * <ul>
 *   <li><b>drivers</b>: {@code jdbc:h2:} and the network drivers {@code postgresql}, {@code mysql}, {@code mariadb}
 *       and {@code sqlserver}; any other is refused (its syntax cannot be checked);</li>
 *   <li><b>hosts</b>: every host of a network URL ({@code jdbc:h2:tcp://}, {@code ssl://}, {@code jdbc:postgresql://}
 *       …) and every address it resolves to must pass {@link HostRules#publicOnly()}, the rules of the HTTP tool and
 *       of provider base URLs: loopback, private, link-local and cloud metadata addresses, carrier-grade NAT,
 *       multicast, reserved, Teredo and IPv6 forms that embed such an IPv4 address are refused;</li>
 *   <li><b>H2 settings</b>: only an allow-list ({@code MODE}, {@code SCHEMA}, {@code IFEXISTS}, {@code ACCESS_MODE_DATA},
 *       {@code DB_CLOSE_DELAY}, {@code DB_CLOSE_ON_EXIT}, {@code DATABASE_TO_UPPER}, {@code DATABASE_TO_LOWER},
 *       {@code CASE_INSENSITIVE_IDENTIFIERS}, {@code IGNORECASE}, {@code LOCK_TIMEOUT}, {@code QUERY_TIMEOUT},
 *       {@code MAX_MEMORY_ROWS}, {@code DEFAULT_NULL_ORDERING}, {@code NON_KEYWORDS}), each with a plain value;
 *       {@code INIT}, {@code RUNSCRIPT}, {@code TRACE_LEVEL_FILE}, {@code AUTO_SERVER}, {@code USER},
 *       {@code PASSWORD} and every other setting are refused;</li>
 *   <li><b>H2 storage</b>: {@code mem:} databases, network databases, and {@code file:} databases only under a
 *       folder given with {@link #allowFileFolder(Path)} (none by default); {@code zip:}, {@code split:},
 *       {@code nio:} and the other file-system prefixes are refused;</li>
 *   <li><b>other drivers' parameters</b>: an allow-list of harmless ones (timeouts, TLS mode, schema, application
 *       name); class-loading and file-writing ones ({@code socketFactory}, {@code loggerFile},
 *       {@code autoDeserialize}, {@code allowLoadLocalInfile}, …) are refused.</li>
 * </ul>
 * Immutable and thread-safe; each {@code allow…} method returns a new policy.
 */
public final class JdbcUrlPolicy {
    private static final Set<String> H2_SETTINGS = Set.of("MODE", "SCHEMA", "IFEXISTS", "ACCESS_MODE_DATA",
            "DB_CLOSE_DELAY", "DB_CLOSE_ON_EXIT", "DATABASE_TO_UPPER", "DATABASE_TO_LOWER",
            "CASE_INSENSITIVE_IDENTIFIERS", "IGNORECASE", "LOCK_TIMEOUT", "QUERY_TIMEOUT", "MAX_MEMORY_ROWS",
            "DEFAULT_NULL_ORDERING", "NON_KEYWORDS");
    private static final Map<String, Set<String>> DRIVER_PARAMETERS = Map.of(
            "postgresql", Set.of("ssl", "sslmode", "currentschema", "applicationname", "connecttimeout",
                    "sockettimeout", "logintimeout", "readonly", "targetservertype"),
            "mysql", Set.of("usessl", "sslmode", "connecttimeout", "sockettimeout", "servertimezone",
                    "characterencoding", "readonly"),
            "mariadb", Set.of("usessl", "sslmode", "connecttimeout", "sockettimeout", "servertimezone",
                    "characterencoding", "readonly"),
            "sqlserver", Set.of("encrypt", "trustservercertificate", "databasename", "logintimeout",
                    "applicationname", "applicationintent", "sockettimeout", "hostnameincertificate"));
    private static final Pattern PLAIN_VALUE = Pattern.compile("[A-Za-z0-9_.,-]{0,64}");
    private static final Pattern PORT = Pattern.compile("\\d{1,5}");

    private static final JdbcUrlPolicy DEFAULTS = new JdbcUrlPolicy(null, false);

    private final Path fileFolder;
    private final boolean allowLoopback;

    private JdbcUrlPolicy(Path fileFolder, boolean allowLoopback) {
        this.fileFolder = fileFolder;
        this.allowLoopback = allowLoopback;
    }

    /** The default policy: no file databases, no loopback or private hosts. */
    public static JdbcUrlPolicy defaults() {
        return DEFAULTS;
    }

    /**
     * Also allows H2 {@code file:} databases whose path lies under {@code folder} (after resolving {@code ..} and
     * symbolic links of the folder).
     *
     * @throws IllegalArgumentException if the folder does not exist or is not a directory
     */
    public JdbcUrlPolicy allowFileFolder(Path folder) {
        Objects.requireNonNull(folder, "folder");
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("file folder " + folder + " is not an existing directory: create it "
                    + "or name another");
        }
        try {
            return new JdbcUrlPolicy(folder.toRealPath(), allowLoopback);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("file folder " + folder + " cannot be resolved: " + e.getMessage());
        }
    }

    /** Also allows loopback hosts (tests against a local database server only; not settable from mesh.yaml). */
    public JdbcUrlPolicy allowLoopback() {
        return new JdbcUrlPolicy(fileFolder, true);
    }

    /**
     * Checks {@code url}, resolving the host names it names.
     *
     * @throws IllegalArgumentException with the reason and the fix when the URL is refused (the message never
     *                                  repeats a setting's value, which could hold a secret)
     */
    public void check(String url) {
        Objects.requireNonNull(url, "url");
        if (!url.startsWith("jdbc:")) {
            throw refuse("expected a JDBC URL starting with jdbc:");
        }
        String rest = url.substring(5);
        int colon = rest.indexOf(':');
        String driver = (colon < 0 ? rest : rest.substring(0, colon)).toLowerCase(Locale.ROOT);
        String body = colon < 0 ? "" : rest.substring(colon + 1);
        if (driver.equals("h2")) {
            h2(body);
        } else if (url.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw refuse("the JDBC URL may not contain spaces, control or non-ASCII characters");
        } else if (DRIVER_PARAMETERS.containsKey(driver)) {
            network(driver, body);
        } else {
            throw refuse("driver \"" + driver + "\" is not supported by the SQL tool's URL check: use jdbc:h2:, "
                    + "jdbc:postgresql:, jdbc:mysql:, jdbc:mariadb: or jdbc:sqlserver:, or pass a ConnectionSource "
                    + "in code");
        }
    }

    private void h2(String body) {
        if (body.contains("\\")) {
            throw refuse("H2 URL may not contain '\\' (escaped settings)");
        }
        String[] parts = body.split(";", -1);
        String location = parts[0];
        for (int i = 1; i < parts.length; i++) {
            String setting = parts[i];
            if (setting.isEmpty()) {
                continue;
            }
            int eq = setting.indexOf('=');
            String key = (eq < 0 ? setting : setting.substring(0, eq)).toUpperCase(Locale.ROOT).strip();
            if (!H2_SETTINGS.contains(key)) {
                throw refuse("H2 URL setting " + key + " is not allowed (settings such as INIT, RUNSCRIPT, "
                        + "TRACE_LEVEL_FILE and AUTO_SERVER run code, write files or open sockets); allowed: "
                        + String.join(", ", new java.util.TreeSet<>(H2_SETTINGS)));
            }
            if (eq < 0 || !PLAIN_VALUE.matcher(setting.substring(eq + 1)).matches()) {
                throw refuse("H2 URL setting " + key + " needs a plain value (letters, digits, '_', '.', ',', '-')");
            }
        }
        if (location.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw refuse("the JDBC URL may not contain spaces, control or non-ASCII characters");
        }
        String lower = location.toLowerCase(Locale.ROOT);
        if (lower.startsWith("mem:")) {
            return;
        }
        if (lower.startsWith("tcp://") || lower.startsWith("ssl://")) {
            String hostPart = location.substring(6);
            int slash = hostPart.indexOf('/');
            if (slash <= 0) {
                throw refuse("H2 server URL needs a host and a database: jdbc:h2:tcp://host[:port]/name");
            }
            for (String host : hostPart.substring(0, slash).split(",", -1)) {
                host(host);
            }
            return;
        }
        String path = lower.startsWith("file:") ? location.substring(5) : location;
        if (path.matches("(?i)[a-z]{2,}:.*") && !path.matches("(?i)[a-z]:[\\\\/].*")) {
            throw refuse("H2 storage \"" + path.substring(0, path.indexOf(':') + 1) + "\" is not allowed: use "
                    + "mem:, file: (under the configured file folder) or tcp://host/");
        }
        if (fileFolder == null) {
            throw refuse("H2 file databases are refused unless a file folder is configured (fileFolder in mesh.yaml, "
                    + "JdbcUrlPolicy.allowFileFolder in code); or use jdbc:h2:mem: or jdbc:h2:tcp://");
        }
        Path p;
        try {
            if (path.startsWith("~") || !Path.of(path).isAbsolute()) {
                throw refuse("H2 file database path must be absolute (no '~' or relative paths) and under "
                        + fileFolder);
            }
            p = Path.of(path).normalize();
        } catch (InvalidPathException e) {
            throw refuse("H2 file database path is not a valid path");
        }
        Path parent = p.getParent();
        Path real = parent;
        try {
            if (parent != null && Files.exists(parent)) {
                real = parent.toRealPath();
            }
        } catch (java.io.IOException e) {
            throw refuse("H2 file database folder cannot be resolved");
        }
        if (real == null || !real.startsWith(fileFolder)) {
            throw refuse("H2 file database " + p + " lies outside the allowed folder " + fileFolder);
        }
    }

    private void network(String driver, String body) {
        if (!body.startsWith("//")) {
            throw refuse("jdbc:" + driver + ": URL must name its host: jdbc:" + driver + "://host[:port]/...");
        }
        String rest = body.substring(2);
        int end = 0;
        while (end < rest.length() && "/?;".indexOf(rest.charAt(end)) < 0) {
            end++;
        }
        String hosts = rest.substring(0, end);
        if (hosts.contains("@")) {
            throw refuse("credentials in the JDBC URL are not allowed: set user and password separately");
        }
        String params = rest.substring(end);
        List<String> pairs = new ArrayList<>();
        if (driver.equals("sqlserver")) {
            for (String s : params.split(";")) {
                pairs.add(s);
            }
        } else {
            int q = params.indexOf('?');
            if (q >= 0) {
                for (String s : params.substring(q + 1).split("&")) {
                    pairs.add(s);
                }
            }
            if (params.indexOf(';') >= 0) {
                throw refuse("jdbc:" + driver + ": URL may not contain ';'");
            }
        }
        Set<String> allowed = DRIVER_PARAMETERS.get(driver);
        for (String pair : pairs) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = (eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(Locale.ROOT);
            if (!allowed.contains(key)) {
                throw refuse("jdbc:" + driver + ": parameter " + key + " is not allowed; allowed: "
                        + String.join(", ", new java.util.TreeSet<>(allowed)));
            }
            if (eq < 0 || !PLAIN_VALUE.matcher(pair.substring(eq + 1)).matches()) {
                throw refuse("jdbc:" + driver + ": parameter " + key + " needs a plain value");
            }
        }
        for (String host : hosts.split(",", -1)) {
            host(host);
        }
    }

    private void host(String hostPort) {
        String host = hostPort;
        String port = null;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close < 0) {
                throw refuse("unterminated IPv6 address in the JDBC URL");
            }
            port = close + 1 < host.length() && host.charAt(close + 1) == ':' ? host.substring(close + 2) : null;
            host = host.substring(1, close);
        } else if (host.indexOf(':') >= 0) {
            if (host.indexOf(':') != host.lastIndexOf(':')) {
                throw refuse("IPv6 addresses in a JDBC URL must be in brackets");
            }
            port = host.substring(host.indexOf(':') + 1);
            host = host.substring(0, host.indexOf(':'));
        }
        if (port != null && (!PORT.matcher(port).matches() || Integer.parseInt(port) > 65535)) {
            throw refuse("bad port in the JDBC URL");
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.isEmpty()) {
            throw refuse("the JDBC URL names an empty host");
        }
        if (!host.contains(":") && !HostRules.isDottedQuad(host) && HostRules.looksNumeric(host)) {
            throw refuse("host \"" + host + "\" is an IP address in an unusual notation; write it as a.b.c.d");
        }
        if (!host.contains(":") && !HostRules.isDottedQuad(host) && !HostRules.validHostName(host)) {
            throw refuse("host \"" + host + "\" is not a valid host name");
        }
        HostRules rules = allowLoopback ? HostRules.publicOnly().withLoopback() : HostRules.publicOnly();
        try {
            rules.resolve(host);
        } catch (HostRefusedException e) {
            String reason = e.reason();
            if (reason.equals("name does not resolve")) {
                throw refuse("host \"" + host + "\" does not resolve");
            }
            throw refuse("host \"" + host + "\" " + (reason.startsWith("resolves ") ? reason : "is a " + reason)
                    + ", which the SQL tool never connects to");
        }
    }

    private static IllegalArgumentException refuse(String reason) {
        return new IllegalArgumentException(reason);
    }

    @Override
    public String toString() {
        return "JdbcUrlPolicy[fileFolder=" + (fileFolder == null ? "none" : fileFolder) + ", loopback="
                + allowLoopback + "]";
    }
}
