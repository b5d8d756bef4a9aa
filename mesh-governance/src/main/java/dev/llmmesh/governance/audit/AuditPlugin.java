package dev.llmmesh.governance.audit;

import dev.llmmesh.MeshBuilder;
import dev.llmmesh.MeshPlugin;
import dev.llmmesh.governance.internal.audit.AuditInterceptor;
import dev.llmmesh.governance.internal.audit.Delivery;
import dev.llmmesh.governance.internal.audit.Outbox;
import dev.llmmesh.governance.internal.audit.RecordBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log, as a {@link MeshPlugin}: one {@link AuditRecord} per logical call, answered or failed, denials
 * included, written to a durable outbox before the call returns and delivered at least once to an
 * {@link AuditSink}.
 * <pre>{@code
 * FileAuditSink sink = FileAuditSink.builder(Path.of("/var/log/mesh/audit.jsonl"), Secret.env("AUDIT_HMAC_KEY")).open();
 * AuditPlugin audit = AuditPlugin.open(AuditConfig.builder(Path.of("/var/lib/mesh/audit-outbox"), sink).build());
 * Mesh mesh = Mesh.builder().install(audit).install(budgets).addModel(model).build();   // audit first
 * ...
 * mesh.close();    // also closes the audit plugin: delivers what is pending, signs the tail, closes the sink
 * }</pre>
 *
 * <p><b>Order:</b> its interceptor always runs before every other call interceptor (it registers with
 * {@code MeshBuilder.addCallInterceptorFirst}), so it sees calls that later interceptors (policy, budgets, rate limits)
 * refuse, whatever order plugins or {@code mesh.yaml} sections are installed in.
 *
 * <p><b>Lifecycle:</b> {@link #open} recovers the outbox (records a crashed process left are delivered again; the
 * sink drops duplicates). A background thread delivers every {@link AuditConfig#deliveryInterval()};
 * {@link #flush()} delivers now. {@link dev.llmmesh.Mesh#close()} closes this plugin (delivers what is pending, signs the tail, closes the sink)
 * before the model clients; {@link #close()} is idempotent, and {@link AuditConfig#drainOnShutdown()} adds a JVM
 * shutdown hook that does the same on SIGTERM.
 * Records not delivered by then stay in the outbox for the next start: nothing is dropped.
 *
 * <p>Thread-safe. Install once, on one builder.
 *
 * @see dev.llmmesh.Mesh#close()
 */
public final class AuditPlugin implements MeshPlugin, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditPlugin.class);

    private final AuditConfig config;
    private final Outbox outbox;
    private final Delivery delivery;
    private volatile @Nullable AuditInterceptor interceptor;
    private @Nullable ScheduledExecutorService scheduler;
    private @Nullable Thread shutdownHook;
    private boolean closed;

    private AuditPlugin(AuditConfig config, Outbox outbox) {
        this.config = config;
        this.outbox = outbox;
        this.delivery = new Delivery(outbox, config.sink(), config.batchSize());
    }

    /**
     * Opens the outbox of {@code config} (recovering what a previous process left) and returns the plugin to install.
     *
     * @throws java.io.UncheckedIOException if the outbox directory cannot be opened
     */
    public static AuditPlugin open(AuditConfig config) {
        Objects.requireNonNull(config, "config");
        Outbox outbox = Outbox.open(config.outboxDir(), config.maxPending(), config.segmentRecords(), config.fsync(),
                config.whenFull(), config.blockTimeout(), Clock.systemUTC());
        AuditPlugin plugin = new AuditPlugin(config, outbox);
        if (config.drainOnShutdown()) {
            Thread hook = new Thread(plugin::close, "llm-mesh-audit-drain");
            Runtime.getRuntime().addShutdownHook(hook);
            plugin.shutdownHook = hook;
        }
        return plugin;
    }

    /** The configuration. */
    public AuditConfig config() {
        return config;
    }

    /**
     * Registers the audit interceptor (first) and its listener, and starts background delivery.
     *
     * <p>The audit interceptor is registered with {@code addCallInterceptorFirst}, so it sees every call, including
     * those a later interceptor refuses, whatever order plugins (or {@code mesh.yaml} sections) are installed in; and
     * the plugin is closed (drained and signed) by {@code Mesh.close()} through {@code MeshBuilder.onClose}.
     *
     * @throws IllegalStateException if this plugin is already installed or closed
     */
    @Override
    public synchronized void install(MeshBuilder builder) {
        if (closed) {
            throw new IllegalStateException("this AuditPlugin is closed; open a new one");
        }
        if (interceptor != null) {
            throw new IllegalStateException("this AuditPlugin is already installed on a mesh builder; "
                    + "open one plugin per mesh");
        }
        RecordBuilder records = new RecordBuilder(config.identity(), config.contentTeams(), builder.catalog());
        AuditInterceptor i = new AuditInterceptor(outbox, records, builder.clock(), config.whenFull());
        builder.addCallInterceptorFirst(i);
        builder.addListener(i);
        builder.onClose(this);
        interceptor = i;
        Duration every = config.deliveryInterval();
        if (!every.isZero()) {
            ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "llm-mesh-audit-delivery");
                t.setDaemon(true);
                return t;
            });
            s.scheduleWithFixedDelay(this::deliverQuietly, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
            scheduler = s;
        }
    }

    /**
     * Delivers every pending record now (until the outbox is empty or the sink stops taking records), then asks the
     * sink to make it durable and signed ({@link AuditSink#flush()}).
     *
     * @return what was delivered and what is left
     */
    public DeliveryReport flush() {
        DeliveryReport r = delivery.deliverAll();
        try {
            config.sink().flush();
        } catch (RuntimeException e) {
            LOG.warn("audit sink flush failed: {}", e.getClass().getName());
        }
        return r;
    }

    /** Where the pipeline stands. */
    public AuditStats stats() {
        AuditInterceptor i = interceptor;
        return new AuditStats(outbox.pending(), outbox.reserved(), outbox.waiting(), delivery.delivered(),
                outbox.deadLettered(), i == null ? 0 : i.lost(), delivery.lastError());
    }

    /** The dead-letter file (JSONL: sequence, time, reason, and the record). */
    public java.nio.file.Path deadLetterFile() {
        return outbox.deadLetterFile();
    }

    /**
     * Stops background delivery, delivers what is pending for up to {@link AuditConfig#closeTimeout()}, signs the tail
     * and closes the sink and the outbox. Records left undelivered stay in the outbox for the next {@link #open}.
     * Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        ScheduledExecutorService s = scheduler;
        if (s != null) {
            s.shutdown();
            try {
                s.awaitTermination(config.closeTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        long deadline = System.nanoTime() + config.closeTimeout().toNanos();
        DeliveryReport last = delivery.deliverAll();
        while (!last.drained() && last.error().isEmpty() && System.nanoTime() < deadline) {
            last = delivery.deliverAll();
        }
        if (!last.drained()) {
            LOG.warn("audit: {} record(s) left in the outbox {} at close ({}); they are delivered on the next start",
                    last.pending(), config.outboxDir(), last.error().orElse("time is up"));
        }
        try {
            config.sink().close();
        } catch (RuntimeException e) {
            LOG.warn("closing the audit sink failed: {}", e.getClass().getName());
        }
        outbox.close();
        Thread hook = shutdownHook;
        if (hook != null && Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down; the hook runs close(), which returns at once
            }
        }
    }

    private void deliverQuietly() {
        try {
            DeliveryReport r = delivery.deliverAll();
            r.error().ifPresent(e -> LOG.debug("audit delivery: {} pending ({})", r.pending(), e));
        } catch (RuntimeException e) {
            LOG.warn("audit delivery failed: {}", e.getClass().getName());
        }
    }

    /** The error of the last delivery, if it stopped early. */
    public Optional<String> lastDeliveryError() {
        return delivery.lastError();
    }

    @Override
    public String toString() {
        return "AuditPlugin" + config;
    }
}
