package dev.llmmesh.governance.ratelimit;

import dev.llmmesh.MeshBuilder;
import dev.llmmesh.config.ConfigNode;
import dev.llmmesh.config.MeshConfigurer;
import dev.llmmesh.governance.budget.Scope;
import dev.llmmesh.governance.internal.budget.ConfigReading;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads the {@code rateLimits:} section of {@code mesh.yaml} and installs a {@link RateLimitPlugin}:
 * <pre>{@code
 * rateLimits:
 *   assumedOutputTokens: 256        # counted at admission when a request sets no max_tokens
 *   onStoreFailure: local           # or fail_closed
 *   instances: 4                    # local fallback allows limit/instances per instance
 *   apiKeyAttribute: auth.key
 *   keyPepper: ${MESH_KEY_PEPPER}
 *   limits:
 *     - {scope: team, rpm: 600, tpm: 100000}          # every team, separately
 *     - {scope: team, subject: search, rpm: 1200}
 *     - {scope: org, tpm: 2000000}
 *   models:
 *     - {model: gpt-4o, rpm: 500, tpm: 30000}
 *     - {rpm: 1000}                                    # every other model
 * }</pre>
 * Registered through {@link java.util.ServiceLoader}. Stateless.
 */
public final class RateLimitsConfigurer implements MeshConfigurer {

    @Override
    public String section() {
        return "rateLimits";
    }

    @Override
    public void configure(ConfigNode section, MeshBuilder builder) {
        RateLimitConfig config = read(section);
        List<ConfigNode> entries = section.nodeList("models");
        for (int i = 0; i < entries.size(); i++) {
            Optional<String> model = entries.get(i).optionalString("model");
            if (model.isPresent() && builder.models().stream().noneMatch(c -> c.descriptor().answersTo(model.get()))) {
                throw entries.get(i).error("model", "no model is called \"" + model.get() + "\"; known ids: "
                        + String.join(", ", builder.models().stream().map(c -> c.descriptor().id()).toList())
                        + " (a limit on a model that does not exist limits nothing)");
            }
        }
        builder.install(RateLimitPlugin.of(config));
        section.requireNoUnknownKeys();
    }

    /**
     * The configuration the section describes.
     *
     * @throws dev.llmmesh.config.MeshConfigException naming the path of the first bad value
     */
    public static RateLimitConfig read(ConfigNode section) {
        RateLimitConfig.Builder b = RateLimitConfig.builder();
        b.assumedOutputTokens(section.integer("assumedOutputTokens", 256, 0));
        b.onStoreFailure(section.enumValue("onStoreFailure", RateLimitStoreFailure.class, RateLimitStoreFailure.LOCAL));
        b.instances(section.integer("instances", 1, 1));
        b.identity(ConfigReading.identity(section));
        for (ConfigNode l : section.nodeList("limits")) {
            Scope scope = ConfigReading.scope(l, "scope");
            Optional<String> subject = l.optionalString("subject");
            OptionalLong rpm = optionalLong(l, "rpm");
            OptionalLong tpm = optionalLong(l, "tpm");
            try {
                b.limit(new RateLimit(scope, subject, rpm, tpm));
            } catch (IllegalArgumentException e) {
                throw l.error(e.getMessage());
            }
        }
        for (ConfigNode m : section.nodeList("models")) {
            Optional<String> model = m.optionalString("model");
            OptionalLong rpm = optionalLong(m, "rpm");
            OptionalLong tpm = optionalLong(m, "tpm");
            try {
                b.modelLimit(new ModelRateLimit(model, rpm, tpm));
            } catch (IllegalArgumentException e) {
                throw m.error(e.getMessage());
            }
        }
        return b.build();
    }

    private static OptionalLong optionalLong(ConfigNode node, String key) {
        Optional<Long> v = node.optionalLong(key, 1);
        return v.isPresent() ? OptionalLong.of(v.get()) : OptionalLong.empty();
    }
}
