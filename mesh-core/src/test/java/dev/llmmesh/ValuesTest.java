package dev.llmmesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmmesh.client.Capability;
import dev.llmmesh.client.Pricing;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValuesTest {

    @Test
    void secretNeverShowsItsValue() {
        Secret s = Secret.of("sk-canary-1234567890");

        assertThat(s.toString()).isEqualTo("***");
        assertThat(String.valueOf(Map.of("key", s))).doesNotContain("canary");
        assertThat(s.reveal()).isEqualTo("sk-canary-1234567890");
        assertThat(s.source()).isEqualTo("literal");
    }

    @Test
    void secretFromUnsetEnvironmentNamesTheVariableOnly() {
        assertThatThrownBy(() -> Secret.env("MESH_TEST_UNSET", n -> null))
                .hasMessage("environment variable MESH_TEST_UNSET is not set; export it or configure the key another way");
        assertThat(Secret.env("K", n -> "v").source()).isEqualTo("env:K");
    }

    @Test
    void cachedAndReasoningTokensArePricedSeparately() {
        Pricing p = Pricing.perMillion(2.50, 10.00, 1.25).withReasoning(12.00);

        // 1000 input of which 400 cached; 500 output of which 200 reasoning
        Cost c = p.cost(1000, 500, 400, 200);

        // 600*2.5 + 400*1.25 + 300*10 + 200*12 = 1500 + 500 + 3000 + 2400 = 7400 per million
        assertThat(c.usd()).isEqualByComparingTo("0.0074");
        assertThat(p.worstOutputPerMillion()).isEqualByComparingTo("12");
    }

    @Test
    void cacheWritesArePricedAtTheCacheWritePrice() {
        Pricing p = Pricing.perMillion(3.00, 15.00, 0.30).withCacheWrite(3.75);

        // 2000 input: 1000 read from cache, 500 written to it, 500 plain; 100 output
        Cost c = p.cost(2000, 100, 1000, 0, 500);

        // 500*3 + 1000*0.30 + 500*3.75 + 100*15 = 1500 + 300 + 1875 + 1500 = 5175 per million
        assertThat(c.usd()).isEqualByComparingTo("0.005175");
        assertThat(Pricing.perMillion(3, 15).cost(2000, 100, 0, 0, 500).usd())
                .as("without a cache-write price, writes cost the input price").isEqualByComparingTo("0.0075");
    }

    @Test
    void integerPicodollarBillsEqualTheBigDecimalOnes() {
        Pricing p = new Pricing(new java.math.BigDecimal("3.00"), new java.math.BigDecimal("15.00"),
                java.util.Optional.of(new java.math.BigDecimal("0.30")), java.util.Optional.of(new java.math.BigDecimal("18.5")),
                java.util.Optional.of(new java.math.BigDecimal("3.75")));
        dev.llmmesh.client.TokenCounts t = new dev.llmmesh.client.TokenCounts(123_457, 98_765, 40_000, 12_345, 7_777);

        Cost fast = Pricing.cost(p.exactPicoRates().orElseThrow(), t);
        Cost slow = p.cost(t.input(), t.output(), t.cachedInput(), t.reasoning(), t.cacheWrite());

        assertThat(fast.usd()).isEqualByComparingTo(slow.usd());
        assertThat(Pricing.perMillion(0.15 * 3, 1).exactPicoRates()).as("0.44999999999999996 is not exact").isEmpty();
        assertThat(Pricing.perMillion(0.15 * 3, 1).picoRates().orElseThrow()[0]).isEqualTo(450_000L);
    }

    @Test
    void capabilityNamesParseLeniently() {
        assertThat(Capability.parse("json-schema")).isEqualTo(Capability.JSON_SCHEMA);
        assertThat(Capability.parse(" Tools ")).isEqualTo(Capability.TOOLS);
        assertThatThrownBy(() -> Capability.parse("telepathy"))
                .hasMessageStartingWith("unknown capability \"telepathy\"; expected one of chat, streaming, tools");
    }

    @Test
    void exceptionsRefuseTheWrongBranch() {
        assertThatThrownBy(() -> new RetryableException(ErrorKind.BAD_REQUEST, "x", null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(RetryableException.rateLimited("m", java.time.Duration.ofSeconds(3), "429").retryAfter())
                .contains(java.time.Duration.ofSeconds(3));
        assertThat(NonRetryableException.authentication("m", "401").deploymentBroken()).isTrue();
    }

    @Test
    void callContextIsImmutableAndValidated() {
        CallContext c = CallContext.builder().team("search").tag("feature", "qa").require(Capability.TOOLS).build();

        assertThat(c.toBuilder().user("u").build().team()).contains("search");
        assertThatThrownBy(() -> c.tags().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> CallContext.builder().timeout(java.time.Duration.ZERO))
                .hasMessageContaining("timeout must be positive");
        assertThatThrownBy(() -> CallContext.builder().team(" ")).hasMessageContaining("team must not be blank");
    }
}
