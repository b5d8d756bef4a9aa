/**
 * Agents and their runs: an agent is a catalog entry ({@link dev.llmmesh.agents.AgentSpec}) whose every step is a
 * mesh call, so routing, fallback, policy and budgets apply per step. {@link dev.llmmesh.agents.AgentRuntime} runs
 * the tool-calling loop; {@link dev.llmmesh.agents.AgentRun} carries one run's id, limits and
 * {@link dev.llmmesh.agents.RunTrace}. The patterns live in {@code hub} (star), {@code plan} (layered) and
 * {@code collab} (collaboration network); tools in {@code tool}.
 */
@NullMarked
package dev.llmmesh.agents;

import org.jspecify.annotations.NullMarked;
