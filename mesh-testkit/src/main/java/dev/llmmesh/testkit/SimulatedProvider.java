package dev.llmmesh.testkit;

import dev.llmmesh.testkit.SimulatedOpenAiServer.Behavior;
import dev.llmmesh.testkit.SimulatedOpenAiServer.RecordedRequest;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * A real HTTP server on loopback that speaks one provider's wire protocol and follows the same fault scripts
 * ({@link Behavior}) as every other simulated provider: answers, tool calls, usage with cached and reasoning tokens,
 * HTTP errors with the provider's own error envelope, hangs, latency, cut streams, errors inside a 200 stream and
 * malformed bodies. Implementations: {@link SimulatedOpenAiServer} (also Azure's and Mistral's dialect),
 * {@link SimulatedAnthropicServer}, {@link SimulatedOllamaServer}, {@link SimulatedGeminiServer}.
 *
 * <p>Each chat request takes the next queued behaviour, or the default one once the queue is empty. Every request is
 * recorded with credential headers masked. Thread-safe; usable until {@link #close()}, which releases hanging requests.
 */
public interface SimulatedProvider extends AutoCloseable {

    /** The base URL the provider's client takes, e.g. {@code http://127.0.0.1:53124/v1}. */
    URI baseUrl();

    /** The port the server listens on. */
    int port();

    /** Queues behaviours for the next chat requests, in order. */
    SimulatedProvider enqueue(Behavior... behaviors);

    /** Replaces the behaviour used once the queue is empty. */
    SimulatedProvider setDefault(Behavior behavior);

    /** Every request received (all paths), in arrival order. A snapshot. */
    List<RecordedRequest> requests();

    /** The chat requests (the provider's chat endpoint), in arrival order. */
    List<RecordedRequest> chatRequests();

    /** How many requests (all paths) have been received. */
    int requestCount();

    /** The last request received; empty before the first. */
    Optional<RecordedRequest> lastRequest();

    /** How many queued behaviours have not been used yet. */
    int pendingBehaviors();

    /**
     * How many exchanges the client closed while the server was still answering, as seen by
     * {@link Behavior#withHeartbeat()} (the only behaviour that can notice: a silent server cannot tell a closed
     * connection from a patient client).
     */
    int clientDisconnects();

    /** The header this provider's clients put the key in, e.g. {@code Authorization} or {@code x-api-key}. */
    String keyHeader();

    /** The value of {@link #keyHeader()} for {@code key}, e.g. {@code Bearer <key>}. */
    String keyHeaderValue(String key);

    /** Releases hanging and delayed requests (their connections close without an answer) and stops the server. */
    @Override
    void close();
}
