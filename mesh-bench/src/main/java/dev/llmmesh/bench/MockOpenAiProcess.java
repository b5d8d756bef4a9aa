package dev.llmmesh.bench;

import dev.llmmesh.testkit.SimulatedOpenAiServer;
import dev.llmmesh.testkit.SimulatedOpenAiServer.Behavior;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * The mock upstream of {@link ComparisonHarness}, run as a separate process so that the harness's process CPU time is
 * the client's alone. Starts three simulated OpenAI servers on 127.0.0.1 that record nothing: {@code fast} answers at
 * once, {@code slow} after 50 ms, {@code stream} streams its answer (an echo of the user message, so pseudonyms come
 * back and are restored) in 50 chunks 10 ms apart. Prints {@code PORTS <fast> <slow> <stream>} on one line, then
 * serves until its standard input closes (the harness ending or dying ends it too).
 */
public final class MockOpenAiProcess {
    /** The answer of {@code fast} and {@code slow}: about 100 characters, as a short support reply. */
    public static final String ANSWER = "Your parcel left the warehouse this morning; express shipping of the guide "
            + "costs 6.90 EUR.";

    private MockOpenAiProcess() {
    }

    /**
     * Starts the servers, prints their ports, serves until standard input closes.
     *
     * @param args ignored
     * @throws IOException if standard input cannot be read
     */
    public static void main(String[] args) throws IOException {
        try (SimulatedOpenAiServer fast = SimulatedOpenAiServer.builder().recordRequests(false)
                     .defaultBehavior(Behavior.ok(ANSWER).usage(260, 24)).start();
             SimulatedOpenAiServer slow = SimulatedOpenAiServer.builder().recordRequests(false)
                     .defaultBehavior(Behavior.ok(ANSWER).usage(260, 24).withLatency(Duration.ofMillis(50))).start();
             SimulatedOpenAiServer stream = SimulatedOpenAiServer.builder().recordRequests(false)
                     .defaultBehavior(Behavior.ok().chunks(50).chunkInterval(Duration.ofMillis(10))).start()) {
            System.out.println("PORTS " + fast.port() + " " + slow.port() + " " + stream.port());
            System.out.flush();
            InputStream in = System.in;
            byte[] buffer = new byte[256];
            while (in.read(buffer) >= 0) {
                // keep serving until the harness closes our standard input
            }
        }
    }
}
