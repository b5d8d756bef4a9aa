package dev.llmmesh.governance.internal.ratelimit;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.llmmesh.CallContext;
import dev.llmmesh.StreamTruncatedException;
import dev.llmmesh.Verdict;
import dev.llmmesh.governance.budget.Scope;
import dev.llmmesh.governance.internal.budget.Durations;
import dev.llmmesh.governance.internal.budget.StoreKeys;
import dev.llmmesh.governance.ratelimit.RateLimit;
import dev.llmmesh.governance.ratelimit.RateLimitConfig;
import dev.llmmesh.governance.ratelimit.RateLimitExceededException;
import dev.llmmesh.intercept.Interceptor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Per call: charges one request and the estimated tokens to every per-scope limit that applies, all or nothing; a
 * call without room fails with a {@link RateLimitExceededException} before any model is called. After the call the
 * token counters are corrected to the usage the provider reported (released when it reported none).
 */
public final class ScopeRateLimiter implements Interceptor {
    private final RateLimitConfig config;
    private final MinuteCounters counters;

    public ScopeRateLimiter(RateLimitConfig config, MinuteCounters counters) {
        this.config = config;
        this.counters = counters;
    }

    @Override
    public String name() {
        return "rateLimits";
    }

    @Override
    public ChatResponse intercept(Chain chain) {
        ChatRequest request = chain.request();
        CallContext context = chain.context();
        Instant now = counters.now();
        Instant start = MinuteCounters.windowStart(now);
        long tokens = estimatedTokens(config, request);
        List<MinuteCounters.Charge> charges = new ArrayList<>();
        List<String> tokenKeys = new ArrayList<>();
        for (RateLimit l : config.limits()) {
            Optional<String> subject = config.identity().subject(l.scope(), context);
            if (subject.isEmpty() || (l.subject().isPresent() && !l.subject().get().equals(subject.get()))) {
                continue;
            }
            String who = who(l.scope(), subject.get());
            String name = l.scope().configName() + (l.subject().isPresent() ? "/one/" : "/each/")
                    + StoreKeys.part(l.scope(), subject.get());
            if (l.rpm().isPresent()) {
                charges.add(new MinuteCounters.Charge(who + "/rpm", MinuteCounters.key(name + "/rpm", start), 1,
                        l.rpm().getAsLong(), RateLimitExceededException.Limit.REQUESTS));
            }
            if (l.tpm().isPresent()) {
                String key = MinuteCounters.key(name + "/tpm", start);
                charges.add(new MinuteCounters.Charge(who + "/tpm", key, tokens, l.tpm().getAsLong(),
                        RateLimitExceededException.Limit.TOKENS));
                tokenKeys.add(key);
            }
        }
        if (charges.isEmpty()) {
            return chain.proceed(request);
        }
        MinuteCounters.Admission a = counters.admit(charges);
        if (!a.applied()) {
            MinuteCounters.Charge c = charges.get(a.violated());
            chain.call().addVerdict(new Verdict("rateLimits/" + c.label(), Verdict.Decision.DENY,
                    c.limit() + (c.type() == RateLimitExceededException.Limit.REQUESTS ? " requests" : " tokens")
                            + " per minute reached"));
            throw exceeded(c, a.current(), now, start.plusSeconds(60));
        }
        long used = 0;
        try {
            ChatResponse response = chain.proceed(request);
            used = total(response.tokenUsage());
            return response;
        } catch (StreamTruncatedException e) {
            used = total(e.partialUsage());
            throw e;
        } finally {
            counters.correct(a.store(), tokenKeys, used - tokens);
        }
    }

    /** Input estimate plus {@code max_tokens}, or the assumed output when the request sets none. */
    static long estimatedTokens(RateLimitConfig config, ChatRequest request) {
        Integer max = request.maxOutputTokens();
        return Math.max(0, config.tokenEstimator().inputTokens(request))
                + (max != null ? max : config.assumedOutputTokens());
    }

    static long total(TokenUsage usage) {
        if (usage == null) {
            return 0;
        }
        return (usage.inputTokenCount() == null ? 0 : usage.inputTokenCount())
                + (usage.outputTokenCount() == null ? 0 : usage.outputTokenCount());
    }

    private static String who(Scope scope, String subject) {
        if (scope == Scope.ORG) {
            return "org";
        }
        if (scope == Scope.API_KEY) {
            return "apiKey:" + subject.substring(0, Math.min(12, subject.length()));
        }
        return scope.configName() + ":" + subject;
    }

    private static RateLimitExceededException exceeded(MinuteCounters.Charge c, long current, Instant now,
                                                       Instant resetsAt) {
        boolean requests = c.type() == RateLimitExceededException.Limit.REQUESTS;
        String msg = "rate limit " + c.label() + " exceeded: " + c.limit() + (requests ? " requests" : " tokens")
                + " per minute" + (requests ? "" : ", used " + current + ", this call needs about " + c.amount())
                + "; resets at " + resetsAt + " (in " + Durations.human(Duration.between(now, resetsAt)) + ")";
        return new RateLimitExceededException(c.label(), c.type(), msg, resetsAt);
    }
}
