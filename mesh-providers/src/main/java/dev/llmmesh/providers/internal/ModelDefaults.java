package dev.llmmesh.providers.internal;

import dev.llmmesh.client.Capability;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.config.ConfigNode;
import dev.llmmesh.providers.ModelFacts;
import dev.llmmesh.providers.PriceTable;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Fills in what the operator did not say about a deployment from the built-in {@link PriceTable}: pricing, context
 * window, maximum output and capabilities. Whatever the operator set wins. A model the table does not list keeps no
 * price (its cost is unknown, never zero). Stateless and thread-safe.
 */
public final class ModelDefaults {
    private ModelDefaults() {
    }

    /**
     * A descriptor for deployment {@code id} of {@code modelName}: the table's facts when it lists the model, else
     * {@code fallbackCapabilities} and the {@link ModelDescriptor.Builder} defaults, without a price.
     */
    public static ModelDescriptor forModel(String id, String provider, String modelName,
                                           Set<Capability> fallbackCapabilities) {
        Optional<ModelFacts> facts = PriceTable.builtIn().find(provider, modelName);
        if (facts.isPresent()) {
            ModelFacts f = facts.get();
            ModelDescriptor.Builder b = ModelDescriptor.builder(id, provider, modelName)
                    .capabilities(f.capabilities())
                    .contextWindow(f.contextWindow())
                    .maxOutputTokens(f.maxOutputTokens());
            f.pricing().ifPresent(b::pricing);
            return b.build();
        }
        return ModelDescriptor.builder(id, provider, modelName).capabilities(fallbackCapabilities).build();
    }

    /** {@code d} with the table's price when it has none and the table lists its model. */
    public static ModelDescriptor withTablePricing(ModelDescriptor d) {
        if (d.pricing().isPresent()) {
            return d;
        }
        return PriceTable.builtIn().find(d.provider(), d.modelName()).flatMap(ModelFacts::pricing)
                .map(p -> d.toBuilder().pricing(p).build())
                .orElse(d);
    }

    /**
     * {@code d} as {@code mesh.yaml}'s core keys described it, completed from the table for the keys the entry does not
     * set ({@code pricing}, {@code contextWindow}, {@code maxOutputTokens}, {@code capabilities}). Reads nothing from
     * {@code settings}.
     */
    public static ModelDescriptor fromConfig(ModelDescriptor d, ConfigNode settings) {
        Optional<ModelFacts> found = PriceTable.builtIn().find(d.provider(), d.modelName());
        if (found.isEmpty()) {
            return d;
        }
        ModelFacts f = found.get();
        ModelDescriptor.Builder b = d.toBuilder();
        if (!settings.has("pricing")) {
            f.pricing().ifPresent(b::pricing);
        }
        boolean contextSet = settings.has("contextWindow");
        boolean maxOutSet = settings.has("maxOutputTokens");
        int context = contextSet ? d.contextWindow() : f.contextWindow();
        int maxOut = maxOutSet ? d.maxOutputTokens() : Math.min(f.maxOutputTokens(), context);
        if (maxOut > context) {
            context = Math.max(context, maxOut); // only when the operator raised maxOutputTokens past the table
        }
        b.contextWindow(context).maxOutputTokens(maxOut);
        if (!settings.has("capabilities")) {
            Set<Capability> caps = EnumSet.copyOf(f.capabilities());
            b.capabilities(caps);
        }
        return b.build();
    }
}
