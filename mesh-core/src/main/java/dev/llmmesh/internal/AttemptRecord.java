package dev.llmmesh.internal;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmmesh.Attempt;
import dev.llmmesh.MeshException;
import dev.llmmesh.event.MeshEvent;
import dev.llmmesh.event.MeshListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Numbers the attempt and records it in the call ({@link Attempt}: model, duration, outcome, cost); tells listeners
 * about a fallback before it and about a failure after it. A failure is left in the state, not thrown, so the walk
 * decides what follows.
 */
final class AttemptRecord implements Stage<AttemptState> {
    private final Listeners listeners;
    private final Clock clock;

    AttemptRecord(Listeners listeners, Clock clock) {
        this.listeners = listeners;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "attempt record";
    }

    @Override
    public ChatResponse proceed(AttemptState a, Next<AttemptState> next) {
        DefaultCallScope scope = a.call.scope;
        if (a.previous != null && a.previousModel != null && !listeners.isEmpty()) {
            listeners.fire(new MeshEvent.FallbackTaken(scope.requestId(), a.previousModel, a.model.id(),
                    a.previous.kind()), MeshListener::fallbackTaken);
        }
        int number = scope.nextAttemptNumber();
        Instant t0 = clock.instant();
        try {
            ChatResponse response = next.proceed(a);
            scope.addAttempt(Attempt.success(number, a.model.id(), Duration.between(t0, clock.instant()), a.cost));
            return response;
        } catch (MeshException e) {
            Attempt failed = Attempt.failure(number, a.model.id(), Duration.between(t0, clock.instant()), e.kind(),
                    e.getMessage() == null ? e.kind().code() : e.getMessage(), a.cost);
            scope.addAttempt(failed);
            if (!listeners.isEmpty()) {
                listeners.fire(new MeshEvent.AttemptFailed(scope.requestId(), failed, e), MeshListener::attemptFailed);
            }
            a.failure = e;
            return null;
        }
    }
}
