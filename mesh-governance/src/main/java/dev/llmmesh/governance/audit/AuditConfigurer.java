package dev.llmmesh.governance.audit;

import dev.llmmesh.MeshBuilder;
import dev.llmmesh.config.ConfigNode;
import dev.llmmesh.state.StateStore;
import dev.llmmesh.config.MeshConfigurer;
import dev.llmmesh.governance.internal.budget.ConfigReading;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Reads the {@code audit:} section of {@code mesh.yaml}, opens a {@link FileAuditSink} and an {@link AuditPlugin},
 * and installs it. Put {@code audit:} before every section that adds call interceptors ({@code governance:},
 * {@code budgets:}, {@code rateLimits:}, ...), so that calls they refuse are audited.
 * <pre>{@code
 * audit:
 *   log: /var/log/mesh/audit.jsonl
 *   checkpoints: /mnt/worm/mesh/audit.checkpoints   # default: <log>.checkpoints; keep it on other storage
 *   hmacKey: ${AUDIT_HMAC_KEY}
 *   outboxDir: /var/lib/mesh/audit-outbox
 *   anchor: /mnt/other-account/mesh/audit.anchor    # optional: the newest checkpoint, where the mesh cannot rewrite it
 *   # or, instead of anchor: the newest checkpoint in the mesh's state store (a shared Redis store in a fleet;
 *   # put the state: section before audit:)
 *   # anchorStoreKey: audit/anchor/orders-service
 *   checkpointEvery: 1000
 *   checkpointInterval: 1m
 *   maxPending: 100000
 *   whenFull: block            # or fail_closed
 *   blockTimeout: 30s
 *   deliveryInterval: 1s
 *   batchSize: 500
 *   fsync: false
 *   includeContentForTeams: [legal]
 *   drainOnShutdown: true      # a JVM shutdown hook delivers what is pending (SIGTERM)
 *   closeTimeout: 25s
 *   apiKeyAttribute: auth.key
 *   keyPepper: ${MESH_KEY_PEPPER}
 * }</pre>
 * With {@code mesh.yaml} there is no plugin object to close: {@code drainOnShutdown} (on by default here) closes it
 * when the JVM exits. Registered through {@link java.util.ServiceLoader}. Stateless.
 */
public final class AuditConfigurer implements MeshConfigurer {

    @Override
    public String section() {
        return "audit";
    }

    @Override
    public void configure(ConfigNode section, MeshBuilder builder) {
        AuditPlugin plugin = AuditPlugin.open(read(section, section.has("anchorStoreKey") ? builder.stateStore() : null));
        try {
            builder.install(plugin);
        } catch (RuntimeException e) {
            plugin.close();
            throw e;
        }
    }

    /** The shortest HMAC key accepted from {@code mesh.yaml}. */
    static final int MIN_KEY_BYTES = 16;

    /**
     * Opens the sink the section describes and returns the plugin configuration.
     *
     * @throws dev.llmmesh.config.MeshConfigException naming the path of the first bad value
     */
    public static AuditConfig read(ConfigNode section) {
        return read(section, null);
    }

    /**
     * As {@link #read(ConfigNode)}, with the state store that {@code anchorStoreKey} refers to.
     *
     * @throws dev.llmmesh.config.MeshConfigException naming the path of the first bad value
     */
    public static AuditConfig read(ConfigNode section, @org.jspecify.annotations.Nullable StateStore store) {
        Path log = path(section, "log");
        var hmacKey = section.secret("hmacKey");
        int keyBytes = hmacKey.reveal().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (keyBytes < MIN_KEY_BYTES) {
            throw section.error("hmacKey", "must have at least " + MIN_KEY_BYTES + " bytes, got " + keyBytes
                    + "; use 32 random bytes, e.g. the output of `openssl rand -hex 32`");
        }
        int checkpointEvery = section.integer("checkpointEvery", 1000, 1);
        boolean fsync = section.bool("fsync", false);
        Path checkpoints = section.has("checkpoints") ? path(section, "checkpoints")
                : FileAuditSink.defaultCheckpoints(log);
        Path anchor = section.has("anchor") ? path(section, "anchor") : null;
        String anchorKey = section.optionalString("anchorStoreKey").orElse(null);
        if (anchorKey != null && anchor != null) {
            throw section.error("anchorStoreKey", "give either anchor (a file) or anchorStoreKey (the state store), "
                    + "not both");
        }
        if (anchorKey != null && anchorKey.isBlank()) {
            throw section.error("anchorStoreKey", "must not be blank; e.g. audit/anchor/<service name>");
        }
        if (anchorKey != null && store == null) {
            throw section.error("anchorStoreKey", "needs the mesh's state store: load the audit section through "
                    + "mesh.yaml (MeshConfig) or pass the store to AuditConfigurer.read(section, store)");
        }
        Duration interval = section.duration("checkpointInterval", Duration.ofMinutes(1));
        if (interval.isZero()) {
            throw section.error("checkpointInterval", "must be positive, got 0");
        }
        Path outbox = section.has("outboxDir") ? path(section, "outboxDir")
                : log.resolveSibling(log.getFileName() + ".outbox");
        int maxPending = section.integer("maxPending", 100_000, 1);
        WhenFull whenFull = section.enumValue("whenFull", WhenFull.class, WhenFull.BLOCK);
        Duration blockTimeout = section.duration("blockTimeout", Duration.ofSeconds(30));
        Duration deliveryInterval = section.duration("deliveryInterval", Duration.ofSeconds(1));
        int batchSize = section.integer("batchSize", 500, 1);
        Duration closeTimeout = section.duration("closeTimeout", Duration.ofSeconds(25));
        boolean drain = section.bool("drainOnShutdown", true);
        var identity = ConfigReading.identity(section);
        var teams = section.stringList("includeContentForTeams");
        section.requireNoUnknownKeys(); // before any file is opened
        FileAuditSink.Builder sinkBuilder = FileAuditSink.builder(log, hmacKey).checkpoints(checkpoints)
                .checkpointEvery(checkpointEvery).checkpointInterval(interval).fsync(fsync);
        if (anchor != null) {
            if (anchor.toAbsolutePath().normalize().equals(checkpoints.toAbsolutePath().normalize())
                    || anchor.toAbsolutePath().normalize().equals(log.toAbsolutePath().normalize())) {
                throw section.error("anchor", "must be another file than log and checkpoints (ideally on storage "
                        + "the mesh cannot rewrite)");
            }
            sinkBuilder.anchor(new FileAuditAnchor(anchor));
        }
        if (anchorKey != null) {
            sinkBuilder.anchor(new StateStoreAuditAnchor(store, anchorKey));
        }
        FileAuditSink sink = sinkBuilder.open();
        AuditConfig.Builder b = AuditConfig.builder(outbox, sink).maxPending(maxPending).whenFull(whenFull)
                .blockTimeout(blockTimeout).deliveryInterval(deliveryInterval).batchSize(batchSize).fsync(fsync)
                .closeTimeout(closeTimeout).drainOnShutdown(drain).identity(identity);
        teams.forEach(b::includeContentFor);
        return b.build();
    }

    private static Path path(ConfigNode section, String key) {
        String s = section.string(key);
        try {
            return Path.of(s);
        } catch (InvalidPathException e) {
            throw section.error(key, "not a valid file path: " + e.getReason());
        }
    }
}
