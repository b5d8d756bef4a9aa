package dev.llmmesh.agents.tool;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Resolves a host name to addresses for the {@link HttpTool}, which then checks every address and connects only to
 * a vetted one. The default uses the system resolver; tests inject fixed answers (for example a name that rebinds to
 * a private address). Implementations must be thread-safe.
 */
@FunctionalInterface
public interface HostResolver {

    /** The system resolver ({@link InetAddress#getAllByName(String)}). */
    HostResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

    /**
     * All addresses of {@code host}.
     *
     * @throws UnknownHostException when the name does not resolve
     */
    List<InetAddress> resolve(String host) throws UnknownHostException;
}
