package dev.llmmesh.agents.tool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmmesh.agents.internal.AddressRules;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressRulesTest {

    @ParameterizedTest
    @CsvSource({
            "169.254.169.254, cloud metadata address",
            "169.254.1.1, link-local address",
            "10.0.0.1, private address",
            "172.16.5.4, private address",
            "172.31.255.255, private address",
            "192.168.1.1, private address",
            "127.0.0.1, loopback address",
            "127.8.8.8, loopback address",
            "0.0.0.0, \"this network\" address",
            "100.64.0.1, carrier-grade NAT address",
            "224.0.0.1, multicast address",
            "255.255.255.255, reserved or broadcast address",
            "::1, loopback address",
            "::, unspecified address",
            "fe80::1, link-local address",
            "fd00:ec2::254, private address (unique local)",
            "fc00::1, private address (unique local)",
            "ff02::1, multicast address",
            "::ffff:10.0.0.1, private address",
            "64:ff9b::a9fe:a9fe, cloud metadata address (embedded in an IPv6 address)",
            "2002:a9fe:a9fe::1, cloud metadata address (embedded in an IPv6 address)",
            "::a9fe:a9fe, cloud metadata address (embedded in an IPv6 address)",
            "2001:db8::1, documentation address"
    })
    void refusesNonPublicAddresses(String address, String reason) throws UnknownHostException {
        assertThat(AddressRules.refusal(InetAddress.getByName(address), false)).contains(reason);
    }

    @ParameterizedTest
    @CsvSource({"93.184.215.14", "8.8.8.8", "172.32.0.1", "2606:4700::1111", "100.128.0.1"})
    void acceptsPublicAddresses(String address) throws UnknownHostException {
        assertThat(AddressRules.refusal(InetAddress.getByName(address), false)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1", "::1"})
    void acceptsLoopbackOnlyWithTheTestOptIn(String address) throws UnknownHostException {
        assertThat(AddressRules.refusal(InetAddress.getByName(address), true)).isEmpty();
        assertThat(AddressRules.refusal(InetAddress.getByName("10.0.0.1"), true)).isPresent();
        assertThat(AddressRules.refusal(InetAddress.getByName("169.254.169.254"), true)).isPresent();
    }

    @ParameterizedTest
    @CsvSource({"2852039166, true", "0xa9fea9fe, true", "0251.0376.0251.0376, true", "169.254.169.254, true",
            "1.2.3, true", "api.example.com, false", "3com.example, false"})
    void spotsNumbersInDisguise(String host, boolean numeric) {
        assertThat(AddressRules.looksNumeric(host)).isEqualTo(numeric);
    }
}
