package dev.llmmesh;

import static dev.llmmesh.TestRequests.ask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmmesh.intercept.Interceptor;
import dev.llmmesh.logging.CapturingLogs;
import dev.llmmesh.routing.RouterConfig;
import dev.llmmesh.routing.RoutingStrategies;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** What the mesh writes to the application log (logger dev.llmmesh.Mesh): rate-limited, no secrets, no prompt text. */
class MeshLogTest {
    private static final String PROMPT = "my card is 4111 1111 1111 1111, key sk-live-123";
    private final TestClock clock = new TestClock();

    @BeforeEach
    void clear() {
        CapturingLogs.clear();
    }

    private static List<CapturingLogs.Line> lines() {
        return CapturingLogs.lines("dev.llmmesh.Mesh");
    }

    @Test
    void fallbacksAreLoggedOnceAWhileWithTheSuppressedCount() {
        FakeClient primary = FakeClient.model("primary", 0.1, 0.1);
        for (int i = 0; i < 12; i++) {
            primary.thenFail(RetryableException.serverError("primary", "503"));
        }
        Mesh mesh = Mesh.builder().clock(clock).sleeper(clock).addModel(primary).addModel(FakeClient.model("backup", 1, 1))
                .routing(RouterConfig.builder().strategy(RoutingStrategies.priority(List.of("primary", "backup")))
                        .noBreaker().build())
                .build();

        for (int i = 0; i < 9; i++) {
            mesh.chat(ask(PROMPT));
        }
        List<CapturingLogs.Line> fallbacks = lines().stream().filter(l -> l.message().startsWith("fallback")).toList();
        assertThat(fallbacks).hasSize(1);
        assertThat(fallbacks.get(0).level()).isEqualTo(Level.INFO);
        assertThat(fallbacks.get(0).message()).contains("from model primary to backup after server_error");

        clock.advance(Duration.ofSeconds(11));
        mesh.chat(ask(PROMPT));
        List<CapturingLogs.Line> later = lines().stream().filter(l -> l.message().startsWith("fallback")).toList();
        assertThat(later).hasSize(2);
        assertThat(later.get(1).message()).endsWith("(8 more like it suppressed in the last 10 s)");
        assertThat(lines()).noneSatisfy(l -> assertThat(l.message()).contains("4111", "sk-live"));
    }

    @Test
    void aBreakerOpeningAndClosingIsLogged() {
        FakeClient primary = FakeClient.model("primary", 0.1, 0.1);
        for (int i = 0; i < 10; i++) {
            primary.thenFail(RetryableException.serverError("primary", "503"));
        }
        Mesh mesh = Mesh.builder().clock(clock).sleeper(clock).addModel(primary).addModel(FakeClient.model("backup", 1, 1))
                .routing(RouterConfig.builder().strategy(RoutingStrategies.priority(List.of("primary", "backup"))).build())
                .build();
        for (int i = 0; i < 10; i++) {
            mesh.chat(ask("q"));
        }
        assertThat(lines()).anySatisfy(l -> {
            assertThat(l.level()).isEqualTo(Level.WARN);
            assertThat(l.message()).startsWith("circuit breaker of model primary opened until");
        });
        clock.advance(Duration.ofMinutes(2));
        for (int i = 0; i < 5; i++) {
            mesh.chat(ask("q")); // half-open probes succeed
        }
        assertThat(lines()).anySatisfy(l -> {
            assertThat(l.level()).isEqualTo(Level.INFO);
            assertThat(l.message()).isEqualTo("circuit breaker of model primary closed: probes succeeded");
        });
    }

    @Test
    void noRouteAndBudgetDenialsAreWarnings() {
        Mesh broken = Mesh.builder().clock(clock).sleeper(clock)
                .addModel(FakeClient.model("only", 1, 1).alwaysFail(RetryableException.serverError("only", "503")))
                .build();
        assertThatThrownBy(() -> broken.chat(ask(PROMPT))).isInstanceOf(NoRouteException.class);
        assertThat(lines()).anySatisfy(l -> {
            assertThat(l.level()).isEqualTo(Level.WARN);
            assertThat(l.message()).startsWith("no route (request ");
        });

        Mesh wrongKey = Mesh.builder().clock(clock)
                .addModel(FakeClient.model("keyed", 1, 1)
                        .alwaysFail(NonRetryableException.authentication("keyed", "401 key sk-live-123")))
                .build();
        assertThatThrownBy(() -> wrongKey.chat(ask(PROMPT))).isInstanceOf(ConfigurationFailureException.class);
        assertThat(lines()).anySatisfy(l -> {
            assertThat(l.level()).isEqualTo(Level.WARN);
            assertThat(l.message()).startsWith("configuration failure (request ").contains("keyed (authentication)");
        });

        Mesh budgeted = Mesh.builder().clock(clock).addModel(FakeClient.model("m", 1, 1))
                .addCallInterceptor(Interceptor.named("budget", chain -> {
                    throw new BudgetExceededException("team:search/day", "team:search/day: $5.00 of $5.00 spent", null);
                }))
                .build();
        assertThatThrownBy(() -> budgeted.chat(ask(PROMPT))).isInstanceOf(BudgetExceededException.class);
        assertThat(lines()).anySatisfy(l -> {
            assertThat(l.level()).isEqualTo(Level.WARN);
            assertThat(l.message()).startsWith("budget denied (request ").contains("scope team:search/day");
        });
        assertThat(lines()).noneSatisfy(l -> assertThat(l.message()).contains("4111", "sk-live"));
    }
}
