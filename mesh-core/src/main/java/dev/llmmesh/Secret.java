package dev.llmmesh;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;

/**
 * A credential such as an API key. Its {@link #toString()} is always {@code ***}; the only way to the value is
 * {@link #reveal()}, which provider clients call when they set a request header. Equality is by identity so that
 * a secret never leaks through {@code equals}-based logging of collections.
 *
 * <p>Every secret registers itself with {@link SecretMask}, which masks it (in any letter case, and any fragment of
 * 8 or more characters) in text from outside the mesh before that text reaches a message, event, meter, log or
 * audit record.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Secret {
    private static final String MASK = "***";

    private final char[] value;
    private final String source;

    private Secret(char[] value, String source) {
        this.value = value;
        this.source = source;
        SecretMask.register(this, value);
    }

    /**
     * A secret held in memory.
     *
     * @throws IllegalArgumentException if {@code value} is blank
     */
    public static Secret of(String value) {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("secret value is blank; set a non-empty key");
        }
        return new Secret(value.toCharArray(), "literal");
    }

    /**
     * A secret read from the environment variable {@code name}, now.
     *
     * @throws IllegalArgumentException naming the variable (never its value) if it is unset or blank
     */
    public static Secret env(String name) {
        return env(name, System::getenv);
    }

    /** As {@link #env(String)}, reading variables through {@code environment} (for tests and config loading). */
    public static Secret env(String name, Function<String, String> environment) {
        Objects.requireNonNull(name, "name");
        String v = environment.apply(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("environment variable " + name + " is not set; export it or "
                    + "configure the key another way");
        }
        return new Secret(v.toCharArray(), "env:" + name);
    }

    /** The secret's value. Put it in a header; never log it, never put it in a URL. */
    public String reveal() {
        return new String(value);
    }

    /** Where the secret came from ({@code literal} or {@code env:NAME}); safe to log. */
    public String source() {
        return source;
    }

    /** Overwrites the value in memory. The secret is unusable afterwards. */
    public void destroy() {
        SecretMask.unregister(this);
        Arrays.fill(value, '\0');
    }

    @Override
    public String toString() {
        return MASK;
    }
}
