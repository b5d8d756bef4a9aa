package dev.llmmesh.client;

import dev.llmmesh.DataClass;
import dev.llmmesh.catalog.CatalogItem;
import dev.llmmesh.catalog.Lifecycle;
import dev.llmmesh.catalog.Ownership;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The facts the router and governance need about one model deployment. Immutable; copy with {@link #toBuilder()}.
 *
 * @param id              unique id of this deployment in the mesh, e.g. {@code openai-gpt-4o-mini}
 * @param provider        the provider name as in the OpenTelemetry GenAI conventions, e.g. {@code openai}
 * @param modelName       the provider's model name, e.g. {@code gpt-4o-mini}
 * @param description     what it is for (shown in the catalog)
 * @param capabilities    what it can do
 * @param contextWindow   maximum input plus output tokens
 * @param maxOutputTokens maximum output tokens per call
 * @param pricing         price per million tokens; empty means unknown (never assumed free)
 * @param region          where it runs, e.g. {@code eu-west}; empty when not said
 * @param maxDataClass    the most sensitive data it may receive
 * @param tags            free-form labels used for routing preferences, e.g. {@code fast}
 * @param aliases         other names a request may use for it in {@code modelName}
 * @param owner           the domain and team that own it
 * @param lifecycle       proposed, approved, deprecated or retired, with who approved it and when
 */
public record ModelDescriptor(String id, String provider, String modelName, String description,
                              Set<Capability> capabilities, int contextWindow, int maxOutputTokens,
                              Optional<Pricing> pricing, Optional<String> region, DataClass maxDataClass,
                              Set<String> tags, Set<String> aliases, Ownership owner, Lifecycle lifecycle)
        implements CatalogItem {

    public ModelDescriptor {
        requireText(id, "id");
        requireText(provider, "provider");
        requireText(modelName, "modelName");
        Objects.requireNonNull(description, "description");
        capabilities = capabilities.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(capabilities));
        if (contextWindow < 1) {
            throw new IllegalArgumentException("model " + id + ": contextWindow must be >= 1, got " + contextWindow);
        }
        if (maxOutputTokens < 1 || maxOutputTokens > contextWindow) {
            throw new IllegalArgumentException("model " + id + ": maxOutputTokens must be in [1, contextWindow="
                    + contextWindow + "], got " + maxOutputTokens);
        }
        Objects.requireNonNull(pricing, "pricing");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(maxDataClass, "maxDataClass");
        tags = Set.copyOf(tags);
        aliases = Set.copyOf(aliases);
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(lifecycle, "lifecycle");
    }

    /** A builder with id, provider and model name set; everything else has a default. */
    public static Builder builder(String id, String provider, String modelName) {
        return new Builder(id, provider, modelName);
    }

    public Builder toBuilder() {
        Builder b = new Builder(id, provider, modelName);
        b.description = description;
        b.capabilities = EnumSet.noneOf(Capability.class);
        b.capabilities.addAll(capabilities);
        b.contextWindow = contextWindow;
        b.maxOutputTokens = maxOutputTokens;
        b.pricing = pricing.orElse(null);
        b.region = region.orElse(null);
        b.maxDataClass = maxDataClass;
        b.tags = Set.copyOf(tags);
        b.aliases = Set.copyOf(aliases);
        b.owner = owner;
        b.lifecycle = lifecycle;
        return b;
    }

    public boolean has(Capability capability) {
        return capabilities.contains(capability);
    }

    /** Whether {@code name} is this model's id, provider model name or an alias. */
    public boolean answersTo(String name) {
        return id.equals(name) || modelName.equals(name) || aliases.contains(name);
    }

    private static void requireText(@Nullable String s, String what) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException("model " + what + " must not be blank");
        }
    }

    /**
     * Builds a {@link ModelDescriptor}. Defaults: capabilities {chat, streaming}, context window 8192, max output
     * 4096, no pricing, no region, data class {@link DataClass#PUBLIC}, owner {@link Ownership#UNOWNED}, lifecycle
     * approved. Not thread-safe.
     */
    public static final class Builder {
        private final String id;
        private final String provider;
        private final String modelName;
        private String description = "";
        private Set<Capability> capabilities = EnumSet.of(Capability.CHAT, Capability.STREAMING);
        private int contextWindow = 8192;
        private int maxOutputTokens = 4096;
        private @Nullable Pricing pricing;
        private @Nullable String region;
        private DataClass maxDataClass = DataClass.PUBLIC;
        private Set<String> tags = Set.of();
        private Set<String> aliases = Set.of();
        private Ownership owner = Ownership.UNOWNED;
        private Lifecycle lifecycle = Lifecycle.approvedByDefault();

        private Builder(String id, String provider, String modelName) {
            this.id = id;
            this.provider = provider;
            this.modelName = modelName;
        }

        public Builder description(String description) {
            this.description = Objects.requireNonNull(description, "description");
            return this;
        }

        /** Replaces the capability set. */
        public Builder capabilities(Capability... capabilities) {
            this.capabilities = capabilities.length == 0 ? EnumSet.noneOf(Capability.class)
                    : EnumSet.of(capabilities[0], capabilities);
            return this;
        }

        /** Replaces the capability set. */
        public Builder capabilities(Set<Capability> capabilities) {
            this.capabilities = capabilities.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(capabilities);
            return this;
        }

        public Builder contextWindow(int tokens) {
            this.contextWindow = tokens;
            return this;
        }

        public Builder maxOutputTokens(int tokens) {
            this.maxOutputTokens = tokens;
            return this;
        }

        public Builder pricing(Pricing pricing) {
            this.pricing = Objects.requireNonNull(pricing, "pricing");
            return this;
        }

        public Builder region(String region) {
            this.region = Objects.requireNonNull(region, "region");
            return this;
        }

        public Builder maxDataClass(DataClass dataClass) {
            this.maxDataClass = Objects.requireNonNull(dataClass, "maxDataClass");
            return this;
        }

        public Builder tags(String... tags) {
            this.tags = Set.of(tags);
            return this;
        }

        public Builder tags(Set<String> tags) {
            this.tags = Set.copyOf(tags);
            return this;
        }

        public Builder aliases(String... aliases) {
            this.aliases = Set.of(aliases);
            return this;
        }

        public Builder aliases(Set<String> aliases) {
            this.aliases = Set.copyOf(aliases);
            return this;
        }

        public Builder owner(Ownership owner) {
            this.owner = Objects.requireNonNull(owner, "owner");
            return this;
        }

        public Builder lifecycle(Lifecycle lifecycle) {
            this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the model and the field when a value is out of range
         */
        public ModelDescriptor build() {
            return new ModelDescriptor(id, provider, modelName, description, capabilities, contextWindow,
                    maxOutputTokens, Optional.ofNullable(pricing), Optional.ofNullable(region), maxDataClass, tags,
                    aliases, owner, lifecycle);
        }
    }
}
