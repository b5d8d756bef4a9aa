package dev.llmmesh.agents.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Which resolved addresses an outbound tool call may reach: public unicast only. Refused: loopback (unless the caller
 * opted in for tests), private (RFC 1918, IPv6 ULA), link-local (including the cloud metadata service at
 * 169.254.169.254 and fd00:ec2::254), carrier-grade NAT, "this network", multicast, broadcast, reserved and
 * documentation ranges, and IPv6 forms that embed an IPv4 address (mapped, compatible, NAT64, 6to4), which are
 * judged by the embedded address.
 */
public final class AddressRules {
    private static final Pattern DOTTED_QUAD = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)"
            + "(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    /** Host names that are numbers in disguise: decimal, hex or octal parts, fewer than four parts. */
    private static final Pattern NUMERIC_HOST = Pattern.compile("(0x[0-9a-f]*|\\d+)(\\.(0x[0-9a-f]*|\\d+)){0,3}\\.?");
    private static final Pattern HOST_NAME = Pattern.compile(
            "(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    private AddressRules() {
    }

    /**
     * Why {@code address} may not be called, or empty when it is public.
     *
     * @param allowLoopback whether loopback addresses are permitted (tests only)
     */
    public static Optional<String> refusal(InetAddress address, boolean allowLoopback) {
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            byte[] embedded = embeddedIpv4(b);
            if (embedded != null) {
                try {
                    return refusal(InetAddress.getByAddress(embedded), allowLoopback)
                            .map(r -> r + " (embedded in an IPv6 address)");
                } catch (java.net.UnknownHostException e) {
                    return Optional.of("unparseable embedded address");
                }
            }
            if (v6.isLoopbackAddress()) {
                return allowLoopback ? Optional.empty() : Optional.of("loopback address");
            }
            if (v6.isAnyLocalAddress()) {
                return Optional.of("unspecified address");
            }
            if (v6.isLinkLocalAddress() || ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0x80)) {
                return Optional.of("link-local address");
            }
            if ((b[0] & 0xfe) == 0xfc) {
                return Optional.of("private address (unique local)");
            }
            if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0xc0) {
                return Optional.of("private address (site-local)");
            }
            if (v6.isMulticastAddress()) {
                return Optional.of("multicast address");
            }
            if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
                return Optional.of("documentation address");
            }
            if ((b[0] & 0xe0) != 0x20) {
                return Optional.of("not a global unicast address");
            }
            return Optional.empty();
        }
        if (address instanceof Inet4Address) {
            byte[] b = address.getAddress();
            int a0 = b[0] & 0xff;
            int a1 = b[1] & 0xff;
            int a2 = b[2] & 0xff;
            if (a0 == 127) {
                return allowLoopback ? Optional.empty() : Optional.of("loopback address");
            }
            if (a0 == 169 && a1 == 254) {
                return Optional.of(a2 == 169 && (b[3] & 0xff) == 254 ? "cloud metadata address" : "link-local address");
            }
            if (a0 == 10 || (a0 == 172 && (a1 & 0xf0) == 16) || (a0 == 192 && a1 == 168)) {
                return Optional.of("private address");
            }
            if (a0 == 0) {
                return Optional.of("\"this network\" address");
            }
            if (a0 == 100 && (a1 & 0xc0) == 64) {
                return Optional.of("carrier-grade NAT address");
            }
            if (a0 >= 224) {
                return Optional.of(a0 < 240 ? "multicast address" : "reserved or broadcast address");
            }
            if (a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2)) {
                return Optional.of("reserved address");
            }
            if ((a0 == 198 && (a1 & 0xfe) == 18) || (a0 == 198 && a1 == 51 && a2 == 100)
                    || (a0 == 203 && a1 == 0 && a2 == 113)) {
                return Optional.of("reserved address");
            }
            return Optional.empty();
        }
        return Optional.of("unknown address family");
    }

    /** Whether {@code host} (lower case, brackets removed) is written as an IP address in any notation. */
    public static boolean looksNumeric(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.contains(":") || DOTTED_QUAD.matcher(h).matches() || NUMERIC_HOST.matcher(h).matches();
    }

    /** Whether {@code host} is an IPv4 address as four decimal parts without leading zeros. */
    public static boolean isDottedQuad(String host) {
        return DOTTED_QUAD.matcher(host).matches();
    }

    /** Whether {@code host} is a syntactically valid DNS name (lower case, ASCII). */
    public static boolean validHostName(String host) {
        return HOST_NAME.matcher(host).matches();
    }

    /** The IPv4 address embedded in a mapped, compatible, NAT64 or 6to4 IPv6 address, or null. */
    private static byte @Nullable [] embeddedIpv4(byte[] b) {
        boolean zero10 = true;
        for (int i = 0; i < 10; i++) {
            zero10 &= b[i] == 0;
        }
        if (zero10 && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return new byte[] {b[12], b[13], b[14], b[15]}; // ::ffff:a.b.c.d
        }
        if (zero10 && b[10] == 0 && b[11] == 0 && !(b[12] == 0 && b[13] == 0 && b[14] == 0 && (b[15] & 0xfe) == 0)) {
            return new byte[] {b[12], b[13], b[14], b[15]}; // ::a.b.c.d (deprecated compatible form)
        }
        boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
        for (int i = 4; i < 12 && nat64; i++) {
            nat64 = b[i] == 0;
        }
        if (nat64) {
            return new byte[] {b[12], b[13], b[14], b[15]}; // 64:ff9b::a.b.c.d
        }
        if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
            return new byte[] {b[2], b[3], b[4], b[5]}; // 2002:aabb:ccdd::/48 (6to4)
        }
        return null;
    }
}
