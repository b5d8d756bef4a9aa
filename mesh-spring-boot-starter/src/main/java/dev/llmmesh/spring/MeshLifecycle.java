package dev.llmmesh.spring;

import dev.llmmesh.Mesh;
import java.util.Objects;
import org.springframework.context.SmartLifecycle;

/**
 * Closes the mesh when the application context stops: new calls are refused with
 * {@link dev.llmmesh.MeshClosedException}, calls in flight get up to {@code routing.drainTimeout} to finish. Its
 * phase ({@link #PHASE}) is below the web server's, so Boot's graceful shutdown first lets HTTP requests in flight
 * finish (with their mesh calls), then the mesh drains what is left (async and streaming calls, scheduled work).
 *
 * <p>Thread-safe; stopping twice does nothing more.
 */
public final class MeshLifecycle implements SmartLifecycle {
    /** Stops after the web server (Boot stops it in phase {@code DEFAULT_PHASE - 2048}). */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final Mesh mesh;
    private volatile boolean running;

    public MeshLifecycle(Mesh mesh) {
        this.mesh = Objects.requireNonNull(mesh, "mesh");
    }

    @Override
    public void start() {
        running = true;
    }

    /** Closes the mesh, draining its calls in flight; returns when they finished or the drain timeout passed. */
    @Override
    public void stop() {
        if (running) {
            running = false;
            mesh.close();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
