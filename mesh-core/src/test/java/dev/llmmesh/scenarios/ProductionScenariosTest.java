package dev.llmmesh.scenarios;

import static dev.llmmesh.TestRequests.ask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmmesh.ErrorKind;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.RetryableException;
import dev.llmmesh.TestClock;
import dev.llmmesh.routing.RouterConfig;
import dev.llmmesh.scenarios.SimModel.Behavior;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scenarios 45–46 of SCENARIOS.md: what a service meets in its first week in production. */
class ProductionScenariosTest {
    private final TestClock clock = new TestClock();

    @Test
    void scenario45_aModelDemotedByOneSlowCallAndOne503EarnsItsShareBackWithinTheRecoveryWindow() {
        // the first call is slow (JVM warm-up), the second a 503, every later one fast
        SimModel cheap = new SimModel("cheap", clock, 0.15, 0.6).script((n, t) -> switch (n) {
            case 1 -> Behavior.ok(Duration.ofSeconds(3));
            case 2 -> Behavior.fail(new RetryableException(ErrorKind.OVERLOADED, "cheap: 503", "cheap", null, null),
                    Duration.ofMillis(50));
            default -> Behavior.ok(Duration.ofMillis(200));
        });
        SimModel pricey = new SimModel("pricey", clock, 0.15 * 16, 0.6 * 16); // 16 times the price
        Mesh mesh = Mesh.builder().clock(clock).sleeper(clock).addModel(cheap).addModel(pricey)
                .routing(RouterConfig.builder().recoveryWindow(Duration.ofSeconds(30)).build()).build();

        List<String> answeredBy = new ArrayList<>();
        List<Instant> at = new ArrayList<>();
        for (int i = 0; i < 1000; i++) { // 10 calls a second for 100 s
            Instant before = clock.instant();
            MeshResponse r = mesh.chat(ask("q" + i));
            answeredBy.add(r.modelId().orElse(""));
            at.add(before);
            Duration gap = Duration.ofMillis(100).minus(Duration.between(before, clock.instant()));
            if (!gap.isNegative()) {
                clock.advance(gap);
            }
        }

        Instant failedAt = cheap.callTimes.get(1);
        Instant recovered = failedAt.plus(Duration.ofSeconds(30)).plusMillis(500);
        long later = 0;
        long toCheap = 0;
        for (int i = 0; i < answeredBy.size(); i++) {
            if (at.get(i).isAfter(recovered)) {
                later++;
                toCheap += answeredBy.get(i).equals("cheap") ? 1 : 0;
            }
        }
        assertThat(later).isGreaterThan(500);
        assertThat(toCheap).as("calls to the cheap model after the recovery window").isGreaterThanOrEqualTo((long) Math.ceil(later * 0.95));
    }
}
