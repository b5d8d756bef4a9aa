package dev.llmmesh.governance.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.BudgetExceededException;
import dev.llmmesh.CallContext;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.Secret;
import dev.llmmesh.Verdict;
import dev.llmmesh.state.AddResult;
import dev.llmmesh.state.BoundedAdd;
import dev.llmmesh.state.InMemoryStateStore;
import dev.llmmesh.state.StateStore;
import dev.llmmesh.state.StateStoreUnavailableException;
import dev.llmmesh.testkit.ManualClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class BudgetPluginTest {
    private static final ChatRequest ASK = ChatRequest.builder().messages(UserMessage.from("hi")).maxOutputTokens(1000)
            .build(); // $0.01 worst case at $10/M output

    @Test
    void aCallReservesInEveryScopeAtOnceOrInNone() {
        ManualClock clock = new ManualClock();
        FakeModel model = FakeModel.priced("m", 0, 10).usage(10, 500);
        BudgetPlugin budgets = BudgetPlugin.of(BudgetConfig.builder()
                .limit(BudgetLimit.org(BudgetWindow.MONTH, new BigDecimal("100")))
                .limit(BudgetLimit.each(Scope.TEAM, BudgetWindow.DAY, new BigDecimal("10")))
                .limit(BudgetLimit.each(Scope.USER, BudgetWindow.HOUR, new BigDecimal("0.012")))
                .limit(BudgetLimit.each(Scope.API_KEY, BudgetWindow.MINUTE, new BigDecimal("5")))
                .limit(BudgetLimit.eachAgentRun(new BigDecimal("1"))).build());
        Mesh mesh = Mesh.builder().clock(clock).addModel(model).install(budgets).build();
        CallContext alice = CallContext.builder().team("search").user("alice").attribute("auth.key", "sk-live-abcdef123456")
                .attribute("agents.run", "run-7").build();

        mesh.chat(ASK, alice); // $0.005 spent everywhere
        BudgetExceededException e = catchThrowableOfType(BudgetExceededException.class, () -> mesh.chat(ASK, alice));

        assertThat(e.scope()).isEqualTo("user:alice/hour");
        assertThat(budgets.status(alice)).extracting(BudgetStatus::scope).containsExactly("org/month",
                "team:search/day", "user:alice/hour", "apiKey:" + ScopeIdentity.defaults().apiKeyId("sk-live-abcdef123456")
                        .substring(0, 12) + "/minute", "agentRun:run-7/total");
        assertThat(budgets.status(alice)).allSatisfy(s -> {
            assertThat(s.usedUsd()).as(s.scope()).isEqualByComparingTo("0.005");
            assertThat(s.spentUsd()).as(s.scope()).isEqualByComparingTo("0.005");
        });
        // another user of the same team is not affected by alice's hourly limit
        CallContext bob = CallContext.builder().team("search").user("bob").build();
        assertThat(mesh.chat(ASK, bob).text()).isNotEmpty();
        mesh.close();
    }

    @Test
    void aLimitForEveryTeamAndALimitForOneTeamCountTheSameSpendSeparately() {
        FakeModel model = FakeModel.priced("m", 0, 10).usage(10, 500);
        BudgetPlugin budgets = BudgetPlugin.of(BudgetConfig.builder()
                .limit(BudgetLimit.each(Scope.TEAM, BudgetWindow.DAY, new BigDecimal("0.012")))
                .limit(BudgetLimit.team("search", BudgetWindow.DAY, new BigDecimal("0.012"))).build());
        Mesh mesh = Mesh.builder().clock(new ManualClock()).addModel(model).install(budgets).build();
        CallContext search = CallContext.forTeam("search");

        mesh.chat(ASK, search); // reserves $0.01 in both, settles $0.005 in both

        assertThat(budgets.status(search)).hasSize(2).allSatisfy(s -> {
            assertThat(s.scope()).isEqualTo("team:search/day");
            assertThat(s.spentUsd()).isEqualByComparingTo("0.005");
        });
        assertThatThrownBy(() -> mesh.chat(ASK, search)).isInstanceOf(BudgetExceededException.class);
        mesh.close();
    }

    @Test
    void theRawApiKeyNeverReachesTheStateStoreOrAScopeLabel() {
        Set<String> keys = ConcurrentHashMap.newKeySet();
        StateStore recording = new RecordingStore(new InMemoryStateStore(), keys, new AtomicBoolean());
        BudgetPlugin budgets = BudgetPlugin.of(BudgetConfig.builder()
                .limit(BudgetLimit.each(Scope.API_KEY, BudgetWindow.DAY, new BigDecimal("1")))
                .identity(ScopeIdentity.of("auth.key", "agents.run", Optional.of(Secret.of("pepper-123"))))
                .build());
        Mesh mesh = Mesh.builder().clock(new ManualClock()).stateStore(recording)
                .addModel(FakeModel.priced("m", 0, 10)).install(budgets).build();
        String rawKey = "sk-proj-CANARY0123456789abcdef";
        CallContext ctx = CallContext.builder().attribute("auth.key", rawKey).build();

        mesh.chat(ASK, ctx);

        assertThat(keys).isNotEmpty().allSatisfy(k -> assertThat(k).doesNotContain(rawKey.substring(8, 20)));
        assertThat(budgets.status(ctx).get(0).scope()).doesNotContain("CANARY");
        assertThat(ScopeIdentity.defaults().apiKeyId(rawKey)).isNotEqualTo(
                ScopeIdentity.of("auth.key", "agents.run", Optional.of(Secret.of("pepper-123"))).apiKeyId(rawKey))
                .hasSize(32);
        mesh.close();
    }

    @Test
    void whenTheStoreIsDownBudgetsFailClosedByDefaultAndAdmitUnreservedWhenConfigured() {
        AtomicBoolean down = new AtomicBoolean(true);
        FakeModel model = FakeModel.priced("m", 0, 10);
        StateStore flaky = new RecordingStore(new InMemoryStateStore(), ConcurrentHashMap.newKeySet(), down);
        BudgetConfig.Builder config = BudgetConfig.builder()
                .limit(BudgetLimit.org(BudgetWindow.DAY, new BigDecimal("1")));
        Mesh closed = Mesh.builder().clock(new ManualClock()).stateStore(flaky).addModel(model)
                .install(BudgetPlugin.of(config.build())).build();

        assertThatThrownBy(() -> closed.chat(ASK, CallContext.EMPTY))
                .isInstanceOf(StateStoreUnavailableException.class).hasMessageContaining("fail closed");
        assertThat(model.calls()).isZero();

        Mesh open = Mesh.builder().clock(new ManualClock()).stateStore(flaky).addModel(model)
                .install(BudgetPlugin.of(config.onStoreFailure(StoreFailureMode.ALLOW).build())).build();
        MeshResponse r = open.chat(ASK, CallContext.EMPTY);
        assertThat(r.verdicts()).contains(new Verdict("budgets/store-unavailable", Verdict.Decision.FLAG,
                "budget state unknown; admitted without a reservation"));
        assertThat(model.calls()).isEqualTo(1);
        down.set(false);
        closed.close();
        open.close();
    }

    @Test
    void aDenialIsRecordedAsAVerdictWithTheBudgetAsPolicyId() {
        FakeModel model = FakeModel.priced("m", 0, 10);
        List<Verdict> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        Mesh mesh = Mesh.builder().clock(new ManualClock()).addModel(model)
                .addCallInterceptor(chain -> {
                    try {
                        return chain.proceed(chain.request());
                    } finally {
                        seen.addAll(chain.call().verdicts());
                    }
                })
                .install(BudgetPlugin.of(BudgetConfig.builder()
                        .limit(BudgetLimit.org(BudgetWindow.DAY, BigDecimal.ZERO)).build())).build();

        assertThatThrownBy(() -> mesh.chat(ASK, CallContext.EMPTY)).isInstanceOf(BudgetExceededException.class);
        assertThat(seen).singleElement().satisfies(v -> {
            assertThat(v.policyId()).isEqualTo("budgets/org/day");
            assertThat(v.decision()).isEqualTo(Verdict.Decision.DENY);
        });
        assertThat(model.calls()).isZero();
        mesh.close();
    }

    @Test
    void configurationMistakesFailAtOnceWithTheFieldAndTheFix() {
        assertThatThrownBy(() -> BudgetLimit.team("search", BudgetWindow.DAY, new BigDecimal("-1")))
                .hasMessageContaining("usd must be >= 0");
        assertThatThrownBy(() -> new BudgetLimit(Scope.ORG, Optional.of("x"), BudgetWindow.DAY, BigDecimal.ONE))
                .hasMessageContaining("org budget has no subject");
        assertThatThrownBy(() -> BudgetConfig.builder().unpricedReservation(BigDecimal.ZERO))
                .hasMessageContaining("never free");
        assertThatThrownBy(() -> BudgetConfig.builder().maxOutputTokens(0)).hasMessageContaining(">= 1");
        BudgetConfig.Builder b = BudgetConfig.builder().limit(BudgetLimit.team("a", BudgetWindow.DAY, BigDecimal.ONE));
        assertThatThrownBy(() -> b.limit(BudgetLimit.team("a", BudgetWindow.DAY, BigDecimal.TEN)))
                .hasMessageContaining("duplicate budget for team:a per day");
        BudgetPlugin p = BudgetPlugin.of(b.build());
        Mesh.builder().install(p);
        assertThatThrownBy(() -> Mesh.builder().install(p)).hasMessageContaining("already installed");
        assertThatThrownBy(() -> BudgetPlugin.of(b.build()).status(CallContext.EMPTY))
                .hasMessageContaining("install this BudgetPlugin");
        assertThat(ScopeIdentity.of("auth.key", "agents.run", Optional.of(Secret.of("pepper-secret"))).toString())
                .doesNotContain("pepper-secret");
    }

    /** A store that records the keys it sees and can be switched off. */
    static final class RecordingStore implements StateStore {
        private final StateStore delegate;
        private final Set<String> keys;
        private final AtomicBoolean down;

        RecordingStore(StateStore delegate, Set<String> keys, AtomicBoolean down) {
            this.delegate = delegate;
            this.keys = keys;
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
            keys.add(key);
            return delegate.addAndGet(key, delta, ttl);
        }

        @Override
        public long getCounter(String key) {
            check();
            keys.add(key);
            return delegate.getCounter(key);
        }

        @Override
        public AddResult addAllWithinLimits(List<BoundedAdd> adds) {
            check();
            adds.forEach(a -> keys.add(a.key()));
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
