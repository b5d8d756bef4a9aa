package dev.llmmesh.providers.internal;

import dev.llmmesh.net.HostRules;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * Validates operator-configured provider base URLs (the only source of base URLs; there is no per-request override).
 * Accepted: {@code http} or {@code https}, a host, an optional port and path. Rejected, with a message that names the
 * problem but never repeats credentials: other schemes, a missing host, user info, a query or fragment (keys and
 * options never travel in URLs), and every host {@link HostRules#localServersAllowed()} refuses: numeric spellings
 * other than dotted-quad IPv4 (decimal, hex, octal: classic SSRF filter bypasses), cloud metadata addresses in any
 * form (IPv6-embedded, NAT64, 6to4, Teredo, {@code 100.100.100.200}, {@code fd00:ec2::254}), link-local,
 * unspecified, multicast and reserved addresses. Loopback and private addresses are accepted because local model
 * servers (Ollama, vLLM) live there.
 *
 * <p>Host names are not resolved here; {@link MeshHttpClient} resolves and judges them before every connection.
 * Stateless and thread-safe.
 */
public final class BaseUrls {

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
        HostRules.localServersAllowed().hostRefusal(host).ifPresent(reason -> {
            throw new IllegalArgumentException(setting + " points at a host the mesh never connects to (" + host
                    + ": " + reason + "); a model server lives on a public, private or loopback address written as "
                    + "a host name, a.b.c.d or an IPv6 literal");
        });
    }

    /** The origin ({@code scheme://host:port}) of {@code uri}, with the default port made explicit. */
    public static String origin(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }
}
