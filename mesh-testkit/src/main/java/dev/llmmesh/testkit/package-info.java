/**
 * Test support for LLM Mesh and for applications that use it. Everything here is meant for test code:
 * <ul>
 *   <li>{@link dev.llmmesh.testkit.ManualClock}: a clock tests move by hand, so cooldowns, windows and budgets are
 *       tested without sleeping;</li>
 *   <li>{@link dev.llmmesh.testkit.ScriptedLlmClient}: an in-process {@link dev.llmmesh.client.LlmClient} that answers,
 *       fails, calls tools or cuts streams as scripted, per call;</li>
 *   <li>{@link dev.llmmesh.testkit.SimulatedOpenAiServer}: a real HTTP server on loopback speaking the OpenAI
 *       chat-completions protocol (JSON and SSE), with scripted faults: 429 with Retry-After, 5xx, hangs, latency,
 *       cut streams, malformed bodies;</li>
 *   <li>{@link dev.llmmesh.testkit.MeshArchitecture}: the ArchUnit rules that keep every module depending on core
 *       only.</li>
 * </ul>
 * Nothing in this package logs request contents or credentials.
 */
@NullMarked
package dev.llmmesh.testkit;

import org.jspecify.annotations.NullMarked;
