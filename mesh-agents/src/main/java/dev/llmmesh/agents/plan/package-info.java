/**
 * The layered pattern: a planner produces a typed {@link dev.llmmesh.agents.plan.Plan} through JSON-schema
 * structured output, executors run its steps through tools and agents, and a step that keeps failing triggers a
 * bounded number of replans. Entry point: {@link dev.llmmesh.agents.plan.LayeredOrchestrator}.
 */
@NullMarked
package dev.llmmesh.agents.plan;

import org.jspecify.annotations.NullMarked;
