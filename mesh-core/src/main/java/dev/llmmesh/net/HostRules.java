package dev.llmmesh.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one set of rules for every host the mesh opens a socket to: provider base URLs, the agents' HTTP tool, the SQL
 * tool's JDBC URLs and anything else configured by an operator or asked for by a model.
 *
 * <p>An address is judged by what it is, in any spelling:
 * <ul>
 *   <li>IPv4 written as decimal, hex or octal numbers ({@code 2852039166}, {@code 0xA9FEA9FE},
 *       {@code 0251.0376.0251.0376}, {@code 127.1}) is a number in disguise and always refused;</li>
 *   <li>IPv6 forms that embed an IPv4 address (IPv4-mapped {@code ::ffff:a.b.c.d}, IPv4-compatible {@code ::a.b.c.d},
 *       IPv4-translated {@code ::ffff:0:a.b.c.d}, NAT64 {@code 64:ff9b::/96} and {@code 64:ff9b:1::/48}, 6to4
 *       {@code 2002::/16}, Teredo {@code 2001::/32} with its server and its obfuscated client address) are judged by
 *       every embedded address as well as by their own;</li>
 *   <li>cloud metadata services are always refused, whatever the rules: all of {@code 169.254.0.0/16} and
 *       {@code fe80::/10} (link-local), {@code 100.100.100.200} (Alibaba Cloud), {@code 192.0.0.192} (Oracle Cloud),
 *       {@code 168.63.129.16} (Azure platform), {@code fd00:ec2::/32} (AWS, {@code fd00:ec2::254}),
 *       {@code fd20:ce::254} (Google Cloud), and the names {@code metadata.google.internal}, {@code metadata.goog},
 *       {@code metadata}, {@code instance-data}, {@code instance-data.ec2.internal},
 *       {@code metadata.tencentyun.com}; so are unspecified, multicast, broadcast and reserved addresses.</li>
 * </ul>
 * Two sets of rules exist. {@link #publicOnly()} (the tools) admits public unicast addresses only: loopback, private
 * (RFC 1918, IPv6 unique local), carrier-grade NAT, documentation, benchmarking, IETF-reserved and Teredo addresses
 * are refused. {@link #localServersAllowed()} (provider base URLs, where local model servers such as Ollama or vLLM
 * live) also admits loopback and private addresses; metadata addresses stay refused.
 *
 * <p>Host names are judged after resolution: {@link #resolve(String)} looks the name up with the rules'
 * {@link Resolver} and judges <em>every</em> address; the caller connects to one of the returned addresses and never
 * looks the name up again, so a second lookup (DNS rebinding) cannot swap it.
 *
 * <p>Reasons never repeat more than the host and the address. Immutable and thread-safe; the {@code with…} methods
 * return new rules.
 */
public final class HostRules {
    private static final Pattern DOTTED_QUAD = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)"
            + "(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    /** Host names that are numbers in disguise: decimal, hex or octal parts, one to four of them. */
    private static final Pattern NUMERIC_HOST = Pattern.compile("(0x[0-9a-f]*|\\d+)(\\.(0x[0-9a-f]*|\\d+)){0,3}\\.?");
    private static final Pattern HOST_NAME = Pattern.compile(
            "(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final Set<String> METADATA_HOSTS = Set.of("metadata.google.internal", "metadata.goog", "metadata",
            "instance-data", "instance-data.ec2.internal", "metadata.tencentyun.com");

    private static final HostRules PUBLIC = new HostRules(false, false, Resolver.SYSTEM);
    private static final HostRules LOCAL = new HostRules(true, true, Resolver.SYSTEM);

    private final boolean loopback;
    private final boolean privateNetworks;
    private final Resolver resolver;

    private HostRules(boolean loopback, boolean privateNetworks, Resolver resolver) {
        this.loopback = loopback;
        this.privateNetworks = privateNetworks;
        this.resolver = resolver;
    }

    /** Looks host names up. Implementations must be thread-safe. */
    @FunctionalInterface
    public interface Resolver {
        /** The system resolver ({@link InetAddress#getAllByName(String)}). */
        Resolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

        /**
         * Every address of {@code host}, a name (never an IP literal).
         *
         * @throws UnknownHostException when the name does not resolve
         */
        List<InetAddress> resolve(String host) throws UnknownHostException;
    }

    /** Public unicast addresses only (the agents' tools, JDBC hosts). */
    public static HostRules publicOnly() {
        return PUBLIC;
    }

    /** Public, loopback and private addresses (provider base URLs: local model servers); never metadata. */
    public static HostRules localServersAllowed() {
        return LOCAL;
    }

    /** These rules, also admitting loopback addresses (tests against a local server). */
    public HostRules withLoopback() {
        return new HostRules(true, privateNetworks, resolver);
    }

    /** These rules, looking names up with {@code resolver}. */
    public HostRules withResolver(Resolver resolver) {
        return new HostRules(loopback, privateNetworks, Objects.requireNonNull(resolver, "resolver"));
    }

    /** Whether loopback addresses are admitted. */
    public boolean admitsLoopback() {
        return loopback;
    }

    /** Whether private addresses (RFC 1918, unique local, carrier-grade NAT) are admitted. */
    public boolean admitsPrivate() {
        return privateNetworks;
    }

    /**
     * Why {@code address} may not be connected to, such as {@code "cloud metadata address"}; empty when it may.
     */
    public Optional<String> refusal(InetAddress address) {
        Objects.requireNonNull(address, "address");
        Kind kind = classify(address);
        return allowed(kind) ? Optional.empty() : Optional.of(kind.reason);
    }

    /**
     * Judges the host part of a URL without any lookup: metadata names, numbers in disguise and IP literals (with or
     * without IPv6 brackets). A host name passes here and is judged by {@link #resolve(String)} before connecting.
     *
     * @return why the host is refused, e.g. {@code "cloud metadata address"}; empty when it may be used
     */
    public Optional<String> hostRefusal(String host) {
        String h = normalise(host);
        if (h.isEmpty()) {
            return Optional.of("empty host");
        }
        if (METADATA_HOSTS.contains(h.endsWith(".") ? h.substring(0, h.length() - 1) : h)) {
            return Optional.of(Kind.METADATA.reason);
        }
        Optional<InetAddress> literal = literal(h);
        if (literal.isPresent()) {
            return refusal(literal.get());
        }
        if (NUMERIC_HOST.matcher(h).matches()) {
            Optional<Long> v4 = inetAton(h.endsWith(".") ? h.substring(0, h.length() - 1) : h);
            if (v4.isPresent() && classify(v4(v4.get())) == Kind.METADATA) {
                return Optional.of(Kind.METADATA.reason + " written as a number");
            }
            return Optional.of("IP address in a non-standard notation (write it as a.b.c.d)");
        }
        if (!HOST_NAME.matcher(h.endsWith(".") ? h.substring(0, h.length() - 1) : h).matches()) {
            return Optional.of("invalid host name");
        }
        return Optional.empty();
    }

    /**
     * The addresses to connect to for {@code host}: its literal address, or every address the resolver returns for
     * the name, each judged by these rules. Connect to one of them and never look the name up again.
     *
     * @throws HostRefusedException naming the host, the reason and the refused address
     */
    public List<InetAddress> resolve(String host) {
        String h = normalise(host);
        Optional<String> why = hostRefusal(h);
        if (why.isPresent()) {
            throw new HostRefusedException(h, why.get());
        }
        Optional<InetAddress> literal = literal(h);
        if (literal.isPresent()) {
            return List.of(literal.get());
        }
        List<InetAddress> addresses;
        try {
            addresses = List.copyOf(resolver.resolve(h.endsWith(".") ? h.substring(0, h.length() - 1) : h));
        } catch (UnknownHostException e) {
            throw new HostRefusedException(h, "name does not resolve");
        }
        if (addresses.isEmpty()) {
            throw new HostRefusedException(h, "name does not resolve");
        }
        for (InetAddress a : addresses) {
            Optional<String> refusal = refusal(a);
            if (refusal.isPresent()) {
                throw new HostRefusedException(h, "resolves to a " + refusal.get() + " (" + a.getHostAddress() + ")");
            }
        }
        return addresses;
    }

    /**
     * {@code host} as an IP address, when it is written as one in standard notation (dotted-quad IPv4, or IPv6 with or
     * without brackets); never a lookup.
     */
    public static Optional<InetAddress> literal(String host) {
        String h = normalise(host);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        boolean v6 = h.contains(":");
        if (!(DOTTED_QUAD.matcher(h).matches() || (v6 && h.matches("[0-9a-f:.]+")))) {
            return Optional.empty();
        }
        try {
            // brackets make the JDK parse an IPv6 literal or fail, never look it up
            return Optional.of(InetAddress.getByName(v6 ? "[" + h + "]" : h));
        } catch (UnknownHostException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code host} is written as an IP address in any notation, standard or disguised. */
    public static boolean looksNumeric(String host) {
        String h = normalise(host);
        return h.contains(":") || DOTTED_QUAD.matcher(h).matches() || NUMERIC_HOST.matcher(h).matches();
    }

    /** Whether {@code host} is an IPv4 address as four decimal parts without leading zeros. */
    public static boolean isDottedQuad(String host) {
        return DOTTED_QUAD.matcher(host).matches();
    }

    /** Whether {@code host} is a syntactically valid DNS name (ASCII letters, digits, hyphens, dots). */
    public static boolean validHostName(String host) {
        return HOST_NAME.matcher(normalise(host)).matches();
    }

    /** Whether {@code host} names a cloud metadata service (a name or an address in any spelling). */
    public static boolean isMetadata(String host) {
        String h = normalise(host);
        if (METADATA_HOSTS.contains(h.endsWith(".") ? h.substring(0, h.length() - 1) : h)) {
            return true;
        }
        Optional<InetAddress> literal = literal(h);
        if (literal.isPresent()) {
            Kind k = classify(literal.get());
            return k == Kind.METADATA || k == Kind.LINK_LOCAL;
        }
        if (NUMERIC_HOST.matcher(h).matches()) {
            Optional<Long> v4 = inetAton(h.endsWith(".") ? h.substring(0, h.length() - 1) : h);
            if (v4.isPresent()) {
                Kind k = classify(v4(v4.get()));
                return k == Kind.METADATA || k == Kind.LINK_LOCAL;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "HostRules[" + (privateNetworks ? "public, private" : "public") + (loopback ? ", loopback" : "")
                + (resolver == Resolver.SYSTEM ? "" : ", custom resolver") + "]";
    }

    private boolean allowed(Kind kind) {
        return switch (kind) {
            case PUBLIC -> true;
            case LOOPBACK -> loopback;
            case PRIVATE, SHARED, SPECIAL -> privateNetworks;
            default -> false;
        };
    }

    private static String normalise(String host) {
        Objects.requireNonNull(host, "host");
        return host.trim().toLowerCase(Locale.ROOT);
    }

    /** What an address is; the most dangerous reading of an address with embedded ones wins. */
    enum Kind {
        METADATA("cloud metadata address"),
        LINK_LOCAL("link-local address"),
        UNSPECIFIED("unspecified address"),
        THIS_NETWORK("\"this network\" address"),
        MULTICAST("multicast address"),
        RESERVED("reserved or broadcast address"),
        TEREDO("Teredo tunnel address"),
        LOOPBACK("loopback address"),
        PRIVATE("private address"),
        SHARED("carrier-grade NAT address"),
        SPECIAL("documentation, benchmarking or IETF-reserved address"),
        PUBLIC("public address");

        final String reason;

        Kind(String reason) {
            this.reason = reason;
        }
    }

    static Kind classify(InetAddress address) {
        if (address instanceof Inet4Address) {
            return classify4(address.getAddress());
        }
        if (address instanceof Inet6Address) {
            return classify6(address.getAddress());
        }
        return Kind.RESERVED;
    }

    private static Kind classify4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        int a3 = b[3] & 0xff;
        if ((a0 == 100 && a1 == 100 && a2 == 100 && a3 == 200) || (a0 == 192 && a1 == 0 && a2 == 0 && a3 == 192)
                || (a0 == 168 && a1 == 63 && a2 == 129 && a3 == 16)
                || (a0 == 169 && a1 == 254 && (a2 == 169 || a2 == 170))) {
            return Kind.METADATA;
        }
        if (a0 == 169 && a1 == 254) {
            return Kind.LINK_LOCAL;
        }
        if (a0 == 127) {
            return Kind.LOOPBACK;
        }
        if (a0 == 0) {
            return a1 == 0 && a2 == 0 && a3 == 0 ? Kind.UNSPECIFIED : Kind.THIS_NETWORK;
        }
        if (a0 >= 224) {
            return a0 < 240 ? Kind.MULTICAST : Kind.RESERVED;
        }
        if (a0 == 10 || (a0 == 172 && (a1 & 0xf0) == 16) || (a0 == 192 && a1 == 168)) {
            return Kind.PRIVATE;
        }
        if (a0 == 100 && (a1 & 0xc0) == 64) {
            return Kind.SHARED;
        }
        if ((a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2)) || (a0 == 198 && (a1 & 0xfe) == 18)
                || (a0 == 198 && a1 == 51 && a2 == 100) || (a0 == 203 && a1 == 0 && a2 == 113)
                || (a0 == 192 && a1 == 88 && a2 == 99)) {
            return Kind.SPECIAL;
        }
        return Kind.PUBLIC;
    }

    private static Kind classify6(byte[] b) {
        Kind own = own6(b);
        Kind worst = own;
        for (byte[] v4 : embedded(b)) {
            Kind k = classify4(v4);
            if (k.ordinal() < worst.ordinal()) {
                worst = k;
            }
        }
        return worst;
    }

    private static Kind own6(byte[] b) {
        int b0 = b[0] & 0xff;
        int b1 = b[1] & 0xff;
        boolean zero15 = true;
        for (int i = 0; i < 15; i++) {
            zero15 &= b[i] == 0;
        }
        if (zero15 && b[15] == 0) {
            return Kind.UNSPECIFIED;
        }
        if (zero15 && b[15] == 1) {
            return Kind.LOOPBACK;
        }
        if (b0 == 0xfd && b1 == 0x00 && b[2] == 0x0e && (b[3] & 0xff) == 0xc2) {
            return Kind.METADATA; // AWS instance services, fd00:ec2::254
        }
        if (b0 == 0xfd && b1 == 0x20 && b[2] == 0 && (b[3] & 0xff) == 0xce && b[15] == (byte) 0x54 && b[14] == 0x02) {
            boolean middle = true;
            for (int i = 4; i < 14; i++) {
                middle &= b[i] == 0;
            }
            if (middle) {
                return Kind.METADATA; // Google Cloud, fd20:ce::254
            }
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0x80) {
            return Kind.LINK_LOCAL;
        }
        if (b0 == 0xff) {
            return Kind.MULTICAST;
        }
        if ((b0 & 0xfe) == 0xfc || (b0 == 0xfe && (b1 & 0xc0) == 0xc0)) {
            return Kind.PRIVATE; // unique local, deprecated site-local
        }
        if (b0 == 0x20 && b1 == 0x01 && b[2] == 0 && b[3] == 0) {
            return Kind.TEREDO;
        }
        if (b0 == 0x20 && b1 == 0x01 && b[2] == 0x0d && (b[3] & 0xff) == 0xb8) {
            return Kind.SPECIAL; // documentation
        }
        if (b0 == 0x20 && b1 == 0x01 && (b[2] & 0xfe) == 0) {
            return Kind.SPECIAL; // 2001::/23 IETF protocol assignments
        }
        if (b0 == 0x01 && b1 == 0x00 && b[2] == 0 && b[3] == 0 && b[4] == 0 && b[5] == 0 && b[6] == 0 && b[7] == 0) {
            return Kind.RESERVED; // 100::/64 discard-only
        }
        if ((b0 & 0xe0) != 0x20) {
            boolean embedsV4 = embedded(b).length > 0;
            return embedsV4 ? Kind.PUBLIC : Kind.RESERVED; // judged by the embedded address
        }
        return Kind.PUBLIC;
    }

    /** The IPv4 addresses embedded in {@code b}: mapped, compatible, translated, NAT64, 6to4, Teredo. */
    private static byte[][] embedded(byte[] b) {
        boolean zero10 = true;
        for (int i = 0; i < 10; i++) {
            zero10 &= b[i] == 0;
        }
        byte[] last = {b[12], b[13], b[14], b[15]};
        if (zero10 && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return new byte[][] {last}; // ::ffff:a.b.c.d
        }
        if (zero10 && b[10] == 0 && b[11] == 0 && !(b[12] == 0 && b[13] == 0 && b[14] == 0 && (b[15] & 0xfe) == 0)) {
            return new byte[][] {last}; // ::a.b.c.d (deprecated compatible form)
        }
        boolean zero8 = true;
        for (int i = 0; i < 8; i++) {
            zero8 &= b[i] == 0;
        }
        if (zero8 && (b[8] & 0xff) == 0xff && (b[9] & 0xff) == 0xff && b[10] == 0 && b[11] == 0) {
            return new byte[][] {last}; // ::ffff:0:a.b.c.d (IPv4-translated)
        }
        if (b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
            boolean wellKnown = true;
            for (int i = 4; i < 12; i++) {
                wellKnown &= b[i] == 0;
            }
            if (wellKnown || (b[4] == 0 && b[5] == 1)) {
                return new byte[][] {last}; // 64:ff9b::a.b.c.d, 64:ff9b:1::/48 (local-use NAT64)
            }
        }
        if (b[0] == 0x20 && b[1] == 0x02) {
            return new byte[][] {{b[2], b[3], b[4], b[5]}}; // 2002:aabb:ccdd::/48 (6to4)
        }
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0) {
            byte[] client = {(byte) ~b[12], (byte) ~b[13], (byte) ~b[14], (byte) ~b[15]};
            return new byte[][] {{b[4], b[5], b[6], b[7]}, client}; // Teredo: server, obfuscated client
        }
        return new byte[0][];
    }

    private static InetAddress v4(long value) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (value >>> 24), (byte) (value >>> 16),
                    (byte) (value >>> 8), (byte) value});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }

    /** IPv4 in the forms inet_aton accepts: 1 to 4 parts, each decimal, 0x-hex or 0-octal. */
    private static Optional<Long> inetAton(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length < 1 || parts.length > 4) {
            return Optional.empty();
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            try {
                if (p.isEmpty() || p.length() > 12) {
                    return Optional.empty();
                } else if (p.startsWith("0x")) {
                    values[i] = p.length() == 2 ? 0 : Long.parseLong(p.substring(2), 16);
                } else if (p.length() > 1 && p.startsWith("0")) {
                    values[i] = Long.parseLong(p.substring(1), 8);
                } else {
                    values[i] = Long.parseLong(p);
                }
            } catch (NumberFormatException e) {
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
        if (last > (1L << (8 * (5 - values.length))) - 1) {
            return Optional.empty();
        }
        return Optional.of(result | last);
    }
}
