package dev.llmmesh.internal;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmmesh.Cost;
import dev.llmmesh.ErrorKind;
import dev.llmmesh.MeshException;
import dev.llmmesh.MeshInternalException;
import dev.llmmesh.client.ErrorClassifier;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.observation.MeshMetricNames;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Measures the provider call: the model's in-flight count, latency and outcome in its health, the breaker's verdict,
 * the bill (to the attempt and the call), the attempt meters and span. Every failure leaves here classified as a
 * {@link MeshException}; cancellations say nothing about the model.
 */
final class Measuring implements Stage<AttemptState> {
    private final MeshMetrics metrics;
    private final @Nullable ObservationRegistry observations;
    private final Clock clock;

    Measuring(MeshMetrics metrics, @Nullable ObservationRegistry observations, Clock clock) {
        this.metrics = metrics;
        this.observations = observations;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "measuring";
    }

    @Override
    public ChatResponse proceed(AttemptState a, Next<AttemptState> next) {
        ModelRuntime rt = a.rt;
        ModelDescriptor model = a.model;
        rt.health.started();
        a.started = clock.instant();
        Observation obs = observations == null ? null
                : Observation.createNotStarted(MeshMetricNames.ATTEMPT_OBSERVATION, observations)
                .contextualName(MeshMetricNames.OPERATION_CHAT + " " + model.modelName())
                .lowCardinalityKeyValue(MeshMetricNames.OPERATION_NAME, MeshMetricNames.OPERATION_CHAT)
                .lowCardinalityKeyValue(MeshMetricNames.PROVIDER_NAME, MeshMetricNames.otelProviderName(model.provider()))
                .lowCardinalityKeyValue(MeshMetricNames.REQUEST_MODEL, model.modelName())
                .highCardinalityKeyValue(MeshMetricNames.MESH_REQUEST_ID, a.call.scope.requestId())
                .start();
        try {
            ChatResponse response = next.proceed(a);
            if (response == null) {
                throw new MeshInternalException(ErrorKind.INTERNAL, "model client " + rt.id + " returned null", null);
            }
            long nanos = Duration.between(a.started, clock.instant()).toNanos();
            rt.health.success(nanos, clock.instant());
            rt.breakerSuccess(nanos);
            a.verdict = true;
            Cost cost = rt.bill(model, response.tokenUsage());
            a.cost = cost;
            a.chain().call().bill(cost);
            metrics.attempt(model, nanos, response, null, cost);
            if (obs != null && response.tokenUsage() != null) {
                obs.highCardinalityKeyValue(MeshMetricNames.USAGE_INPUT_TOKENS, String.valueOf(response.tokenUsage().inputTokenCount()))
                        .highCardinalityKeyValue(MeshMetricNames.USAGE_OUTPUT_TOKENS, String.valueOf(response.tokenUsage().outputTokenCount()));
            }
            return response;
        } catch (RuntimeException e) {
            MeshException m = ErrorClassifier.classify(e, rt.id);
            long nanos = Duration.between(a.started, clock.instant()).toNanos();
            if (m.kind() != ErrorKind.CANCELLED) {
                if (ModelRuntime.countsAgainstTheModel(m)) {
                    rt.health.failure(m, nanos, clock.instant());
                }
                rt.breakerFailure(nanos, m);
                a.verdict = true;
            }
            metrics.attempt(model, nanos, null, m, Cost.ZERO);
            if (obs != null) {
                obs.lowCardinalityKeyValue(MeshMetricNames.ERROR_TYPE, m.kind().code()).error(m);
            }
            throw m;
        } finally {
            rt.health.finished();
            if (obs != null) {
                obs.stop();
            }
        }
    }
}
