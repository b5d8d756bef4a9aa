package dev.llmmesh.event;

/**
 * Observes calls. Every method has a no-op default; override what you need. Methods run on the calling thread, so
 * keep them fast and non-blocking; exceptions they throw are caught and logged, never propagated. Implementations
 * must be thread-safe.
 */
public interface MeshListener {
    /** A listener that does nothing. */
    MeshListener NONE = new MeshListener() {
    };

    default void callStarted(MeshEvent.CallStarted event) {
    }

    default void routeSelected(MeshEvent.RouteSelected event) {
    }

    default void attemptFailed(MeshEvent.AttemptFailed event) {
    }

    default void fallbackTaken(MeshEvent.FallbackTaken event) {
    }

    default void hedgeStarted(MeshEvent.HedgeStarted event) {
    }

    default void modelDenied(MeshEvent.ModelDenied event) {
    }

    default void toolCallChecked(MeshEvent.ToolCallChecked event) {
    }

    default void callEnded(MeshEvent.CallEnded event) {
    }
}
