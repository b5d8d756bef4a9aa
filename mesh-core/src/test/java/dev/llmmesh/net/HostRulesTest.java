package dev.llmmesh.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostRulesTest {
    private static final HostRules PUBLIC = HostRules.publicOnly();
    private static final HostRules LOCAL = HostRules.localServersAllowed();

    private static InetAddress ip(String literal) {
        return HostRules.literal(literal).orElseThrow(() -> new AssertionError("not a literal: " + literal));
    }

    /** Every IPv6 form that embeds 169.254.169.254, and metadata services outside 169.254/16. */
    @ParameterizedTest
    @ValueSource(strings = {"169.254.169.254", "[::169.254.169.254]", "::a9fe:a9fe", "[::ffff:169.254.169.254]",
            "::ffff:a9fe:a9fe", "::ffff:0:169.254.169.254", "64:ff9b::169.254.169.254", "64:ff9b::a9fe:a9fe",
            "64:ff9b:1::a9fe:a9fe", "2002:a9fe:a9fe::1", "2002:a9fe:a9fe:1234::5",
            "2001:0:4136:e378:8000:63bf:5601:5601", "2001:0:a9fe:a9fe::1", "[fd00:ec2::254]", "fd00:ec2::23",
            "fd20:ce::254", "100.100.100.200", "192.0.0.192", "168.63.129.16", "169.254.170.2",
            "::ffff:100.100.100.200", "64:ff9b::6464:64c8", "2002:6464:64c8::"})
    void scenario43_metadataAddressesAreRefusedInEveryFormEvenWhereLocalServersAreAllowed(String address) {
        assertThat(LOCAL.hostRefusal(address)).as(address).contains("cloud metadata address");
        assertThat(PUBLIC.hostRefusal(address)).as(address).isPresent();
        assertThat(LOCAL.withLoopback().refusal(ip(address))).as(address).contains("cloud metadata address");
        assertThat(HostRules.isMetadata(address)).as(address).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2852039166", "0xA9FEA9FE", "0251.0376.0251.0376", "169.254.43518", "0xa9.0xfe.0xa9.0xfe",
            "169.254.169.254.", "METADATA.google.internal", "metadata.google.internal.", "metadata", "metadata.goog",
            "instance-data", "1684300000", "0x64646464c8"})
    void scenario43_metadataNamesAndNumbersInDisguiseAreRefusedWithoutALookup(String host) {
        AtomicInteger lookups = new AtomicInteger();
        HostRules counting = LOCAL.withResolver(h -> {
            lookups.incrementAndGet();
            return List.of(ip("8.8.8.8"));
        });
        assertThat(counting.hostRefusal(host)).as(host).isPresent();
        assertThatThrownBy(() -> counting.resolve(host)).as(host).isInstanceOf(HostRefusedException.class);
        assertThat(lookups).hasValue(0);
    }

    @Test
    void scenario43_aNameThatResolvesToAMetadataAddressIsRefusedAfterResolution() {
        Map<String, List<String>> dns = Map.of(
                "models.example.com", List.of("93.184.215.14"),
                "rebind.example.com", List.of("93.184.215.14", "169.254.169.254"),
                "alibaba.example.com", List.of("100.100.100.200"),
                "nat64.example.com", List.of("64:ff9b::a9fe:a9fe"),
                "mapped.example.com", List.of("::169.254.169.254"),
                "teredo.example.com", List.of("2001:0:4136:e378:8000:63bf:5601:5601"),
                "aws6.example.com", List.of("fd00:ec2::254"),
                "oracle.example.com", List.of("192.0.0.192"),
                "private.example.com", List.of("10.1.2.3"));
        HostRules.Resolver resolver = host -> {
            List<String> answers = dns.get(host);
            if (answers == null) {
                throw new UnknownHostException(host);
            }
            List<InetAddress> out = new java.util.ArrayList<>();
            for (String a : answers) {
                out.add(InetAddress.getByAddress(host, ip(a).getAddress()));
            }
            return out;
        };
        HostRules local = LOCAL.withResolver(resolver);
        assertThat(local.resolve("models.example.com")).extracting(InetAddress::getHostAddress)
                .containsExactly("93.184.215.14");
        assertThat(local.resolve("private.example.com")).hasSize(1);
        for (String name : List.of("rebind.example.com", "alibaba.example.com", "nat64.example.com",
                "mapped.example.com", "teredo.example.com", "aws6.example.com", "oracle.example.com")) {
            assertThatThrownBy(() -> local.resolve(name)).as(name).isInstanceOf(HostRefusedException.class)
                    .hasMessageStartingWith("host " + name + " is refused: resolves to a cloud metadata address (");
            assertThat(local.hostRefusal(name)).as("a name passes the literal check").isEmpty();
        }
        HostRules tools = PUBLIC.withResolver(resolver);
        assertThatThrownBy(() -> tools.resolve("private.example.com"))
                .hasMessage("host private.example.com is refused: resolves to a private address (10.1.2.3)");
        assertThatThrownBy(() -> tools.resolve("unknown.example.com"))
                .hasMessage("host unknown.example.com is refused: name does not resolve");
    }

    @ParameterizedTest
    @CsvSource({
            "169.254.1.1, link-local address",
            "10.0.0.1, private address",
            "172.16.5.4, private address",
            "172.31.255.255, private address",
            "192.168.1.1, private address",
            "127.0.0.1, loopback address",
            "127.8.8.8, loopback address",
            "0.0.0.0, unspecified address",
            "0.1.2.3, \"this network\" address",
            "100.64.0.1, carrier-grade NAT address",
            "224.0.0.1, multicast address",
            "255.255.255.255, reserved or broadcast address",
            "::1, loopback address",
            "::, unspecified address",
            "fe80::1, link-local address",
            "fc00::1, private address",
            "fd12:3456::1, private address",
            "ff02::1, multicast address",
            "::ffff:10.0.0.1, private address",
            "64:ff9b::a00:1, private address",
            "2002:0a00:0001::1, private address",
            "2002:7f00:0001::1, loopback address",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2, Teredo tunnel address",
            "2001:db8::1, 'documentation, benchmarking or IETF-reserved address'",
            "192.0.2.1, 'documentation, benchmarking or IETF-reserved address'"
    })
    void refusesNonPublicAddressesForTheTools(String address, String reason) {
        assertThat(PUBLIC.refusal(ip(address))).contains(reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.215.14", "8.8.8.8", "172.32.0.1", "2606:4700::1111", "100.128.0.1",
            "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:0808:0808::1"})
    void acceptsPublicAddresses(String address) {
        assertThat(PUBLIC.refusal(ip(address))).isEmpty();
        assertThat(LOCAL.refusal(ip(address))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1", "10.0.0.7", "192.168.1.20", "fd12:3456::1", "100.64.0.1",
            "::ffff:127.0.0.1"})
    void localModelServersOnLoopbackAndPrivateAddressesAreAllowedForBaseUrls(String address) {
        assertThat(LOCAL.refusal(ip(address))).isEmpty();
        assertThat(LOCAL.hostRefusal(address.contains(":") ? "[" + address + "]" : address)).isEmpty();
    }

    @Test
    void loopbackIsAdmittedForTheToolsOnlyWithTheTestOptIn() {
        assertThat(PUBLIC.refusal(ip("127.0.0.1"))).contains("loopback address");
        assertThat(PUBLIC.withLoopback().refusal(ip("127.0.0.1"))).isEmpty();
        assertThat(PUBLIC.withLoopback().refusal(ip("::1"))).isEmpty();
        assertThat(PUBLIC.withLoopback().refusal(ip("10.0.0.1"))).isPresent();
        assertThat(PUBLIC.withLoopback().refusal(ip("169.254.169.254"))).isPresent();
    }

    @ParameterizedTest
    @CsvSource({"2852039166, true", "0xa9fea9fe, true", "0251.0376.0251.0376, true", "169.254.169.254, true",
            "1.2.3, true", "api.example.com, false", "3com.example, false"})
    void spotsNumbersInDisguise(String host, boolean numeric) {
        assertThat(HostRules.looksNumeric(host)).isEqualTo(numeric);
    }

    @Test
    void literalsAreParsedWithoutALookupAndNamesAreNotLiterals() {
        assertThat(HostRules.literal("[::1]")).isPresent();
        assertThat(HostRules.literal("10.0.0.1")).isPresent();
        assertThat(HostRules.literal("api.example.com")).isEmpty();
        assertThat(HostRules.literal("dead:beef:zz")).isEmpty();
        assertThat(HostRules.literal("1.2.3")).isEmpty();
    }
}
