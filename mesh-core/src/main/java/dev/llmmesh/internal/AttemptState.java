package dev.llmmesh.internal;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.Cost;
import dev.llmmesh.MeshException;
import dev.llmmesh.client.ModelDescriptor;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What travels down the attempt stages: one attempt on one model, and what its stages leave behind for the
 * attempt's record. Used by one thread at a time (a hedged attempt runs on a pool thread).
 */
final class AttemptState {
    final CallState call;
    final ModelRuntime rt;
    final ModelDescriptor model;
    /** The failure that led to this attempt, and on which model; null for a call's first attempt and for hedges. */
    final @Nullable MeshException previous;
    final @Nullable String previousModel;

    /** Set by the permits stage when the model may not be tried on this hop: why. */
    @Nullable String skipped;
    /** Set by the record stage when the attempt failed. */
    @Nullable MeshException failure;
    /** The attempt chain and request as the attempt interceptors hand them on; set before measuring. */
    @Nullable RealChain chain;
    @Nullable ChatRequest request;
    /** When the provider call started; set by measuring. */
    Instant started = Instant.EPOCH;
    /** Whether the provider gave a verdict (success or a failure that counts); a permit without one goes back. */
    boolean verdict;
    /** What the provider call billed. */
    Cost cost = Cost.ZERO;

    AttemptState(CallState call, ModelRuntime rt, ModelDescriptor model, @Nullable MeshException previous,
                 @Nullable String previousModel) {
        this.call = call;
        this.rt = rt;
        this.model = model;
        this.previous = previous;
        this.previousModel = previousModel;
    }

    RealChain chain() {
        return Objects.requireNonNull(chain, "the attempt interceptors have not proceeded yet");
    }

    ChatRequest request() {
        return Objects.requireNonNull(request, "the attempt interceptors have not proceeded yet");
    }
}
