package dev.llmmesh.rag.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** Content hashes of documents. Stateless and thread-safe. */
public final class Hashing {
    private Hashing() {
    }

    /** SHA-256 (hex) over the parts, each length-prefixed so that no two different inputs collide by concatenation. */
    public static String sha256(String... parts) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        for (String p : parts) {
            byte[] b = p.getBytes(StandardCharsets.UTF_8);
            md.update(Integer.toString(b.length).getBytes(StandardCharsets.US_ASCII));
            md.update((byte) ':');
            md.update(b);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** A canonical string for a metadata map (sorted by key). */
    public static String canonical(Map<String, String> map) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(map).forEach((k, v) -> sb.append(k.length()).append(':').append(k)
                .append(v.length()).append(':').append(v));
        return sb.toString();
    }
}
