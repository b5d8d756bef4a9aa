package dev.llmmesh.governance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.CallContext;
import dev.llmmesh.Mesh;
import dev.llmmesh.governance.budget.BudgetConfig;
import dev.llmmesh.governance.budget.BudgetLimit;
import dev.llmmesh.governance.budget.BudgetPlugin;
import dev.llmmesh.governance.budget.BudgetWindow;
import dev.llmmesh.governance.budget.FakeModel;
import dev.llmmesh.governance.budget.Scope;
import dev.llmmesh.governance.ratelimit.RateLimit;
import dev.llmmesh.governance.ratelimit.RateLimitConfig;
import dev.llmmesh.governance.ratelimit.RateLimitPlugin;
import dev.llmmesh.state.AddResult;
import dev.llmmesh.state.BoundedAdd;
import dev.llmmesh.state.InMemoryStateStore;
import dev.llmmesh.state.StateStore;
import dev.llmmesh.testkit.ManualClock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.ArrayList;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Distinct end users, each calling once, through a per-user budget and a per-user rate limit on the in-memory store:
 * memory stays within the store's cap, nobody is refused for being new, keys are hashed and short, and no meter is
 * tagged per user. CI runs 60,000 users over 36 simulated seconds; {@code -DargLine=-Dscenario28.users=1000000} runs
 * the full million over ten simulated minutes (the same rate).
 */
class BoundedStateScenarioTest {
    private static final int USERS = Integer.getInteger("scenario28.users", 60_000);
    private static final int CAP = 30_000;
    private static final int THREADS = 4;
    /** Ten simulated minutes for a million users: 600 µs between users. */
    private static final Duration BETWEEN_USERS = Duration.ofNanos(600_000);

    @Test
    void scenario28_distinctUsersAreAllAdmittedWithMemoryWithinTheCapHashedKeysAndNoPerUserTags() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        InMemoryStateStore memory = new InMemoryStateStore(clock, CAP);
        KeyCheckingStore store = new KeyCheckingStore(memory);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Mesh mesh = Mesh.builder().clock(clock).stateStore(store).meterRegistry(meters)
                .addModel(FakeModel.priced("m", 1, 1).usage(10, 10))
                .install(BudgetPlugin.of(BudgetConfig.builder()
                        .limit(BudgetLimit.each(Scope.USER, BudgetWindow.DAY, new BigDecimal("0.50")))
                        .limit(BudgetLimit.team("support", BudgetWindow.DAY, new BigDecimal("1000000"))).build()))
                .install(RateLimitPlugin.of(RateLimitConfig.builder().limit(RateLimit.rpm(Scope.USER, 5)).build()))
                .build();
        ChatRequest ask = ChatRequest.builder().messages(UserMessage.from("where is my parcel?")).maxOutputTokens(50)
                .build();
        AtomicInteger next = new AtomicInteger();
        AtomicLong refused = new AtomicLong();
        AtomicInteger maxSize = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                workers.add(pool.submit(() -> {
                    for (int u; (u = next.getAndIncrement()) < USERS; ) {
                        synchronized (clock) {
                            clock.advance(BETWEEN_USERS);
                        }
                        CallContext ctx = CallContext.builder().team("support").user(userId(u)).build();
                        try {
                            mesh.chat(ask, ctx);
                        } catch (RuntimeException e) {
                            refused.incrementAndGet();
                        }
                        if ((u & 1023) == 0) {
                            maxSize.accumulateAndGet(memory.size(), Math::max);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get(10, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
            mesh.close();
        }

        assertThat(refused.get()).as("calls refused out of %d distinct users", USERS).isZero();
        assertThat(Math.max(maxSize.get(), memory.size())).as("entries held").isLessThanOrEqualTo(CAP);
        assertThat(memory.evictions() + memory.expiredDropped()).as("the cap was reached and made room").isPositive();
        assertThat(store.keysSeen.get()).isPositive();
        assertThat(store.badKeys).as("keys longer than 256 characters or naming a user").isEmpty();
        for (Meter m : meters.getMeters()) {
            for (Tag tag : m.getId().getTags()) {
                assertThat(tag.getValue()).as("tag %s of %s", tag.getKey(), m.getId().getName())
                        .doesNotStartWith("customer-");
            }
        }
    }

    private static String userId(int u) {
        return "customer-" + u;
    }

    /** Passes everything to the in-memory store, noting keys that are too long or carry a user id in clear. */
    private static final class KeyCheckingStore implements StateStore {
        private final StateStore delegate;
        final Set<String> badKeys = ConcurrentHashMap.newKeySet();
        final AtomicLong keysSeen = new AtomicLong();

        KeyCheckingStore(StateStore delegate) {
            this.delegate = delegate;
        }

        private String check(String key) {
            keysSeen.incrementAndGet();
            if (key.length() > 256 || key.contains("customer-")) {
                badKeys.add(key);
            }
            return key;
        }

        @Override
        public long addAndGet(String key, long delta, Duration ttl) {
            return delegate.addAndGet(check(key), delta, ttl);
        }

        @Override
        public long getCounter(String key) {
            return delegate.getCounter(check(key));
        }

        @Override
        public AddResult addAllWithinLimits(List<BoundedAdd> adds) {
            adds.forEach(a -> check(a.key()));
            return delegate.addAllWithinLimits(adds);
        }

        @Override
        public Optional<String> get(String key) {
            return delegate.get(check(key));
        }

        @Override
        public boolean compareAndSet(String key, @Nullable String expected, String value, Duration ttl) {
            return delegate.compareAndSet(check(key), expected, value, ttl);
        }

        @Override
        public void delete(String key) {
            delegate.delete(check(key));
        }
    }
}
