/**
 * The star pattern: a hub with a registry of agents and their skills allocates each part of a request to one agent,
 * deterministically by skill match and score (cost and health of the agent's models), with an LLM only to break
 * ties, then aggregates the answers. Entry point: {@link dev.llmmesh.agents.hub.StarHub}.
 */
@NullMarked
package dev.llmmesh.agents.hub;

import org.jspecify.annotations.NullMarked;
