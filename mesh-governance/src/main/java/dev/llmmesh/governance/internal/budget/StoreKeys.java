package dev.llmmesh.governance.internal.budget;

import dev.llmmesh.governance.budget.Scope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Makes subject names safe as parts of state-store keys: short plain names stay readable, anything else (long names,
 * e-mail addresses, spaces, separators) becomes {@code h} plus 32 hex characters of its SHA-256, so every key stays
 * short (well under 256 characters) and holds no separator a Redis key scheme could trip on. End users are always
 * hashed ({@link #part(Scope, String)}), so no user id is readable in the store, whatever its shape.
 */
public final class StoreKeys {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private StoreKeys() {
    }

    /** {@code subject} of {@code scope} as it may appear in a key: hashed for end users, else as {@link #part(String)}. */
    public static String part(Scope scope, String subject) {
        return scope == Scope.USER ? "h" + sha256Hex(subject).substring(0, 32) : part(subject);
    }

    /** {@code subject} as it may appear in a key. */
    public static String part(String subject) {
        if (PLAIN.matcher(subject).matches()) {
            return subject;
        }
        return "h" + sha256Hex(subject).substring(0, 32);
    }

    /** The SHA-256 of {@code text} (UTF-8), in lowercase hex. */
    public static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
