/**
 * LLM Mesh agents module. See the README's module table for what it holds and which issue fills it in.
 */
@NullMarked
package dev.llmmesh.agents;

import org.jspecify.annotations.NullMarked;
