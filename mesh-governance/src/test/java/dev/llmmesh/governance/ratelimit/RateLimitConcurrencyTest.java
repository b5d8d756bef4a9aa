package dev.llmmesh.governance.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.CallContext;
import dev.llmmesh.Mesh;
import dev.llmmesh.governance.budget.FakeModel;
import dev.llmmesh.governance.budget.Scope;
import dev.llmmesh.governance.budget.TokenEstimator;
import dev.llmmesh.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * 16 threads hammer one team's limits for 60 simulated seconds (00:00:30 to 00:01:30, so two minute windows) with
 * about ten times the allowed demand; what is admitted per window is counted.
 */
class RateLimitConcurrencyTest {
    private static final int THREADS = 16;
    private static final int SECONDS = 60;
    private static final int PER_THREAD_PER_SECOND = 4;
    /** 11 characters: 3 tokens of text and 4 of framing; with max_tokens 93 a call counts 100 tokens. */
    private static final ChatRequest ASK = ChatRequest.builder().messages(UserMessage.from("hello world"))
            .maxOutputTokens(93).build();

    @Test
    void requestsPerMinuteUnderSixteenThreadsAdmitAtMostTheLimitAndAtLeast95PercentOfIt() throws Exception {
        Map<Instant, long[]> admitted = hammer(RateLimit.rpm(Scope.TEAM, 300), 7, 93);
        assertThat(admitted).hasSize(2);
        admitted.forEach((window, counts) -> {
            assertThat(counts[0]).as("requests admitted in the window from %s", window).isLessThanOrEqualTo(300)
                    .isGreaterThanOrEqualTo(285);
            assertThat(counts[2]).as("demand").isGreaterThan(3 * 300);
        });
    }

    @Test
    void tokensPerMinuteUnderSixteenThreadsAdmitAtMostTheLimitAndAtLeast95PercentOfIt() throws Exception {
        assertThat(TokenEstimator.DEFAULT.inputTokens(ASK)).isEqualTo(7);
        Map<Instant, long[]> admitted = hammer(RateLimit.of(Scope.TEAM, 10_000, 20_000), 7, 93);
        admitted.forEach((window, counts) -> {
            assertThat(counts[1]).as("tokens admitted in the window from %s", window).isLessThanOrEqualTo(20_000)
                    .isGreaterThanOrEqualTo(19_000);
        });
    }

    @Test
    void tokensReportedBelowTheEstimateAreGivenBackToTheWindowButNeverBeyondTheLimit() throws Exception {
        // each call counts 100 tokens at admission but really uses 50: the window admits up to twice as many calls
        Map<Instant, long[]> admitted = hammer(RateLimit.tpm(Scope.TEAM, 20_000), 7, 43);
        admitted.forEach((window, counts) -> {
            assertThat(counts[1]).as("real tokens in the window from %s", window).isLessThanOrEqualTo(20_000)
                    .isGreaterThanOrEqualTo(19_000);
            assertThat(counts[0]).isGreaterThan(300);
        });
    }

    /** Runs the load; per window start: {admitted requests, admitted real tokens, demand}. */
    private static Map<Instant, long[]> hammer(RateLimit limit, int inputTokens, int outputTokens) throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:30Z"));
        FakeModel model = FakeModel.priced("m", 1, 1).usage(inputTokens, outputTokens);
        Mesh mesh = Mesh.builder().clock(clock).addModel(model)
                .install(RateLimitPlugin.of(RateLimitConfig.builder().limit(limit.forSubject("search")).build()))
                .build();
        CallContext ctx = CallContext.forTeam("search");
        Map<Instant, long[]> perWindow = new ConcurrentHashMap<>();
        Phaser phaser = new Phaser(THREADS + 1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> workers = new ArrayList<>();
        AtomicLong denied = new AtomicLong();
        for (int t = 0; t < THREADS; t++) {
            workers.add(pool.submit(() -> {
                for (int s = 0; s < SECONDS; s++) {
                    phaser.arriveAndAwaitAdvance(); // the clock is set for second s
                    Instant window = Instant.ofEpochSecond(clock.instant().getEpochSecond() / 60 * 60);
                    long[] c = perWindow.computeIfAbsent(window, w -> new long[3]);
                    for (int i = 0; i < PER_THREAD_PER_SECOND; i++) {
                        try {
                            mesh.chat(ASK, ctx);
                            synchronized (c) {
                                c[0]++;
                                c[1] += inputTokens + outputTokens;
                            }
                        } catch (RateLimitExceededException e) {
                            denied.incrementAndGet();
                            assertThat(e.resetsAt()).contains(window.plusSeconds(60));
                        }
                        synchronized (c) {
                            c[2]++;
                        }
                    }
                    phaser.arriveAndAwaitAdvance(); // second s is done
                }
                return null;
            }));
        }
        for (int s = 0; s < SECONDS; s++) {
            phaser.arriveAndAwaitAdvance();
            phaser.arriveAndAwaitAdvance();
            clock.advance(Duration.ofSeconds(1));
        }
        for (Future<?> w : workers) {
            w.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        mesh.close();
        assertThat(denied.get()).isPositive();
        return perWindow;
    }
}
