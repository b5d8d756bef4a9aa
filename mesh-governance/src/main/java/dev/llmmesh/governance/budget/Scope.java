package dev.llmmesh.governance.budget;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Who a budget or rate limit applies to. Each call belongs to at most one subject of each kind, taken from its
 * {@link dev.llmmesh.CallContext}: the whole organisation, its team, its user, the API key it came in with (a context
 * attribute, hashed before use), and the agent run it is a step of (the {@code agents.run} attribute).
 */
public enum Scope {
    /** The whole organisation: every call. */
    ORG("org"),
    /** The calling team, {@link dev.llmmesh.CallContext#team()}. */
    TEAM("team"),
    /** The end user, {@link dev.llmmesh.CallContext#user()}. */
    USER("user"),
    /** The API key the call came in with, from a context attribute ({@code auth.key} by default); never stored raw. */
    API_KEY("apiKey"),
    /** The agent run the call is a step of, from the {@code agents.run} context attribute. */
    AGENT_RUN("agentRun");

    private final String configName;

    Scope(String configName) {
        this.configName = configName;
    }

    /** The name used in {@code mesh.yaml} and in scope labels, e.g. {@code apiKey}. */
    public String configName() {
        return configName;
    }

    /**
     * Parses a configuration name ({@code org}, {@code team}, {@code user}, {@code apiKey}, {@code agentRun}),
     * ignoring case, {@code -} and {@code _}.
     *
     * @throws IllegalArgumentException listing the valid names
     */
    public static Scope parse(String name) {
        String n = normalise(name);
        for (Scope s : values()) {
            if (normalise(s.configName).equals(n) || normalise(s.name()).equals(n)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scope \"" + name + "\"; expected one of "
                + Arrays.stream(values()).map(Scope::configName).collect(Collectors.joining(", ")));
    }

    private static String normalise(String s) {
        return s.trim().toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    }
}
