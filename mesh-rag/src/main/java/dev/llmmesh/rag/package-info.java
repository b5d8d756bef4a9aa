/**
 * LLM Mesh rag module. See the README's module table for what it holds and which issue fills it in.
 */
@NullMarked
package dev.llmmesh.rag;

import org.jspecify.annotations.NullMarked;
