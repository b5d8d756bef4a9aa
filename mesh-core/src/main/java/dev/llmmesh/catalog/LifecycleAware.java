package dev.llmmesh.catalog;

/**
 * A catalog item that can be copied with another lifecycle, so that {@link Catalog#approve} and friends work on it.
 *
 * @param <T> the item type itself
 */
public interface LifecycleAware<T extends CatalogItem> extends CatalogItem {
    /** A copy of this item in {@code lifecycle}. */
    T withLifecycle(Lifecycle lifecycle);
}
