package dev.llmmesh.governance;

import java.util.ArrayList;
import java.util.List;

/** An audit sink that keeps every event. Thread-safe. */
final class RecordingSink implements GovernanceAuditSink {
    private final List<GovernanceEvent> events = new ArrayList<>();

    @Override
    public synchronized void record(GovernanceEvent event) {
        events.add(event);
    }

    synchronized List<GovernanceEvent> events() {
        return List.copyOf(events);
    }

    synchronized List<GovernanceEvent> denials() {
        return events.stream().filter(GovernanceEvent::denial).toList();
    }
}
