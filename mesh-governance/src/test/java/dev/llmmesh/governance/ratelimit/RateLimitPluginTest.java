package dev.llmmesh.governance.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.CallContext;
import dev.llmmesh.ErrorKind;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshBuilder;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.NoRouteException;
import dev.llmmesh.config.ConfigNode;
import dev.llmmesh.governance.budget.FakeModel;
import dev.llmmesh.governance.budget.Scope;
import dev.llmmesh.state.AddResult;
import dev.llmmesh.state.BoundedAdd;
import dev.llmmesh.state.InMemoryStateStore;
import dev.llmmesh.state.StateStore;
import dev.llmmesh.state.StateStoreUnavailableException;
import dev.llmmesh.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class RateLimitPluginTest {
    private static final ChatRequest ASK = ChatRequest.builder().messages(UserMessage.from("hello world"))
            .maxOutputTokens(93).build();

    @Test
    void aCallOverAScopeLimitFailsBeforeAnyModelIsCalledNamingTheLimitAndTheReset() {
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:45Z"));
        FakeModel model = FakeModel.priced("m", 1, 1);
        Mesh mesh = Mesh.builder().clock(clock).addModel(model)
                .install(RateLimitPlugin.of(RateLimitConfig.builder().limit(RateLimit.rpm(Scope.USER, 2)).build()))
                .build();
        CallContext alice = CallContext.builder().user("alice").build();
        mesh.chat(ASK, alice);
        mesh.chat(ASK, alice);

        RateLimitExceededException e = catchThrowableOfType(RateLimitExceededException.class, () -> mesh.chat(ASK, alice));

        assertThat(e.scope()).isEqualTo("user:alice/rpm");
        assertThat(e.limit()).isEqualTo(RateLimitExceededException.Limit.REQUESTS);
        assertThat(e.resetsAt()).contains(Instant.parse("2026-01-01T00:01:00Z"));
        assertThat(e.getMessage()).contains("2 requests per minute", "resets at 2026-01-01T00:01:00Z", "in 15s");
        assertThat(model.calls()).isEqualTo(2);
        assertThat(mesh.chat(ASK, CallContext.builder().user("bob").build()).text()).isNotEmpty();
        clock.advance(Duration.ofSeconds(15));
        assertThat(mesh.chat(ASK, alice).text()).isNotEmpty();
        mesh.close();
    }

    @Test
    void anAttemptOverAModelLimitFallsBackToAnotherModel() {
        ManualClock clock = new ManualClock();
        FakeModel cheap = FakeModel.priced("cheap", 0.1, 0.1);
        FakeModel dear = FakeModel.priced("dear", 10, 10);
        Mesh mesh = Mesh.builder().clock(clock).addModel(cheap).addModel(dear)
                .install(RateLimitPlugin.of(RateLimitConfig.builder()
                        .modelLimit(ModelRateLimit.of("cheap", 2, 0)).build()))
                .build();

        assertThat(mesh.chat(ASK, CallContext.EMPTY).modelId()).contains("cheap");
        assertThat(mesh.chat(ASK, CallContext.EMPTY).modelId()).contains("cheap");
        MeshResponse third = mesh.chat(ASK, CallContext.EMPTY);

        assertThat(third.modelId()).contains("dear");
        assertThat(third.attempts().get(0).modelId()).isEqualTo("cheap");
        assertThat(third.attempts().get(0).error()).contains(ErrorKind.RATE_LIMITED);
        assertThat(cheap.calls()).isEqualTo(2);
        mesh.close();
    }

    @Test
    void whenEveryModelIsOverItsLimitTheCallFailsWithARetryAfter() {
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:20Z"));
        FakeModel only = FakeModel.priced("only", 1, 1);
        Mesh mesh = Mesh.builder().clock(clock).addModel(only)
                .install(RateLimitPlugin.of(RateLimitConfig.builder()
                        .modelLimit(new ModelRateLimit(Optional.empty(), OptionalLong.empty(), OptionalLong.of(150)))
                        .build()))
                .build();
        mesh.chat(ASK, CallContext.EMPTY); // 100 tokens counted; only FakeModel's 30 really used

        mesh.chat(ASK, CallContext.EMPTY); // 30 + 100 <= 150
        NoRouteException e = catchThrowableOfType(NoRouteException.class, () -> mesh.chat(ASK, CallContext.EMPTY));

        assertThat(e.retryAfter()).contains(Duration.ofSeconds(40));
        assertThat(only.calls()).isEqualTo(2);
        mesh.close();
    }

    @Test
    void whenTheStoreIsDownLimitsCountLocallyAtTheirShareOrFailClosed() {
        AtomicBoolean down = new AtomicBoolean(true);
        StateStore flaky = new SwitchableStore(down);
        FakeModel model = FakeModel.priced("m", 1, 1);
        Mesh local = Mesh.builder().clock(new ManualClock()).stateStore(flaky).addModel(model)
                .install(RateLimitPlugin.of(RateLimitConfig.builder().limit(RateLimit.rpm(Scope.ORG, 8)).instances(4)
                        .build()))
                .build();
        local.chat(ASK, CallContext.EMPTY);
        local.chat(ASK, CallContext.EMPTY);
        assertThatThrownBy(() -> local.chat(ASK, CallContext.EMPTY)).isInstanceOf(RateLimitExceededException.class);

        Mesh closed = Mesh.builder().clock(new ManualClock()).stateStore(flaky).addModel(model)
                .install(RateLimitPlugin.of(RateLimitConfig.builder().limit(RateLimit.rpm(Scope.ORG, 8))
                        .onStoreFailure(RateLimitStoreFailure.FAIL_CLOSED).build()))
                .build();
        assertThatThrownBy(() -> closed.chat(ASK, CallContext.EMPTY))
                .isInstanceOf(StateStoreUnavailableException.class).hasMessageContaining("fail closed");
        assertThat(model.calls()).isEqualTo(2);
        down.set(false);
        local.close();
        closed.close();
    }

    @Test
    void limitsComeFromTheRateLimitsSection() {
        ConfigNode section = ConfigNode.fromYaml("""
                rateLimits:
                  assumedOutputTokens: 128
                  instances: 2
                  limits:
                    - {scope: team, rpm: 600, tpm: 100000}
                    - {scope: team, subject: search, rpm: 1}
                  models:
                    - {model: m, rpm: 500, tpm: 30000}
                    - {rpm: 1000}
                """, Map.<String, String>of()::get).child("rateLimits");
        MeshBuilder builder = Mesh.builder().clock(new ManualClock()).addModel(FakeModel.priced("m", 1, 1));
        new RateLimitsConfigurer().configure(section, builder);
        Mesh mesh = builder.build();

        mesh.chat(ASK, CallContext.forTeam("search"));
        assertThatThrownBy(() -> mesh.chat(ASK, CallContext.forTeam("search")))
                .isInstanceOf(RateLimitExceededException.class).hasMessageContaining("team:search/rpm");
        assertThat(mesh.chat(ASK, CallContext.forTeam("ads")).text()).isNotEmpty();
        mesh.close();

        assertThatThrownBy(() -> RateLimitsConfigurer.read(ConfigNode.fromYaml("""
                rateLimits:
                  limits:
                    - {scope: team}
                """, Map.<String, String>of()::get).child("rateLimits")))
                .hasMessageContaining("rateLimits.limits[0]").hasMessageContaining("rpm, tpm or both");
        assertThatThrownBy(() -> RateLimitsConfigurer.read(ConfigNode.fromYaml("""
                rateLimits:
                  limits:
                    - {scope: team, rpm: 0}
                """, Map.<String, String>of()::get).child("rateLimits")))
                .hasMessageContaining("rateLimits.limits[0].rpm");
    }

    /** An in-memory store that can be switched off. */
    private static final class SwitchableStore implements StateStore {
        private final StateStore delegate = new InMemoryStateStore();
        private final AtomicBoolean down;

        SwitchableStore(AtomicBoolean down) {
            this.down = down;
        }

        private void check() {
            if (down.get()) {
                throw new StateStoreUnavailableException("store down (test)", null);
            }
        }

        @Override
        public long addAndGet(String key, long delta, Duration ttl) {
            check();
            return delegate.addAndGet(key, delta, ttl);
        }

        @Override
        public long getCounter(String key) {
            check();
            return delegate.getCounter(key);
        }

        @Override
        public AddResult addAllWithinLimits(List<BoundedAdd> adds) {
            check();
            return delegate.addAllWithinLimits(adds);
        }

        @Override
        public Optional<String> get(String key) {
            check();
            return delegate.get(key);
        }

        @Override
        public boolean compareAndSet(String key, String expected, String value, Duration ttl) {
            check();
            return delegate.compareAndSet(key, expected, value, ttl);
        }

        @Override
        public void delete(String key) {
            check();
            delegate.delete(key);
        }
    }
}
