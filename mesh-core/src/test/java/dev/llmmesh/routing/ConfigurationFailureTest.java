package dev.llmmesh.routing;

import static dev.llmmesh.TestRequests.ask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.llmmesh.Attempt;
import dev.llmmesh.BudgetExceededException;
import dev.llmmesh.ConfigurationFailureException;
import dev.llmmesh.ErrorKind;
import dev.llmmesh.FakeClient;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshException;
import dev.llmmesh.NoRouteException;
import dev.llmmesh.NonRetryableException;
import dev.llmmesh.PolicyDeniedException;
import dev.llmmesh.RetryableException;
import dev.llmmesh.TestClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How a call ends when every model failed: a configuration failure, or no route with the shortest wait. */
class ConfigurationFailureTest {

    private static final NonRetryableException NOT_FOUND =
            new NonRetryableException(ErrorKind.NOT_FOUND, "404 model not found", "b", null);

    @Test
    void everyModelFailingOnItsKeyOrModelNameIsAConfigurationFailureNamingTheModels() {
        FakeClient a = FakeClient.model("a", 0.1, 0.2)
                .alwaysFail(NonRetryableException.authentication("a", "401 Incorrect API key provided: sk-abc"));
        FakeClient b = FakeClient.model("b", 1, 2).alwaysFail(NOT_FOUND);
        Mesh mesh = Mesh.builder().addModel(a).addModel(b).build();

        assertThatThrownBy(() -> mesh.chat(ask("hi")))
                .isInstanceOfSatisfying(ConfigurationFailureException.class, e -> {
                    assertThat(e).isInstanceOf(NonRetryableException.class).isNotInstanceOf(NoRouteException.class);
                    assertThat(e.kind()).isEqualTo(ErrorKind.CONFIGURATION);
                    assertThat(e.isRetryable()).isFalse();
                    assertThat(e.models()).containsExactly("a", "b");
                    assertThat(e.attempts()).extracting(Attempt::modelId).containsExactly("a", "b");
                    assertThat(e.attempts()).extracting(x -> x.error().orElseThrow())
                            .containsExactly(ErrorKind.AUTHENTICATION, ErrorKind.NOT_FOUND);
                    assertThat(e.getMessage()).contains("a (authentication)", "b (not_found)", "API key")
                            .doesNotContain("sk-abc");
                    assertThat(e.getCause()).isSameAs(NOT_FOUND);
                    assertThat(e.decision().plan()).containsExactly("a", "b");
                });
        assertThat(a.calls()).isEqualTo(1);
        assertThat(b.calls()).isEqualTo(1);
    }

    @Test
    void laterCallsToTheSameBrokenModelsAreConfigurationFailuresToo() {
        Mesh mesh = Mesh.builder()
                .addModel(FakeClient.model("a", 0.1, 0.2).alwaysFail(NonRetryableException.authentication("a", "401")))
                .addModel(FakeClient.model("b", 1, 2).alwaysFail(NOT_FOUND)).build();
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> mesh.chat(ask("hi"))).isInstanceOf(ConfigurationFailureException.class);
        }
    }

    @Test
    void theGettingStartedCatchOrderReachesTheNonRetryableBranchForAWrongKey() {
        Mesh mesh = Mesh.builder().addModel(FakeClient.model("only", 1, 2)
                .alwaysFail(NonRetryableException.authentication("only", "401"))).build();
        String branch;
        try {
            mesh.chat(ask("hi"));
            branch = "none";
        } catch (BudgetExceededException e) {
            branch = "budget";
        } catch (PolicyDeniedException e) {
            branch = "policy";
        } catch (NoRouteException e) {
            branch = "no route";
        } catch (NonRetryableException e) {
            branch = "non-retryable";
            assertThat(e.modelId()).contains("only");
        } catch (MeshException e) {
            branch = "other";
        }
        assertThat(branch).isEqualTo("non-retryable");
    }

    @Test
    void aConfigurationFailureBesideAnOverloadedModelIsNoRoute() {
        FakeClient a = FakeClient.model("a", 0.1, 0.2).alwaysFail(NonRetryableException.authentication("a", "401"));
        FakeClient b = FakeClient.model("b", 1, 2).alwaysFail(RetryableException.serverError("b", "503"));
        Mesh mesh = Mesh.builder().addModel(a).addModel(b)
                .routing(RouterConfig.builder().maxAttempts(2).build()).build();

        assertThatThrownBy(() -> mesh.chat(ask("hi"))).isExactlyInstanceOf(NoRouteException.class);
    }

    @Test
    void aConfigurationFailureBesideACoolingDownModelIsNoRoute() {
        TestClock clock = new TestClock();
        FakeClient a = FakeClient.model("a", 0.1, 0.2)
                .thenFail(RetryableException.rateLimited("a", Duration.ofSeconds(30), "429"));
        FakeClient b = FakeClient.model("b", 1, 2).alwaysFail(NonRetryableException.authentication("b", "401"));
        Mesh mesh = Mesh.builder().clock(clock).addModel(a).addModel(b)
                .routing(RouterConfig.builder().maxAttempts(2).build()).build();
        assertThatThrownBy(() -> mesh.chat(ask("first"))).isExactlyInstanceOf(NoRouteException.class);

        // a is cooling down: b's bad key is not the whole story, waiting 30 s may help
        assertThatThrownBy(() -> mesh.chat(ask("second"))).isExactlyInstanceOf(NoRouteException.class);
    }

    @Test
    void noRouteRetryAfterIsTheShortestHintNotTheLast() {
        TestClock clock = new TestClock();
        FakeClient a = FakeClient.model("a", 0.1, 0.2)
                .alwaysFail(RetryableException.rateLimited("a", Duration.ofSeconds(10), "429"));
        FakeClient b = FakeClient.model("b", 1, 2)
                .alwaysFail(RetryableException.rateLimited("b", Duration.ofSeconds(40), "429"));
        Mesh mesh = Mesh.builder().clock(clock).addModel(a).addModel(b)
                .routing(RouterConfig.builder().maxAttempts(2).build()).build();

        try {
            mesh.chat(ask("hi"));
            fail("expected NoRouteException");
        } catch (NoRouteException e) {
            assertThat(e.attempts()).extracting(Attempt::modelId).containsExactly("a", "b");
            assertThat(e.retryAfter()).contains(Duration.ofSeconds(10));
        }
    }
}
