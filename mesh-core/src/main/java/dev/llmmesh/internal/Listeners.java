package dev.llmmesh.internal;

import dev.llmmesh.event.MeshEvent;
import dev.llmmesh.event.MeshListener;
import java.util.List;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Delivers events to listeners in order, isolating each listener's exceptions. */
final class Listeners {
    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

    private final List<MeshListener> listeners;

    Listeners(List<MeshListener> listeners) {
        this.listeners = listeners;
    }

    boolean isEmpty() {
        return listeners.isEmpty();
    }

    <E extends MeshEvent> void fire(E event, BiConsumer<MeshListener, E> method) {
        for (int i = 0; i < listeners.size(); i++) {
            MeshListener l = listeners.get(i);
            try {
                method.accept(l, event);
            } catch (RuntimeException e) {
                LOG.warn("listener {} threw {} on {} for request {}; ignored", l.getClass().getName(),
                        e.getClass().getName(), event.getClass().getSimpleName(), event.requestId(), e);
            }
        }
    }
}
