package dev.llmmesh.agents.tool;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * Opens the TCP connections of the {@link HttpTool}, always to an address the tool has already vetted. The default
 * opens a plain socket; tests wrap it to count outbound connections. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface SocketConnector {

    /** Plain sockets with the given connect timeout. */
    SocketConnector PLAIN = (address, timeout) -> {
        Socket s = new Socket();
        try {
            s.connect(address, (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())));
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    };

    /**
     * A socket connected to {@code address}.
     *
     * @throws IOException when the connection fails
     */
    Socket connect(InetSocketAddress address, Duration timeout) throws IOException;
}
