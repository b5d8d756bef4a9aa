package dev.llmmesh.internal;

import dev.llmmesh.BudgetExceededException;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshException;
import dev.llmmesh.NoRouteException;
import dev.llmmesh.event.MeshEvent;
import dev.llmmesh.event.MeshListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the mesh tells the application log, on the logger {@code dev.llmmesh.Mesh}: fallbacks (INFO), calls that found
 * no route and budget denials (WARN), breakers opening (WARN) and closing (INFO). At most one line per kind of event
 * and model per {@link #INTERVAL}; the next line says how many were suppressed. Lines carry ids, error kinds and the
 * mesh's own messages, which never hold secrets or prompt text.
 */
final class MeshLog implements MeshListener {
    static final Logger LOG = LoggerFactory.getLogger(Mesh.class);
    static final Duration INTERVAL = Duration.ofSeconds(10);
    /** Keys are event kinds × configured model ids: bounded; cleared if a misuse ever makes them grow. */
    private static final int MAX_KEYS = 10_000;

    private final Clock clock;
    private final ConcurrentMap<String, Window> windows = new ConcurrentHashMap<>();

    private static final class Window {
        Instant last;
        int suppressed;

        Window(Instant last) {
            this.last = last;
        }
    }

    MeshLog(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void fallbackTaken(MeshEvent.FallbackTaken e) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        int suppressed = admit("fallback\u0000" + e.fromModel() + '\u0000' + e.toModel());
        if (suppressed >= 0) {
            LOG.info("fallback from model {} to {} after {} (request {}){}", e.fromModel(), e.toModel(),
                    e.reason().code(), e.requestId(), suffix(suppressed));
        }
    }

    @Override
    public void callEnded(MeshEvent.CallEnded e) {
        if (e.error().isEmpty() || !LOG.isWarnEnabled()) {
            return;
        }
        MeshException error = e.error().get();
        if (error instanceof NoRouteException) {
            int suppressed = admit("no-route");
            if (suppressed >= 0) {
                LOG.warn("no route (request {}): {}{}", e.requestId(), error.getMessage(), suffix(suppressed));
            }
        } else if (error instanceof dev.llmmesh.ConfigurationFailureException c) {
            int suppressed = admit("configuration\u0000" + c.models());
            if (suppressed >= 0) {
                LOG.warn("configuration failure (request {}): {}{}", e.requestId(), error.getMessage(),
                        suffix(suppressed));
            }
        } else if (error instanceof BudgetExceededException b) {
            int suppressed = admit("budget\u0000" + b.scope());
            if (suppressed >= 0) {
                LOG.warn("budget denied (request {}, scope {}): {}{}", e.requestId(), b.scope(), error.getMessage(),
                        suffix(suppressed));
            }
        }
    }

    void breakerOpened(String modelId, Instant until, int consecutive) {
        int suppressed = LOG.isWarnEnabled() ? admit("breaker-open\u0000" + modelId) : -1;
        if (suppressed >= 0) {
            LOG.warn("circuit breaker of model {} opened until {} (opening {} in a row){}", modelId, until,
                    consecutive, suffix(suppressed));
        }
    }

    void breakerClosed(String modelId) {
        int suppressed = LOG.isInfoEnabled() ? admit("breaker-closed\u0000" + modelId) : -1;
        if (suppressed >= 0) {
            LOG.info("circuit breaker of model {} closed: probes succeeded{}", modelId, suffix(suppressed));
        }
    }

    /** -1 when the line is suppressed, else how many like it were suppressed since the last one logged. */
    private int admit(String key) {
        Instant now = clock.instant();
        if (windows.size() > MAX_KEYS) {
            windows.clear();
        }
        Window w = windows.computeIfAbsent(key, k -> new Window(Instant.MIN));
        synchronized (w) {
            if (w.last != Instant.MIN && now.isBefore(w.last.plus(INTERVAL))) {
                w.suppressed++;
                return -1;
            }
            int n = w.suppressed;
            w.suppressed = 0;
            w.last = now;
            return n;
        }
    }

    private static String suffix(int suppressed) {
        return suppressed == 0 ? "" : " (" + suppressed + " more like it suppressed in the last " + INTERVAL.toSeconds()
                + " s)";
    }
}
