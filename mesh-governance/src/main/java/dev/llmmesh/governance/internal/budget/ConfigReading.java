package dev.llmmesh.governance.internal.budget;

import dev.llmmesh.config.ConfigNode;
import dev.llmmesh.governance.budget.BudgetWindow;
import dev.llmmesh.governance.budget.Scope;
import dev.llmmesh.governance.budget.ScopeIdentity;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

/** Readers for settings the {@code budgets:}, {@code rateLimits:} and {@code audit:} sections share. */
public final class ConfigReading {
    private ConfigReading() {
    }

    /** {@code timeZone: Europe/Paris}; UTC when absent. */
    public static ZoneId zone(ConfigNode node, String key) {
        Optional<String> z = node.optionalString(key);
        if (z.isEmpty()) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(z.get().trim());
        } catch (DateTimeException e) {
            throw node.error(key, "unknown time zone \"" + z.get() + "\"; use an IANA id such as Europe/Paris, "
                    + "America/New_York or UTC");
        }
    }

    /** {@code scope: team}, required. */
    public static Scope scope(ConfigNode node, String key) {
        String s = node.string(key);
        try {
            return Scope.parse(s);
        } catch (IllegalArgumentException e) {
            throw node.error(key, e.getMessage());
        }
    }

    /** {@code window: day}, required. */
    public static BudgetWindow window(ConfigNode node, String key) {
        String s = node.string(key);
        try {
            return BudgetWindow.parse(s);
        } catch (IllegalArgumentException e) {
            throw node.error(key, e.getMessage());
        }
    }

    /** {@code apiKeyAttribute}, {@code agentRunAttribute} and {@code keyPepper} (a secret), all optional. */
    public static ScopeIdentity identity(ConfigNode node) {
        String apiKey = node.string("apiKeyAttribute", ScopeIdentity.DEFAULT_API_KEY_ATTRIBUTE);
        String run = node.string("agentRunAttribute", ScopeIdentity.DEFAULT_AGENT_RUN_ATTRIBUTE);
        return ScopeIdentity.of(apiKey, run, node.optionalSecret("keyPepper"));
    }

    /** Rethrows a builder's validation error as a configuration error naming {@code key}. */
    public static RuntimeException invalid(ConfigNode node, String key, IllegalArgumentException e) {
        return node.error(key, e.getMessage());
    }
}
