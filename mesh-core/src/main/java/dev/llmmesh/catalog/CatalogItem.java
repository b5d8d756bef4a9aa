package dev.llmmesh.catalog;

/**
 * Anything the catalog lists: a model deployment, a tool, a knowledge base, an agent. Implementations are
 * immutable values; modules add their own kinds (tools, knowledge bases, agents) by implementing this.
 */
public interface CatalogItem {
    /** Unique among items of the same type. */
    String id();

    /** What it is for. */
    String description();

    /** The domain and team that own it. */
    Ownership owner();

    /** Where it is in its life, and who approved it. */
    Lifecycle lifecycle();
}
