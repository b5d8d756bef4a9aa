package dev.llmmesh.event;

import dev.llmmesh.Attempt;
import dev.llmmesh.CallContext;
import dev.llmmesh.ErrorKind;
import dev.llmmesh.MeshException;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.routing.RoutingDecision;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** Something that happened during a call. Every event carries the call's request id. */
public sealed interface MeshEvent {

    /** The call this event belongs to. */
    String requestId();

    /** A call entered the mesh. */
    record CallStarted(String requestId, CallContext context, boolean streaming, Instant at) implements MeshEvent {
        public CallStarted {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(context, "context");
            Objects.requireNonNull(at, "at");
        }
    }

    /** The router made its plan. */
    record RouteSelected(String requestId, RoutingDecision decision) implements MeshEvent {
        public RouteSelected {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(decision, "decision");
        }
    }

    /** One attempt failed. */
    record AttemptFailed(String requestId, Attempt attempt, MeshException error) implements MeshEvent {
        public AttemptFailed {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(attempt, "attempt");
            Objects.requireNonNull(error, "error");
        }
    }

    /** The router moved from one model to the next after a failure. */
    record FallbackTaken(String requestId, String fromModel, String toModel, ErrorKind reason) implements MeshEvent {
        public FallbackTaken {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(fromModel, "fromModel");
            Objects.requireNonNull(toModel, "toModel");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** A hedge was started: the primary had not answered after {@code delay}, so {@code hedgeModel} was called too. */
    record HedgeStarted(String requestId, String primaryModel, String hedgeModel, java.time.Duration delay)
            implements MeshEvent {
        public HedgeStarted {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(primaryModel, "primaryModel");
            Objects.requireNonNull(hedgeModel, "hedgeModel");
            Objects.requireNonNull(delay, "delay");
        }
    }

    /** A model was refused by a route filter (for example a policy) when it was about to be called. */
    record ModelDenied(String requestId, String modelId, String policyId, String reason) implements MeshEvent {
        public ModelDenied {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(modelId, "modelId");
            Objects.requireNonNull(policyId, "policyId");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * A tool call was checked against the tool-call guards.
     *
     * @param requestId the context's request id, or the run id attribute {@code agents.run}, or {@code "-"}
     * @param denial    the denial with its policy id; empty when the call may run
     */
    record ToolCallChecked(String requestId, String toolName, CallContext context,
                           Optional<dev.llmmesh.Verdict> denial) implements MeshEvent {
        public ToolCallChecked {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(toolName, "toolName");
            Objects.requireNonNull(context, "context");
            Objects.requireNonNull(denial, "denial");
        }
    }

    /**
     * The call ended, with a response or an error.
     *
     * @param billed what the call was billed in all: every attempt that reached a provider, including failed calls,
     *               hedge losers and the partial usage of cut or cancelled streams
     * @param attempts every attempt, failed ones included
     */
    record CallEnded(String requestId, Optional<MeshResponse> response, Optional<MeshException> error,
                     Duration duration, dev.llmmesh.Cost billed, java.util.List<dev.llmmesh.Attempt> attempts)
            implements MeshEvent {
        public CallEnded {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(response, "response");
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(duration, "duration");
            Objects.requireNonNull(billed, "billed");
            attempts = java.util.List.copyOf(attempts);
        }

        public boolean succeeded() {
            return response.isPresent();
        }
    }
}
