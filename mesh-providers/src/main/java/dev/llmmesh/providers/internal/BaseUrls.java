package dev.llmmesh.providers.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates operator-configured provider base URLs (the only source of base URLs; there is no per-request override).
 * Accepted: {@code http} or {@code https}, a host, an optional port and path. Rejected, with a message that names the
 * problem but never repeats credentials: other schemes, a missing host, user info, a query or fragment (keys and
 * options never travel in URLs), numeric host spellings other than dotted-quad IPv4 (decimal, hex, octal: classic SSRF
 * filter bypasses), and link-local, metadata, unspecified or multicast addresses. Loopback and private addresses are
 * accepted because local model servers (Ollama, vLLM) live there.
 *
 * <p>Host names are not resolved here; a name that later resolves to a forbidden address is not caught.
 * Stateless and thread-safe.
 */
public final class BaseUrls {
    private static final Set<String> METADATA_HOSTS = Set.of("metadata.google.internal", "metadata.goog", "metadata",
            "instance-data", "instance-data.ec2.internal");
    private static final Pattern DOTTED_QUAD = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)"
            + "(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern NUMERIC_LOOKING = Pattern.compile("(0x[0-9a-f]+|[0-9]+)(\\.(0x[0-9a-f]+|[0-9]+))*");

    private BaseUrls() {
    }

    /**
     * Parses and validates {@code url}; a trailing slash is removed.
     *
     * @param setting the setting's name for messages, e.g. {@code baseUrl}
     * @throws IllegalArgumentException naming {@code setting}, the problem and the fix
     */
    public static URI validate(String setting, String url) {
        Objects.requireNonNull(url, setting);
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            // the cause is dropped on purpose: its message repeats the input, which may hold credentials
            throw new IllegalArgumentException(setting + " is not a valid URL; expected e.g. https://api.openai.com/v1");
        }
        return validate(setting, uri);
    }

    /**
     * Validates {@code uri}; a trailing slash is removed.
     *
     * @param setting the setting's name for messages, e.g. {@code baseUrl}
     * @throws IllegalArgumentException naming {@code setting}, the problem and the fix
     */
    public static URI validate(String setting, URI uri) {
        Objects.requireNonNull(uri, setting);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException(setting + " must use http or https, got "
                    + (scheme.isEmpty() ? "no scheme" : "scheme \"" + scheme + "\""));
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(setting + " must not contain credentials (user info); configure the "
                    + "key with apiKey instead");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException(setting + " needs a host name or a dotted-quad IPv4 address, e.g. "
                    + "https://api.openai.com/v1 (host names may not contain underscores)");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(setting + " must not have a query or fragment; keys and options never "
                    + "travel in the URL");
        }
        checkHost(setting, host.toLowerCase(Locale.ROOT));
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return URI.create(scheme + "://" + uri.getRawAuthority() + path);
    }

    private static void checkHost(String setting, String host) {
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (METADATA_HOSTS.contains(host)) {
            throw new IllegalArgumentException(setting + " points at a cloud metadata service (" + host + "); that is "
                    + "never a model server");
        }
        if (host.startsWith("[")) {
            checkIpv6(setting, host.substring(1, host.length() - 1));
            return;
        }
        if (NUMERIC_LOOKING.matcher(host).matches()) {
            if (!DOTTED_QUAD.matcher(host).matches()) {
                throw new IllegalArgumentException(setting + " has a numeric host that is not a plain dotted-quad IPv4 "
                        + "address (" + host + "); write the address as a.b.c.d without leading zeros");
            }
            checkIpv4(setting, host);
        }
    }

    private static void checkIpv4(String setting, String host) {
        checkAddress(setting, host, literal(host));
    }

    private static void checkIpv6(String setting, String address) {
        checkAddress(setting, "[" + address + "]", literal(address));
    }

    /** Parses an IP literal (never a DNS lookup: the caller passes only dotted quads and IPv6 literals). */
    private static InetAddress literal(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("malformed IP address " + address);
        }
    }

    private static void checkAddress(String setting, String shown, InetAddress ip) {
        // IPv4-mapped IPv6 addresses (::ffff:a.b.c.d, ::ffff:a9fe:a9fe) come back as Inet4Address
        if (ip.isLinkLocalAddress()) {
            throw new IllegalArgumentException(setting + " points at a link-local address (" + shown + "), where "
                    + "cloud metadata services live; that is never a model server");
        }
        if (ip.isAnyLocalAddress()) {
            throw new IllegalArgumentException(setting + " points at the unspecified address " + shown);
        }
        if (ip.isMulticastAddress() || (ip instanceof Inet4Address && (ip.getAddress()[0] & 0xff) >= 240)) {
            throw new IllegalArgumentException(setting + " points at a multicast or reserved address (" + shown + ")");
        }
        if (ip instanceof Inet4Address && (ip.getAddress()[0] & 0xff) == 0) {
            throw new IllegalArgumentException(setting + " points at the reserved network 0.0.0.0/8 (" + shown + ")");
        }
    }

    /** The origin ({@code scheme://host:port}) of {@code uri}, with the default port made explicit. */
    public static String origin(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }
}
