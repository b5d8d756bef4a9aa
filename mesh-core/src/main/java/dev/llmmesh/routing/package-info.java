/**
 * Routing: which registered model serves a call. The router applies hard filters (lifecycle, capabilities, context
 * window, data class, cooldown, {@link dev.llmmesh.routing.RouteFilter}s such as governance policy), scores the rest
 * by estimated cost, latency and recent success, and plans a primary plus fallbacks. Every decision is recorded in a
 * {@link dev.llmmesh.routing.RoutingDecision} that lists each candidate with its score or rejection reason.
 */
@NullMarked
package dev.llmmesh.routing;

import org.jspecify.annotations.NullMarked;
