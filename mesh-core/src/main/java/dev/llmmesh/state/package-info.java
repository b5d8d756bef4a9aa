/**
 * Shared state for budgets, rate limits, cooldowns and health: the {@link dev.llmmesh.state.StateStore} SPI and its
 * in-memory implementation. Operations are whole transactions (add-if-within-limits across several keys,
 * compare-and-set), never get-then-set, so that a Redis implementation can run each as one Lua script.
 */
@NullMarked
package dev.llmmesh.state;

import org.jspecify.annotations.NullMarked;
