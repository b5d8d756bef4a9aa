package dev.llmmesh.governance.internal.ratelimit;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmmesh.RetryableException;
import dev.llmmesh.StreamTruncatedException;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.governance.internal.budget.StoreKeys;
import dev.llmmesh.governance.ratelimit.ModelRateLimit;
import dev.llmmesh.governance.ratelimit.RateLimitConfig;
import dev.llmmesh.governance.ratelimit.RateLimitExceededException;
import dev.llmmesh.intercept.Interceptor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Per attempt: charges one request and the estimated tokens to the limits of the model actually called. An attempt
 * without room fails as {@link RetryableException rate limited} (with the time to the next minute as retry-after)
 * before the provider is called, so the router falls back to another model. Token counts are corrected to the
 * attempt's reported usage afterwards.
 */
public final class ModelRateLimiter implements Interceptor {
    private final RateLimitConfig config;
    private final MinuteCounters counters;

    public ModelRateLimiter(RateLimitConfig config, MinuteCounters counters) {
        this.config = config;
        this.counters = counters;
    }

    @Override
    public String name() {
        return "rateLimits.models";
    }

    @Override
    public ChatResponse intercept(Chain chain) {
        Optional<ModelDescriptor> target = chain.target();
        ChatRequest request = chain.request();
        if (target.isEmpty()) {
            return chain.proceed(request);
        }
        String modelId = target.get().id();
        Optional<ModelRateLimit> limit = limitFor(modelId);
        if (limit.isEmpty()) {
            return chain.proceed(request);
        }
        Instant now = counters.now();
        Instant start = MinuteCounters.windowStart(now);
        long tokens = ScopeRateLimiter.estimatedTokens(config, request);
        String name = "model/" + StoreKeys.part(modelId);
        List<MinuteCounters.Charge> charges = new ArrayList<>(2);
        List<String> tokenKeys = new ArrayList<>(1);
        ModelRateLimit l = limit.get();
        if (l.rpm().isPresent()) {
            charges.add(new MinuteCounters.Charge("model:" + modelId + "/rpm", MinuteCounters.key(name + "/rpm", start),
                    1, l.rpm().getAsLong(), RateLimitExceededException.Limit.REQUESTS));
        }
        if (l.tpm().isPresent()) {
            String key = MinuteCounters.key(name + "/tpm", start);
            charges.add(new MinuteCounters.Charge("model:" + modelId + "/tpm", key, tokens, l.tpm().getAsLong(),
                    RateLimitExceededException.Limit.TOKENS));
            tokenKeys.add(key);
        }
        MinuteCounters.Admission a = counters.admit(charges);
        if (!a.applied()) {
            MinuteCounters.Charge c = charges.get(a.violated());
            Instant reset = start.plusSeconds(60);
            throw RetryableException.rateLimited(modelId, Duration.between(now, reset), "local rate limit "
                    + c.label() + " reached (" + c.limit() + (c.type() == RateLimitExceededException.Limit.REQUESTS
                    ? " requests" : " tokens") + " per minute); resets at " + reset);
        }
        long used = 0;
        try {
            ChatResponse response = chain.proceed(request);
            used = ScopeRateLimiter.total(response.tokenUsage());
            return response;
        } catch (StreamTruncatedException e) {
            used = ScopeRateLimiter.total(e.partialUsage());
            throw e;
        } finally {
            counters.correct(a.store(), tokenKeys, used - tokens);
        }
    }

    private Optional<ModelRateLimit> limitFor(String modelId) {
        ModelRateLimit every = null;
        for (ModelRateLimit l : config.modelLimits()) {
            if (l.model().isPresent() && l.model().get().equals(modelId)) {
                return Optional.of(l);
            }
            if (l.model().isEmpty()) {
                every = l;
            }
        }
        return Optional.ofNullable(every);
    }
}
