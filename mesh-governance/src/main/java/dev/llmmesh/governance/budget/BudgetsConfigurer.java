package dev.llmmesh.governance.budget;

import dev.llmmesh.MeshBuilder;
import dev.llmmesh.config.ConfigNode;
import dev.llmmesh.config.MeshConfigurer;
import dev.llmmesh.governance.internal.budget.ConfigReading;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * Reads the {@code budgets:} section of {@code mesh.yaml} and installs a {@link BudgetPlugin}:
 * <pre>{@code
 * budgets:
 *   timeZone: Europe/Paris          # windows align to local midnight / first of the month (default UTC)
 *   onStoreFailure: fail_closed     # or allow
 *   unpricedReservationUsd: 0.50    # reserve this for models without a price; absent = reject them
 *   maxOutputTokens: 4096           # cap per call (requests are clamped to it); optional
 *   teamMaxOutputTokens: {search: 1024}
 *   apiKeyAttribute: auth.key       # context attribute holding the caller's API key (hashed before use)
 *   agentRunAttribute: agents.run
 *   keyPepper: ${MESH_KEY_PEPPER}   # optional secret for API-key ids
 *   totalRetention: 30d             # how long agent-run totals are kept
 *   ledger: {folder: /var/lib/mesh/ledger, instance: api-1}   # durable spend record (one file per instance)
 *   limits:
 *     - {scope: org, window: month, usd: 5000}
 *     - {scope: team, window: day, usd: 25}                 # every team, separately
 *     - {scope: team, subject: search, window: day, usd: 10}
 *     - {scope: agentRun, window: total, usd: 2}
 * }</pre>
 * Registered through {@link java.util.ServiceLoader}. Stateless.
 */
public final class BudgetsConfigurer implements MeshConfigurer {

    @Override
    public String section() {
        return "budgets";
    }

    @Override
    public void configure(ConfigNode section, MeshBuilder builder) {
        BudgetConfig config = read(section, builder.clock().instant());
        config.ledger().ifPresent(builder::onClose);
        builder.install(BudgetPlugin.of(config));
        section.requireNoUnknownKeys();
    }

    /**
     * The configuration the section describes.
     *
     * @throws dev.llmmesh.config.MeshConfigException naming the path of the first bad value
     */
    public static BudgetConfig read(ConfigNode section) {
        return read(section, java.time.Instant.now());
    }

    /** This host's name, as a ledger instance name. */
    static String defaultInstance() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "instance";
            }
        }
        String clean = host.replaceAll("[^A-Za-z0-9._-]", "-");
        return clean.length() > 64 ? clean.substring(0, 64) : clean;
    }

    private static BudgetConfig read(ConfigNode section, java.time.Instant now) {
        BudgetConfig.Builder b = BudgetConfig.builder();
        b.zone(ConfigReading.zone(section, "timeZone"));
        b.onStoreFailure(section.enumValue("onStoreFailure", StoreFailureMode.class, StoreFailureMode.FAIL_CLOSED));
        Optional<BigDecimal> unpriced = section.optionalDecimal("unpricedReservationUsd", BigDecimal.ZERO);
        if (unpriced.isPresent()) {
            try {
                b.unpricedReservation(unpriced.get());
            } catch (IllegalArgumentException e) {
                throw ConfigReading.invalid(section, "unpricedReservationUsd", e);
            }
        }
        section.optionalInteger("maxOutputTokens", 1).ifPresent(b::maxOutputTokens);
        Optional<ConfigNode> perTeam = section.optionalChild("teamMaxOutputTokens");
        if (perTeam.isPresent()) {
            for (String team : perTeam.get().keys()) {
                b.teamMaxOutputTokens(team, perTeam.get().integer(team, 1));
            }
        }
        b.identity(ConfigReading.identity(section));
        section.optionalChild("ledger").ifPresent(l -> {
            String folder = l.string("folder");
            String instance = l.string("instance", defaultInstance());
            try {
                b.ledger(FileSpendLedger.open(java.nio.file.Path.of(folder), instance, now));
            } catch (IllegalArgumentException e) {
                throw l.error("instance", e.getMessage());
            } catch (java.io.UncheckedIOException e) {
                throw l.error("folder", "cannot be written (" + e.getCause().getClass().getSimpleName()
                        + "); give a folder every instance of the fleet can write, e.g. on a shared volume");
            }
            l.requireNoUnknownKeys();
        });
        section.optionalDuration("totalRetention").ifPresent(d -> {
            try {
                b.totalRetention(d);
            } catch (IllegalArgumentException e) {
                throw ConfigReading.invalid(section, "totalRetention", e);
            }
        });
        List<ConfigNode> limits = section.nodeList("limits");
        for (ConfigNode l : limits) {
            Scope scope = ConfigReading.scope(l, "scope");
            BudgetWindow window = ConfigReading.window(l, "window");
            BigDecimal usd = l.decimal("usd", BigDecimal.ZERO);
            Optional<String> subject = l.optionalString("subject");
            try {
                b.limit(new BudgetLimit(scope, subject, window, usd));
            } catch (IllegalArgumentException e) {
                throw l.error(e.getMessage());
            }
        }
        return b.build();
    }
}
