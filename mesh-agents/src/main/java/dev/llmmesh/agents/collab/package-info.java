/**
 * The collaboration network: agents take turns (round robin or chosen by a selector) posting to a shared
 * {@link dev.llmmesh.agents.collab.Blackboard} until a goal check passes, the rounds run out or the budget does.
 * Entry point: {@link dev.llmmesh.agents.collab.Collaboration}.
 */
@NullMarked
package dev.llmmesh.agents.collab;

import org.jspecify.annotations.NullMarked;
