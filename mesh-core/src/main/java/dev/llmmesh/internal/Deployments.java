package dev.llmmesh.internal;

import dev.llmmesh.catalog.Catalog;
import dev.llmmesh.client.ModelDescriptor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The mesh's model deployments, by id and in registration order, with their descriptors as the catalog has them. */
final class Deployments {
    private final Map<String, ModelRuntime> byId;
    private final List<ModelRuntime> all;
    private final Catalog catalog;

    Deployments(Map<String, ModelRuntime> byId, Catalog catalog) {
        this.byId = byId;
        this.all = List.copyOf(byId.values());
        this.catalog = catalog;
    }

    ModelRuntime get(String id) {
        return byId.get(id);
    }

    List<ModelRuntime> all() {
        return all;
    }

    /** The descriptor as the catalog holds it now (an operator may have changed its lifecycle or price). */
    ModelDescriptor descriptor(ModelRuntime rt) {
        return catalog.find(ModelDescriptor.class, rt.id).orElse(rt.client.descriptor());
    }

    /** How long until the first unhealthy model becomes routable again; null when none is unhealthy. */
    @Nullable Duration soonestHealthy(Instant now) {
        Duration best = null;
        for (ModelRuntime rt : all) {
            Instant until = rt.healthyAgainAt(now);
            if (until != null) {
                Duration d = Duration.between(now, until);
                if (best == null || d.compareTo(best) < 0) {
                    best = d;
                }
            }
        }
        return best;
    }
}
