package dev.llmmesh.governance.internal.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmmesh.client.Pricing;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Candidates are compared in integer picodollars: for exact prices the amount equals the BigDecimal worst case, and
 * prices finer than a picodollar per token fall back to BigDecimal.
 */
class WorstCasePicoTest {
    private final WorstCaseEstimator estimator = new WorstCaseEstimator(null, null, null);

    @Test
    void picodollarsEqualTheBigDecimalWorstCaseForExactPrices() {
        Random random = new Random(11);
        for (int i = 0; i < 2_000; i++) {
            Pricing p = new Pricing(price(random), price(random),
                    random.nextBoolean() ? Optional.of(price(random)) : Optional.empty(),
                    random.nextBoolean() ? Optional.of(price(random)) : Optional.empty());
            long in = random.nextInt(200_000);
            long out = random.nextInt(20_000);
            long pico = estimator.worstPico(p, in, out);
            assertThat(pico).isNotNegative();
            assertThat(BigDecimal.valueOf(pico, 12)).isEqualByComparingTo(WorstCaseEstimator.worstCost(p, in, out));
            assertThat(estimator.worstPico(p, in, out)).isEqualTo(pico); // from the cached rates
            // the same amount written the same way (scale included), as budgets and audit records show it
            assertThat(WorstCaseEstimator.fromPico(pico, p)).isEqualTo(WorstCaseEstimator.worstCost(p, in, out));
        }
    }

    @Test
    void pricesFinerThanAPicodollarPerTokenAreLeftToBigDecimal() {
        Pricing fine = new Pricing(new BigDecimal("0.1234567"), BigDecimal.ONE, Optional.empty(), Optional.empty());
        assertThat(estimator.worstPico(fine, 1000, 10)).isEqualTo(-1);
        Pricing huge = new Pricing(new BigDecimal("9000000000"), BigDecimal.ONE, Optional.empty(), Optional.empty());
        assertThat(estimator.worstPico(huge, 1_000_000_000L, 10)).isEqualTo(-1);
    }

    private static BigDecimal price(Random random) {
        return BigDecimal.valueOf(random.nextInt(100_000_000), 2 + random.nextInt(5)); // up to 1,000,000 USD per million
    }
}
