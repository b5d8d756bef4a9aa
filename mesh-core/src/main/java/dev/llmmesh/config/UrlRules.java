package dev.llmmesh.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a URL in {@code mesh.yaml} must be: absolute {@code http} or {@code https} with a host, no user info, and not
 * a link-local or cloud-metadata address in any spelling ({@code 169.254.169.254}, {@code 2852039166},
 * {@code 0xA9FEA9FE}, {@code 0251.0376.0251.0376}, {@code [::ffff:169.254.169.254]}, {@code metadata.google.internal}).
 * Loopback and private addresses stay allowed (local servers are legitimate operator choices); checks of the
 * resolved address at connect time are the provider client's job. Never performs DNS lookups. Stateless.
 */
final class UrlRules {
    static final String EXPECTED = "an http(s) URL with a host, such as https://api.example.com/v1";
    private static final Set<String> METADATA_HOSTS = Set.of("metadata.google.internal", "metadata",
            "metadata.goog", "instance-data", "instance-data.ec2.internal");

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
                if (isMetadataHost(h)) {
                    throw new Problem("host " + h + " is a link-local or cloud-metadata address; base URLs may not "
                            + "point at it");
                }
            }
            throw new Problem("expected " + EXPECTED + ", got %s (it has no host)");
        }
        if (isMetadataHost(host)) {
            throw new Problem("host " + host + " is a link-local or cloud-metadata address; base URLs may not "
                    + "point at it");
        }
        return uri;
    }

    static boolean isMetadataHost(String rawHost) {
        String host = rawHost.toLowerCase(Locale.ROOT);
        while (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (METADATA_HOSTS.contains(host)) {
            return true;
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            try { // an IPv6 literal: parsed without DNS
                InetAddress a = InetAddress.getByName(host.substring(1, host.length() - 1));
                byte[] b = a.getAddress();
                if (a.isLinkLocalAddress()) {
                    return true;
                }
                if (b.length == 16 && isMappedOrCompatV4(b)) {
                    return isLinkLocalV4(((b[12] & 0xFF) << 24) | ((b[13] & 0xFF) << 16) | ((b[14] & 0xFF) << 8)
                            | (b[15] & 0xFF));
                }
                // AWS IMDS over IPv6: fd00:ec2::254
                return b.length == 16 && (b[0] & 0xFF) == 0xfd && b[1] == 0 && (b[2] & 0xFF) == 0x0e
                        && (b[3] & 0xFF) == 0xc2 && b[15] == (byte) 0x54 && b[14] == 0x02;
            } catch (UnknownHostException e) {
                return false;
            }
        }
        Optional<Long> v4 = parseInetAton(host);
        return v4.isPresent() && isLinkLocalV4(v4.get());
    }

    private static boolean isMappedOrCompatV4(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] == (byte) 0xFF && b[11] == (byte) 0xFF) || (b[10] == 0 && b[11] == 0);
    }

    private static boolean isLinkLocalV4(long address) {
        return ((address >>> 16) & 0xFFFF) == 0xA9FE; // 169.254.0.0/16
    }

    /** IPv4 in the forms inet_aton accepts: 1 to 4 parts, each decimal, 0x-hex or 0-octal. */
    static Optional<Long> parseInetAton(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length < 1 || parts.length > 4) {
            return Optional.empty();
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            try {
                if (p.isEmpty()) {
                    return Optional.empty();
                } else if (p.startsWith("0x") || p.startsWith("0X")) {
                    values[i] = p.length() == 2 ? 0 : Long.parseLong(p.substring(2), 16);
                } else if (p.length() > 1 && p.startsWith("0")) {
                    values[i] = Long.parseLong(p.substring(1), 8);
                } else {
                    values[i] = Long.parseLong(p);
                }
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            if (values[i] < 0) {
                return Optional.empty();
            }
        }
        long result = 0;
        for (int i = 0; i < values.length - 1; i++) {
            if (values[i] > 0xFF) {
                return Optional.empty();
            }
            result |= values[i] << (24 - 8 * i);
        }
        long last = values[values.length - 1];
        long lastMax = (1L << (8 * (5 - values.length))) - 1;
        if (last > lastMax) {
            return Optional.empty();
        }
        return Optional.of(result | last);
    }

    /** A check failure; {@code %s} in the message stands for the echoed value. */
    static final class Problem extends Exception {
        private static final long serialVersionUID = 1L;

        Problem(String message) {
            super(message, null, false, false);
        }
    }
}
