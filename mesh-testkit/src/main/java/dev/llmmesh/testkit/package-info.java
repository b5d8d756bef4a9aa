/**
 * Test support for LLM Mesh and for applications that use it. Everything here is meant for test code:
 * <ul>
 *   <li>{@link dev.llmmesh.testkit.ManualClock}: a clock tests move by hand, so cooldowns, windows and budgets are
 *       tested without sleeping;</li>
 *   <li>{@link dev.llmmesh.testkit.ScriptedLlmClient}: an in-process {@link dev.llmmesh.client.LlmClient} that answers,
 *       fails, calls tools or cuts streams as scripted, per call;</li>
 *   <li>{@link dev.llmmesh.testkit.SimulatedProvider}s: real HTTP servers on loopback speaking each provider's wire
 *       protocol, all following the same fault scripts ({@link dev.llmmesh.testkit.SimulatedOpenAiServer.Behavior}:
 *       429 with Retry-After, 5xx, hangs, latency, cut streams, errors inside a 200 stream, malformed bodies):
 *       {@link dev.llmmesh.testkit.SimulatedOpenAiServer} (OpenAI chat completions, JSON and SSE; also Azure's
 *       deployment URLs and Mistral's dialect), {@link dev.llmmesh.testkit.SimulatedAnthropicServer}
 *       ({@code /v1/messages}, JSON and SSE), {@link dev.llmmesh.testkit.SimulatedOllamaServer} ({@code /api/chat},
 *       JSON and NDJSON), {@link dev.llmmesh.testkit.SimulatedGeminiServer} ({@code generateContent}, JSON and CRLF
 *       SSE);</li>
 *   <li>{@link dev.llmmesh.testkit.LlmClientContractTest}: the contract test base every
 *       {@link dev.llmmesh.client.LlmClient} passes against its simulator (answers, streams, tools, errors, time,
 *       cancellation, keys);</li>
 *   <li>{@link dev.llmmesh.testkit.MeshArchitecture}: the ArchUnit rules that keep every module depending on core
 *       only.</li>
 * </ul>
 * Nothing in this package logs request contents or credentials.
 */
@NullMarked
package dev.llmmesh.testkit;

import org.jspecify.annotations.NullMarked;
