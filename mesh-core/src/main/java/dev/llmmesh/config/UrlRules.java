package dev.llmmesh.config;

import dev.llmmesh.net.HostRules;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * What a URL in {@code mesh.yaml} must be: absolute {@code http} or {@code https} with a host, no user info, and a
 * host that {@link HostRules#localServersAllowed()} admits: never a cloud-metadata, link-local, multicast or reserved
 * address in any spelling ({@code 169.254.169.254}, {@code 2852039166}, {@code 0xA9FEA9FE},
 * {@code [::169.254.169.254]}, {@code [64:ff9b::a9fe:a9fe]}, {@code [fd00:ec2::254]}, {@code 100.100.100.200},
 * {@code metadata.google.internal}), never a number in disguise. Loopback and private addresses stay allowed (local
 * servers are legitimate operator choices); the resolved address is judged at connect time by the client that
 * connects. Never performs DNS lookups. Stateless.
 */
final class UrlRules {
    static final String EXPECTED = "an http(s) URL with a host, such as https://api.example.com/v1";

    private UrlRules() {
    }

    /** Parses and checks {@code text}; the problem (without path) on failure. */
    static URI check(String text) throws Problem {
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new Problem("expected " + EXPECTED + ", got %s");
        }
        String scheme = uri.getScheme();
        if (scheme == null || uri.isOpaque()) {
            throw new Problem("expected " + EXPECTED + ", got %s");
        }
        String s = scheme.toLowerCase(Locale.ROOT);
        if (!s.equals("http") && !s.equals("https")) {
            throw new Problem("scheme \"" + scheme + "\" is not allowed; expected " + EXPECTED + ", got %s");
        }
        if (uri.getRawUserInfo() != null) {
            throw new Problem("user info in a URL is not allowed (credentials must not sit in URLs); remove the "
                    + "part before '@' and configure the key as apiKey");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            // java.net.URI leaves the host empty for authorities it cannot parse as a host name, such as
            // octal-dotted IPv4 or a trailing dot; name the metadata address if that is what it is
            String authority = uri.getRawAuthority();
            if (authority != null) {
                String h = authority.substring(authority.lastIndexOf('@') + 1);
                int colon = h.lastIndexOf(':');
                if (colon > h.lastIndexOf(']')) {
                    h = h.substring(0, colon);
                }
                if (HostRules.isMetadata(h)) {
                    throw new Problem("host " + h + " is refused (cloud metadata address); base URLs may not point "
                            + "at it");
                }
            }
            throw new Problem("expected " + EXPECTED + ", got %s (it has no host)");
        }
        Optional<String> refusal = HostRules.localServersAllowed().hostRefusal(host);
        if (refusal.isPresent()) {
            throw new Problem("host " + host + " is refused (" + refusal.get() + "); base URLs may not point at it");
        }
        return uri;
    }

    /** A check failure; {@code %s} in the message stands for the echoed value. */
    static final class Problem extends Exception {
        private static final long serialVersionUID = 1L;

        Problem(String message) {
            super(message, null, false, false);
        }
    }
}
