/**
 * The catalog: every model deployment, tool, knowledge base and agent the mesh may use, as a product with an
 * owner and a lifecycle, and discovery queries over it ("approved models with tools and 100k context, cheapest
 * first").
 */
@NullMarked
package dev.llmmesh.catalog;

import org.jspecify.annotations.NullMarked;
