package dev.llmmesh.catalog;

import dev.llmmesh.client.ModelDescriptor;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The registry of everything the mesh may use, keyed by item type and id. Thread-safe: registrations and lifecycle
 * changes may happen while calls are routed; each call sees a consistent item.
 *
 * <p>Models enter the catalog when they are added to the mesh; other modules register their own kinds
 * (tools, knowledge bases, agents). {@link #models()} starts a discovery query.
 */
public final class Catalog {
    private final Clock clock;
    private final Map<Class<?>, Map<String, CatalogItem>> items = new ConcurrentHashMap<>();

    public Catalog(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Adds an item.
     *
     * @throws IllegalArgumentException if an item of the same type and id is already registered
     */
    public <T extends CatalogItem> T register(T item) {
        Objects.requireNonNull(item, "item");
        Map<String, CatalogItem> byId = items.computeIfAbsent(item.getClass(), k -> new ConcurrentHashMap<>());
        CatalogItem previous = byId.putIfAbsent(item.id(), item);
        if (previous != null) {
            throw new IllegalArgumentException("duplicate " + kindName(item.getClass()) + " id \"" + item.id()
                    + "\"; ids must be unique");
        }
        return item;
    }

    /** The item of type {@code type} with {@code id}, if registered. */
    public <T extends CatalogItem> Optional<T> find(Class<T> type, String id) {
        Map<String, CatalogItem> byId = items.get(type);
        return byId == null ? Optional.empty() : Optional.ofNullable(type.cast(byId.get(id)));
    }

    /** All items of type {@code type}, in id order. */
    public <T extends CatalogItem> List<T> all(Class<T> type) {
        Map<String, CatalogItem> byId = items.get(type);
        if (byId == null) {
            return List.of();
        }
        List<T> out = new ArrayList<>(byId.size());
        byId.values().forEach(i -> out.add(type.cast(i)));
        out.sort(Comparator.comparing(CatalogItem::id));
        return out;
    }

    /** Moves an item to {@link LifecycleState#APPROVED}, recording {@code approver} and the time. */
    public <T extends CatalogItem> T approve(Class<T> type, String id, String approver) {
        return transition(type, id, LifecycleState.APPROVED, approver);
    }

    /** Moves an item to {@link LifecycleState#DEPRECATED}. */
    public <T extends CatalogItem> T deprecate(Class<T> type, String id, String who) {
        return transition(type, id, LifecycleState.DEPRECATED, who);
    }

    /** Moves an item to {@link LifecycleState#RETIRED}; it is never routed to again. */
    public <T extends CatalogItem> T retire(Class<T> type, String id, String who) {
        return transition(type, id, LifecycleState.RETIRED, who);
    }

    /**
     * Moves an item to {@code state}. Retired items stay retired.
     *
     * @throws IllegalArgumentException if no such item exists, or it is retired
     */
    public <T extends CatalogItem> T transition(Class<T> type, String id, LifecycleState state, String who) {
        Objects.requireNonNull(who, "who");
        Lifecycle next = Lifecycle.of(state, who, clock.instant());
        return replace(type, id, current -> {
            if (current.lifecycle().state() == LifecycleState.RETIRED && state != LifecycleState.RETIRED) {
                throw new IllegalArgumentException(kindName(type) + " \"" + id + "\" is retired; register a new one");
            }
            return withLifecycle(current, next);
        });
    }

    /** A discovery query over the registered models. */
    public ModelQuery models() {
        return new ModelQuery(all(ModelDescriptor.class));
    }

    /** A snapshot of item counts per kind, e.g. {@code {model=3, tool=2}}. */
    public Map<String, Integer> summary() {
        Map<String, Integer> out = new LinkedHashMap<>();
        items.forEach((k, v) -> out.put(kindName(k), v.size()));
        return out;
    }

    @SuppressWarnings("unchecked")
    private <T extends CatalogItem> T replace(Class<T> type, String id, UnaryOperator<T> change) {
        Map<String, CatalogItem> byId = items.get(type);
        if (byId == null || !byId.containsKey(id)) {
            throw new IllegalArgumentException("no " + kindName(type) + " with id \"" + id + "\" in the catalog");
        }
        return (T) byId.compute(id, (k, v) -> change.apply(type.cast(v)));
    }

    @SuppressWarnings("unchecked")
    private static <T extends CatalogItem> T withLifecycle(T item, Lifecycle lifecycle) {
        if (item instanceof ModelDescriptor m) {
            return (T) m.toBuilder().lifecycle(lifecycle).build();
        }
        if (item instanceof LifecycleAware<?> aware) {
            return (T) aware.withLifecycle(lifecycle);
        }
        throw new IllegalArgumentException(kindName(item.getClass()) + " does not support lifecycle changes; "
                + "implement LifecycleAware");
    }

    private static String kindName(Class<?> type) {
        String n = type.getSimpleName().replace("Descriptor", "").replace("Spec", "");
        return n.isEmpty() ? type.getName() : Character.toLowerCase(n.charAt(0)) + n.substring(1);
    }
}
