package dev.llmmesh.internal;

import static dev.llmmesh.observation.MeshMetricNames.*;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmmesh.Cost;
import dev.llmmesh.MeshException;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.client.TokenCounts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The mesh's meters, named after the OpenTelemetry GenAI conventions. Meters are cached per tag combination; every
 * tag value is bounded (provider, configured model names, error codes), never per user or per request.
 */
final class MeshMetrics {
    private static final Duration[] DURATION_SLOS = durationSlos();
    private static final double[] TOKEN_SLOS = tokenSlos();

    private final @Nullable MeterRegistry registry;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, DistributionSummary> summaries = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    MeshMetrics(@Nullable MeterRegistry registry) {
        this.registry = registry;
    }

    boolean enabled() {
        return registry != null;
    }

    void healthGauge(ModelDescriptor model, ModelHealth health) {
        if (registry == null) {
            return;
        }
        Gauge.builder(MODEL_HEALTH, health, ModelHealth::successRate)
                .description("Recent success rate of a model deployment (0-1)")
                .tags(PROVIDER_NAME, otelProviderName(model.provider()), REQUEST_MODEL, model.modelName(), MESH_MODEL, model.id())
                .register(registry);
    }

    void attempt(ModelDescriptor model, long nanos, @Nullable ChatResponse response, @Nullable MeshException error,
                 Cost cost) {
        MeterRegistry reg = registry;
        if (reg == null) {
            return;
        }
        String responseModel = response != null && response.modelName() != null ? response.modelName() : model.modelName();
        String errorType = error == null ? "" : error.kind().code();
        String key = model.id() + '\u0000' + responseModel + '\u0000' + errorType;
        Timer timer = timers.computeIfAbsent(key, k -> {
            Tags tags = Tags.of(OPERATION_NAME, OPERATION_CHAT, PROVIDER_NAME, otelProviderName(model.provider()),
                    REQUEST_MODEL, model.modelName(), RESPONSE_MODEL, responseModel);
            if (!errorType.isEmpty()) {
                tags = tags.and(ERROR_TYPE, errorType);
            }
            return Timer.builder(OPERATION_DURATION).description("GenAI operation duration")
                    .serviceLevelObjectives(DURATION_SLOS).tags(tags).register(reg);
        });
        timer.record(nanos, TimeUnit.NANOSECONDS);
        if (response != null && response.tokenUsage() != null) {
            TokenCounts t = TokenCounts.of(response.tokenUsage());
            tokens(reg, model, responseModel, TOKEN_INPUT).record(t.input());
            tokens(reg, model, responseModel, TOKEN_OUTPUT).record(t.output());
        }
        if (cost.known() && cost.usd().signum() > 0) {
            counters.computeIfAbsent("cost\u0000" + model.id(), k -> Counter.builder(CLIENT_COST).baseUnit("USD")
                    .description("Cost of model calls in USD")
                    .tags(PROVIDER_NAME, otelProviderName(model.provider()), REQUEST_MODEL, model.modelName()).register(reg))
                    .increment(cost.usd().doubleValue());
        }
    }

    private DistributionSummary tokens(MeterRegistry reg, ModelDescriptor model, String responseModel, String type) {
        return summaries.computeIfAbsent(model.id() + '\u0000' + responseModel + '\u0000' + type,
                k -> DistributionSummary.builder(TOKEN_USAGE).baseUnit("{token}").description("GenAI token usage")
                        .serviceLevelObjectives(TOKEN_SLOS)
                        .tags(OPERATION_NAME, OPERATION_CHAT, PROVIDER_NAME, otelProviderName(model.provider()),
                                REQUEST_MODEL, model.modelName(), RESPONSE_MODEL, responseModel, TOKEN_TYPE, type)
                        .register(reg));
    }

    void count(String name) {
        MeterRegistry reg = registry;
        if (reg == null) {
            return;
        }
        counters.computeIfAbsent(name, k -> Counter.builder(name).register(reg)).increment();
    }

    void decision(String requestModel, String outcome) {
        MeterRegistry reg = registry;
        if (reg == null) {
            return;
        }
        counters.computeIfAbsent(requestModel + '\u0000' + outcome, k -> Counter.builder(ROUTER_DECISIONS)
                .description("Routing outcomes").tags(REQUEST_MODEL, requestModel, ROUTER_OUTCOME, outcome)
                .register(reg)).increment();
    }

    private static Duration[] durationSlos() {
        // 0.01 s to 81.92 s, doubling (OpenTelemetry GenAI advice)
        Duration[] out = new Duration[14];
        double s = 0.01;
        for (int i = 0; i < out.length; i++, s *= 2) {
            out[i] = Duration.ofNanos(Math.round(s * 1e9));
        }
        return out;
    }

    private static double[] tokenSlos() {
        // 1 to 67,108,864, times 4
        double[] out = new double[14];
        double v = 1;
        for (int i = 0; i < out.length; i++, v *= 4) {
            out[i] = v;
        }
        return out;
    }
}
