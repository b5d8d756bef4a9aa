/**
 * Budgets: spend limits per org, team, user, API key and agent run over calendar-aligned windows (minute, hour, day,
 * month, or the whole life of an agent run). A call reserves its worst-case cost in every scope at once, atomically,
 * through the mesh's {@link dev.llmmesh.state.StateStore}; after the call the reservation is settled to the cost the
 * mesh billed, on success, error, cancel and timeout alike. Install with
 * {@code Mesh.builder().install(BudgetPlugin.of(config))} or the {@code budgets:} section of {@code mesh.yaml}.
 *
 * <p>Amounts are US dollars as {@link java.math.BigDecimal}; the state store holds them as whole nano-dollars
 * (10<sup>-9</sup> USD) in {@code long} counters.
 */
@NullMarked
package dev.llmmesh.governance.budget;

import org.jspecify.annotations.NullMarked;
