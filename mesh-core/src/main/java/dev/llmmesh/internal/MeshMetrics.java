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
 * The mesh's meters, named after the OpenTelemetry GenAI conventions (current names; the older ones too with the
 * legacy switch), each model meter tagged with the deployment id ({@code mesh.model}). Meters are cached per tag combination; every
 * tag value is bounded (provider, configured model names, error codes), never per user or per request.
 */
final class MeshMetrics {
    private static final Duration[] DURATION_SLOS = durationSlos();
    private static final double[] TOKEN_SLOS = tokenSlos();

    private final @Nullable MeterRegistry registry;
    private final boolean legacy;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, DistributionSummary> summaries = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    MeshMetrics(@Nullable MeterRegistry registry) {
        this(registry, false);
    }

    /** @param legacy also emit the names of the older GenAI conventions ({@link dev.llmmesh.observation.MeshMetricNames#legacyNamesEmitted}) */
    MeshMetrics(@Nullable MeterRegistry registry, boolean legacy) {
        this.registry = registry;
        this.legacy = legacy;
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
        timers.computeIfAbsent(key, k -> duration(reg, INFERENCE_DURATION, model, responseModel, errorType))
                .record(nanos, TimeUnit.NANOSECONDS);
        if (legacy) {
            timers.computeIfAbsent("legacy\u0000" + key, k -> duration(reg, OPERATION_DURATION, model, responseModel, errorType))
                    .record(nanos, TimeUnit.NANOSECONDS);
        }
        if (response != null && response.tokenUsage() != null) {
            TokenCounts t = TokenCounts.of(response.tokenUsage());
            usage(reg, USAGE_INPUT_TOKENS_COUNTER, model, responseModel, t.input());
            usage(reg, USAGE_OUTPUT_TOKENS_COUNTER, model, responseModel, t.output());
            usage(reg, USAGE_CACHE_READ_INPUT_TOKENS, model, responseModel, t.cachedInput());
            usage(reg, USAGE_CACHE_WRITE_INPUT_TOKENS, model, responseModel, t.cacheWrite());
            usage(reg, USAGE_REASONING_OUTPUT_TOKENS, model, responseModel, t.reasoning());
            if (legacy) {
                tokens(reg, model, responseModel, TOKEN_INPUT).record(t.input());
                tokens(reg, model, responseModel, TOKEN_OUTPUT).record(t.output());
            }
        }
        if (cost.known() && cost.usd().signum() > 0) {
            counters.computeIfAbsent("cost\u0000" + model.id(), k -> Counter.builder(CLIENT_COST).baseUnit("USD")
                    .description("Cost of model calls in USD")
                    .tags(PROVIDER_NAME, otelProviderName(model.provider()), REQUEST_MODEL, model.modelName(),
                            MESH_MODEL, model.id()).register(reg))
                    .increment(cost.usd().doubleValue());
        }
    }

    /** The time from the start of a streamed attempt to its first content chunk. */
    void firstChunk(ModelDescriptor model, long nanos) {
        chunkTimer(model, INFERENCE_TIME_TO_FIRST_CHUNK, TIME_TO_FIRST_CHUNK, nanos, "Time to the first streamed chunk");
    }

    /** The time between two successive content chunks of a stream. */
    void nextChunk(ModelDescriptor model, long nanos) {
        chunkTimer(model, INFERENCE_TIME_PER_OUTPUT_CHUNK, TIME_PER_OUTPUT_CHUNK, nanos, "Time between streamed chunks");
    }

    private void chunkTimer(ModelDescriptor model, String name, String legacyName, long nanos, String description) {
        MeterRegistry reg = registry;
        if (reg == null) {
            return;
        }
        timers.computeIfAbsent(name + '\u0000' + model.id(), k -> chunk(reg, name, model, description))
                .record(nanos, TimeUnit.NANOSECONDS);
        if (legacy) {
            timers.computeIfAbsent(legacyName + '\u0000' + model.id(), k -> chunk(reg, legacyName, model, description))
                    .record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    private static Timer chunk(MeterRegistry reg, String name, ModelDescriptor model, String description) {
        return Timer.builder(name).description(description).serviceLevelObjectives(DURATION_SLOS)
                .tags(OPERATION_NAME, OPERATION_CHAT, PROVIDER_NAME, otelProviderName(model.provider()),
                        REQUEST_MODEL, model.modelName(), MESH_MODEL, model.id())
                .register(reg);
    }

    private static Timer duration(MeterRegistry reg, String name, ModelDescriptor model, String responseModel,
                                  String errorType) {
        Tags tags = Tags.of(OPERATION_NAME, OPERATION_CHAT, PROVIDER_NAME, otelProviderName(model.provider()),
                REQUEST_MODEL, model.modelName(), RESPONSE_MODEL, responseModel, MESH_MODEL, model.id());
        if (!errorType.isEmpty()) {
            tags = tags.and(ERROR_TYPE, errorType);
        }
        return Timer.builder(name).description("GenAI inference duration")
                .serviceLevelObjectives(DURATION_SLOS).tags(tags).register(reg);
    }

    private void usage(MeterRegistry reg, String name, ModelDescriptor model, String responseModel, long tokens) {
        if (tokens <= 0) {
            return;
        }
        counters.computeIfAbsent(name + '\u0000' + model.id() + '\u0000' + responseModel,
                k -> Counter.builder(name).baseUnit("{token}").description("GenAI token usage")
                        .tags(OPERATION_NAME, OPERATION_CHAT, PROVIDER_NAME, otelProviderName(model.provider()),
                                REQUEST_MODEL, model.modelName(), RESPONSE_MODEL, responseModel, MESH_MODEL, model.id())
                        .register(reg)).increment(tokens);
    }

    private DistributionSummary tokens(MeterRegistry reg, ModelDescriptor model, String responseModel, String type) {
        return summaries.computeIfAbsent(model.id() + '\u0000' + responseModel + '\u0000' + type,
                k -> DistributionSummary.builder(TOKEN_USAGE).baseUnit("{token}").description("GenAI token usage")
                        .serviceLevelObjectives(TOKEN_SLOS)
                        .tags(OPERATION_NAME, OPERATION_CHAT, PROVIDER_NAME, otelProviderName(model.provider()),
                                REQUEST_MODEL, model.modelName(), RESPONSE_MODEL, responseModel, TOKEN_TYPE, type,
                                MESH_MODEL, model.id())
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
