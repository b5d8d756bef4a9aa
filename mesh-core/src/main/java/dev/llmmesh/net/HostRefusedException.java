package dev.llmmesh.net;

/**
 * A host the {@link HostRules} refuse: its message names the host and the reason (never more of the URL, which could
 * carry credentials).
 */
public final class HostRefusedException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String host;
    private final String reason;

    /**
     * @param host   the refused host, as written
     * @param reason why, e.g. {@code "resolves to a cloud metadata address (169.254.169.254)"}
     */
    public HostRefusedException(String host, String reason) {
        super("host " + host + " is refused: " + reason);
        this.host = host;
        this.reason = reason;
    }

    /** The refused host. */
    public String host() {
        return host;
    }

    /** Why it is refused. */
    public String reason() {
        return reason;
    }
}
