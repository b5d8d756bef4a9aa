package dev.llmmesh.catalog;

import dev.llmmesh.DataClass;
import dev.llmmesh.client.Capability;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.client.Pricing;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A discovery query over the catalog's models, e.g.
 * <pre>{@code
 * catalog.models().approved().with(Capability.TOOLS).minContextWindow(100_000).ownedBy("search").cheapestFirst().list();
 * }</pre>
 * Each method returns a new query; instances are immutable and thread-safe.
 */
public final class ModelQuery {
    private final List<ModelDescriptor> models;
    private final Predicate<ModelDescriptor> filter;
    private final Comparator<ModelDescriptor> order;

    ModelQuery(List<ModelDescriptor> models) {
        this(models, m -> true, Comparator.comparing(ModelDescriptor::id));
    }

    private ModelQuery(List<ModelDescriptor> models, Predicate<ModelDescriptor> filter, Comparator<ModelDescriptor> order) {
        this.models = models;
        this.filter = filter;
        this.order = order;
    }

    private ModelQuery and(Predicate<ModelDescriptor> p) {
        return new ModelQuery(models, filter.and(p), order);
    }

    /** Only approved models. */
    public ModelQuery approved() {
        return and(m -> m.lifecycle().state() == LifecycleState.APPROVED);
    }

    /** Only models that may be routed to (approved or deprecated). */
    public ModelQuery usable() {
        return and(m -> m.lifecycle().state().usable());
    }

    /** Only models in {@code state}. */
    public ModelQuery inState(LifecycleState state) {
        return and(m -> m.lifecycle().state() == state);
    }

    /** Only models with every capability given. */
    public ModelQuery with(Capability... capabilities) {
        Set<Capability> need = capabilities.length == 0 ? Set.of() : EnumSet.of(capabilities[0], capabilities);
        return and(m -> m.capabilities().containsAll(need));
    }

    /** Only models with a context window of at least {@code tokens}. */
    public ModelQuery minContextWindow(int tokens) {
        return and(m -> m.contextWindow() >= tokens);
    }

    /** Only models that may receive data of {@code dataClass}. */
    public ModelQuery admitting(DataClass dataClass) {
        return and(m -> m.maxDataClass().admits(dataClass));
    }

    /** Only models owned by {@code domain}. */
    public ModelQuery ownedBy(String domain) {
        return and(m -> m.owner().domain().equals(domain));
    }

    /** Only models of {@code provider}. */
    public ModelQuery provider(String provider) {
        return and(m -> m.provider().equals(provider));
    }

    /** Only models with tag {@code tag}. */
    public ModelQuery tagged(String tag) {
        return and(m -> m.tags().contains(tag));
    }

    /** Only models in {@code region}. */
    public ModelQuery inRegion(String region) {
        return and(m -> m.region().map(region::equals).orElse(false));
    }

    /** Only models matching {@code predicate} (for rules this query has no method for, such as team policy). */
    public ModelQuery where(Predicate<ModelDescriptor> predicate) {
        return and(Objects.requireNonNull(predicate, "predicate"));
    }

    /**
     * Orders by a blended price (3 input tokens per output token), cheapest first; models without a price come
     * last, because unknown is not cheap.
     */
    public ModelQuery cheapestFirst() {
        Comparator<ModelDescriptor> byPrice = Comparator.comparing(
                (ModelDescriptor m) -> m.pricing().map(ModelQuery::blended).orElse(null),
                Comparator.nullsLast(Comparator.naturalOrder()));
        return new ModelQuery(models, filter, byPrice.thenComparing(ModelDescriptor::id));
    }

    /** Orders by context window, largest first. */
    public ModelQuery largestContextFirst() {
        return new ModelQuery(models, filter,
                Comparator.comparingInt(ModelDescriptor::contextWindow).reversed().thenComparing(ModelDescriptor::id));
    }

    /** Runs the query. */
    public List<ModelDescriptor> list() {
        List<ModelDescriptor> out = new ArrayList<>();
        for (ModelDescriptor m : models) {
            if (filter.test(m)) {
                out.add(m);
            }
        }
        out.sort(order);
        return List.copyOf(out);
    }

    private static BigDecimal blended(Pricing p) {
        return p.inputPerMillion().multiply(BigDecimal.valueOf(3)).add(p.outputPerMillion());
    }
}
