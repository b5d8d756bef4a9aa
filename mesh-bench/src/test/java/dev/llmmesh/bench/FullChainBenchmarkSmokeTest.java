package dev.llmmesh.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmmesh.MeshResponse;
import dev.llmmesh.Verdict;
import dev.llmmesh.bench.internal.FullChain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Checks that the full-chain benchmark runs what it says: the governed mesh redacts the prompt's e-mail and phone
 * number, and its answer carries the governance verdicts; the bare mesh has none. No timing is asserted.
 */
class FullChainBenchmarkSmokeTest {
    private final FullChainBenchmark bench = new FullChainBenchmark();

    @BeforeEach
    void setUp() {
        bench.setUp();
    }

    @AfterEach
    void tearDown() {
        bench.tearDown();
    }

    @Test
    void theRequestIsAboutOneKilobyteWithAnEmailAndAPhoneNumber() {
        assertThat(FullChain.requestChars()).isBetween(900, 1300);
        String text = bench.request().messages().toString();
        assertThat(text).contains("jane.doe@example.com").contains("+44 20 7946 0958");
    }

    @Test
    void theGovernedMeshRedactsThePiiAndAnswersFromTheCheapestModel() {
        MeshResponse r = bench.fullChain();

        assertThat(r.modelId()).contains("bench-model-000");
        assertThat(r.verdicts()).extracting(Verdict::decision).contains(Verdict.Decision.REDACT);
        assertThat(r.cost().known()).isTrue();
        // a second call through the same mesh answers the same way (caches built once do not change the outcome)
        assertThat(bench.fullChain().text()).isEqualTo(r.text());
        assertThat(bench.throughputFullChain().modelId()).contains("bench-model-000");
    }

    @Test
    void theBareMeshHasNoGovernance() {
        MeshResponse r = bench.bareMesh();

        assertThat(r.modelId()).contains("bench-model-000");
        assertThat(r.verdicts()).isEmpty();
    }
}
